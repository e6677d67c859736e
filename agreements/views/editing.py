"""One page to create or edit an agreement with its parties and milestones, saved all or nothing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from common.concurrency import FieldConflict, StaleRecordError, reshow_stale_edit, reshow_stale_rows
from parks.access import can_edit_any_park

from ..access import get_editable_agreement
from ..models import Agreement
from ..people_pickers import People
from ..portal_forms import AgreementForm, milestone_formset, party_formset
from ..services import RowChanges
from ..services import agreement_create as create
from ..services import agreement_update as update

# Empty rows offered for new parties and milestones; more come with "Add a row" (at once with the
# page's script, else by showing the page again with what was typed).
EXTRA_ROWS_NEW = 3
EXTRA_ROWS_EDIT = 1
ROW_PREFIXES = ("parties", "milestones")


@login_required
def agreement_create(request: HttpRequest) -> HttpResponse:
    if not can_edit_any_park(request.user):
        raise PermissionDenied
    return _edit_page(request, Agreement())


@login_required
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit_page(request, get_editable_agreement(request.user, pk))


def _edit_page(request: HttpRequest, agreement: Agreement) -> HttpResponse:
    creating = agreement.pk is None
    # A copy: after a refused stale save the hidden versions move on to the stored ones.
    data = request.POST.copy() if request.method == "POST" else None
    stale: StaleRecordError | None = None
    conflicts: list[FieldConflict] = []
    extra = EXTRA_ROWS_NEW if creating else EXTRA_ROWS_EDIT
    adding_row = data is not None and data.get("add_row") in ROW_PREFIXES
    if adding_row:
        # Without the script: the same page again, one more empty row, nothing saved.
        total = f"{data['add_row']}-TOTAL_FORMS"
        data[total] = str(int(data.get(total) or 0) + 1)
    people = People()  # one query for every person picker of the page
    form = AgreementForm(data, instance=agreement, user=request.user, people=people)
    parties = party_formset(data=data, instance=agreement, user=request.user, extra=extra, people=people)
    milestones = milestone_formset(data=data, instance=agreement, extra=extra, people=people)
    if data is not None and not adding_row:
        # The agreement first: the formsets check parties and due dates against it as typed.
        # All three are validated, so that every error shows at once.
        results = [form.is_valid(), parties.is_valid(), milestones.is_valid()]
        if all(results):
            try:
                saved = _save(request, form, parties, milestones, creating=creating)
            except StaleRecordError as error:
                # Nothing saved; the form is shown again merged with what is stored now.
                stale = error
                conflicts = _merge_with_stored(data, form, milestones)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if creating:
                    messages.success(request, _("Agreement %(reference)s created.") % {"reference": saved.reference})
                else:
                    messages.success(request, _("Agreement %(reference)s saved.") % {"reference": saved.reference})
                return redirect("agreements:detail", pk=saved.pk)
    list_url = reverse("agreements:list")
    if creating:
        crumbs = [(_("Agreements"), list_url), (_("New agreement"), None)]
    else:
        crumbs = [
            (_("Agreements"), list_url),
            (agreement.reference, reverse("agreements:detail", args=[agreement.pk])),
            (_("Edit"), None),
        ]
    return render(
        request,
        "agreements/agreement_form.html",
        {
            "form": form,
            "parties": parties,
            "milestones": milestones,
            "stale": stale,
            "conflicts": conflicts,
            "creating": creating,
            "adding_row": adding_row,
            "agreement": None if creating else agreement,
            "crumbs": crumbs,
        },
    )


def _save(request: HttpRequest, form: AgreementForm, parties, milestones, *, creating: bool) -> Agreement:
    # commit=False: the formsets only hand over their rows; the service saves everything at once.
    party_rows = parties.save(commit=False)
    milestone_rows = milestones.save(commit=False)
    agreement = form.save(commit=False)
    if creating:
        try:
            return create(
                agreement=agreement,
                relations=form.relations(),
                parties=party_rows,
                milestones=milestone_rows,
                user=request.user,
            )
        except ValidationError:
            # Rolled back: the page is shown again as a new agreement.
            agreement.pk = None
            agreement._state.adding = True
            raise
    return update(
        agreement=agreement,
        version=form.cleaned_data["version"],
        relations=form.relations(),
        parties=RowChanges(saved=party_rows, deleted=parties.deleted_objects),
        milestones=RowChanges(saved=milestone_rows, deleted=milestones.deleted_objects),
        milestone_versions={
            row.instance.pk: row.cleaned_data["version"]
            for row in milestones.forms
            if row.instance.pk is not None and row.cleaned_data.get("version") is not None
        },
        user=request.user,
    )


def _merge_with_stored(data, form: AgreementForm, milestones) -> list[FieldConflict]:
    """The agreement and its milestones as stored now, merged with the person's changes (common.concurrency).

    The parties are shown again as posted: they carry no version of their own.
    """
    stored = Agreement.objects.get(pk=form.instance.pk)
    conflicts = reshow_stale_edit(data, form, stored=stored, base_version=form.cleaned_data["version"])
    return conflicts + reshow_stale_rows(data, milestones, label=_("Milestone “%(title)s”: %(field)s"))
