"""The resident company list, its CSV export and a company's page."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from common.completeness import missing_labels
from common.exports import csv_response

from ..access import can_create_company, can_edit_company, can_see_know_how
from ..completeness import RESIDENT_COMPANY_RULES
from ..filters import ResidentCompanyFilter
from ..history import company_history
from ..models import ResidentCompany
from ..selectors import companies_for_list, company_for_page

PAGE_SIZE = 25


def _filtered_companies(request: HttpRequest) -> ResidentCompanyFilter:
    return ResidentCompanyFilter(
        request.GET,
        queryset=companies_for_list(ResidentCompany.objects.order_by("name", "pk")),
        today=timezone.localdate(),
        request=request,
    )


@login_required
def company_list(request: HttpRequest) -> HttpResponse:
    filterset = _filtered_companies(request)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "residents/company_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "can_create": can_create_company(request.user),
            "crumbs": [(_("Resident companies"), None)],
        },
    )


def _field_label(name: str) -> str:
    return capfirst(ResidentCompany._meta.get_field(name).verbose_name)


@login_required
def company_export(request: HttpRequest) -> HttpResponse:
    companies = _filtered_companies(request).qs
    header = [
        _field_label("name"),
        _field_label("legal_form"),
        _field_label("inn"),
        _("Park"),
        _field_label("sectors"),
        _field_label("residency_start"),
        _field_label("residency_end"),
        _field_label("website"),
        _field_label("staff_count"),
        _("Products"),
        _("IP records"),
    ]
    rows = (
        [
            company.name,
            company.get_legal_form_display(),
            company.inn,
            company.technopolis,
            "; ".join(sector.name for sector in company.sectors.all()),
            company.residency_start.isoformat() if company.residency_start else "",
            company.residency_end.isoformat() if company.residency_end else "",
            company.website,
            company.staff_count,
            company.product_count,
            company.ip_count,
        ]
        for company in companies.iterator(chunk_size=500)
    )
    return csv_response("resident-companies.csv", header, rows)


@login_required
def company_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        company = company_for_page(pk=pk)
    except ResidentCompany.DoesNotExist:
        raise Http404("No resident company found") from None
    know_how_visible = can_see_know_how(request.user, company)
    return render(
        request,
        "residents/company_detail.html",
        {
            "company": company,
            "know_how_visible": know_how_visible,
            "know_how": list(company.know_how.all()) if know_how_visible else None,
            "history": company_history(company, with_know_how=know_how_visible),
            "missing": missing_labels(company, RESIDENT_COMPANY_RULES),
            "can_edit": can_edit_company(request.user, company),
            "crumbs": [(_("Resident companies"), reverse("residents:list")), (company.name, None)],
        },
    )
