"""The resident company list and a company's page (the list's exports are exchange's)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from common.completeness import missing_data
from common.page_cache import kept_page

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
    def context() -> dict:
        filterset = _filtered_companies(request)
        return {
            "filter": filterset,
            "page_obj": Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page")),
            "can_create": can_create_company(request.user),
        }

    kept = kept_page(request, page="company-list", template="residents/_company_list_body.html", context=context)
    return render(request, "residents/company_list.html", {"kept": kept, "crumbs": [(_("Resident companies"), None)]})


@login_required
def company_detail(request: HttpRequest, pk: int) -> HttpResponse:
    def context() -> dict:
        try:
            company = company_for_page(pk=pk)
        except ResidentCompany.DoesNotExist:
            raise Http404("No resident company found") from None
        know_how_visible = can_see_know_how(request.user, company)
        return {
            "company": company,
            "know_how_visible": know_how_visible,
            "know_how": list(company.know_how.all()) if know_how_visible else None,
            "history": company_history(company, with_know_how=know_how_visible),
            "missing": missing_data(company, RESIDENT_COMPANY_RULES),
            "can_edit": can_edit_company(request.user, company),
            "title": company.name,
            "crumbs": [(_("Resident companies"), reverse("residents:list")), (company.name, None)],
        }

    kept = kept_page(
        request,
        page="company",
        template="residents/_company_detail_body.html",
        context=context,
        extras=("title", "crumbs"),
    )
    return render(request, "residents/company_detail.html", {"kept": kept, **kept.extras})
