"""One page to register or change a company with its products, IP records and know-how."""

from collections.abc import Iterable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.forms.formsets import BaseFormSet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from common.concurrency import FieldConflict, StaleRecordError, reshow_stale_edit, reshow_stale_rows

from ..access import can_create_company, can_edit_company, parks_for_companies
from ..forms import (
    FORMSET_TITLES,
    IntellectualPropertyFormSet,
    KnowHowFormSet,
    ProductFormSet,
    ResidentCompanyForm,
)
from ..models import ResidentCompany
from ..services import ROW_LABELS
from ..services import company_create as create_company
from ..services import company_update as update_company

FORMSETS = {
    "products": ProductFormSet,
    "ip_records": IntellectualPropertyFormSet,
    "know_how": KnowHowFormSet,
}
# The name of the submit button that brings the person back to the form with fresh blank rows.
CONTINUE = "save_and_continue"


@login_required
def company_create(request: HttpRequest) -> HttpResponse:
    if not can_create_company(request.user):
        raise PermissionDenied
    crumbs = [(_("Resident companies"), reverse("residents:list")), (_("New company"), None)]
    return _company_page(request, ResidentCompany(), crumbs=crumbs)


@login_required
def company_edit(request: HttpRequest, pk: int) -> HttpResponse:
    company = get_object_or_404(ResidentCompany, pk=pk)
    if not can_edit_company(request.user, company):
        raise PermissionDenied
    crumbs = [
        (_("Resident companies"), reverse("residents:list")),
        (company.name, reverse("residents:detail", args=[company.pk])),
        (_("Edit"), None),
    ]
    return _company_page(request, company, crumbs=crumbs)


def _company_page(request: HttpRequest, company: ResidentCompany, *, crumbs: list) -> HttpResponse:
    creating = company.pk is None
    title = _("New company") if creating else _("Edit %(company)s") % {"company": company.name}
    # A copy: after a refused stale save the hidden versions move on to the stored ones.
    data = request.POST.copy() if request.method == "POST" else None
    stale: StaleRecordError | None = None
    conflicts: list[FieldConflict] = []
    form = ResidentCompanyForm(data, instance=company, parks=parks_for_companies(request.user))
    formsets = {prefix: formset(data, instance=company, prefix=prefix) for prefix, formset in FORMSETS.items()}

    # Every part is validated, so that all mistakes show at once.
    if data is not None and all([form.is_valid(), *[formset.is_valid() for formset in formsets.values()]]):
        company = form.save(commit=False)
        records = [record for formset in formsets.values() for record in formset.save(commit=False)]
        fields = {"company": company, "sectors": form.cleaned_data["sectors"], "records": records}
        try:
            if creating:
                create_company(**fields)
                messages.success(request, _("%(company)s has been registered.") % {"company": company.name})
            else:
                deleted = [record for formset in formsets.values() for record in formset.deleted_objects]
                update_company(
                    **fields,
                    version=form.cleaned_data["version"],
                    deleted_records=deleted,
                    record_versions=_row_versions(formsets.values()),
                )
                messages.success(request, _("%(company)s has been saved.") % {"company": company.name})
        except StaleRecordError as error:
            # Nothing saved; the form is shown again merged with what is stored now.
            stale = error
            conflicts = _merge_with_stored(data, form, formsets.values())
        else:
            if CONTINUE in request.POST:
                return redirect("residents:edit", pk=company.pk)
            return redirect("residents:detail", pk=company.pk)

    if stale is not None:
        messages.error(request, _("Nothing was saved: someone else changed this company meanwhile."))
    elif data is not None:
        messages.error(request, _("Nothing was saved: please correct the fields marked below."))
    return render(
        request,
        "residents/company_form.html",
        {
            "title": title,
            "form": form,
            "formsets": [(FORMSET_TITLES[prefix], formset) for prefix, formset in formsets.items()],
            "company": None if creating else company,
            "stale": stale,
            "conflicts": conflicts,
            "continue_name": CONTINUE,
            "crumbs": crumbs,
        },
    )


def _row_versions(formsets: Iterable[BaseFormSet]) -> dict[models.Model, int]:
    """The version each stored row had when the person opened the form."""
    return {
        row.instance: row.cleaned_data["version"]
        for formset in formsets
        for row in formset.initial_forms
        if row.instance.pk is not None and row.cleaned_data.get("version") is not None
    }


def _merge_with_stored(
    data: QueryDict, form: ResidentCompanyForm, formsets: Iterable[BaseFormSet]
) -> list[FieldConflict]:
    """The company and its rows as stored now, merged with the person's changes (common.concurrency)."""
    stored = ResidentCompany.objects.get(pk=form.instance.pk)
    conflicts = reshow_stale_edit(data, form, stored=stored, base_version=form.cleaned_data["version"])
    for formset in formsets:
        conflicts += reshow_stale_rows(data, formset, label=str(ROW_LABELS[formset.model]))
    return conflicts
