"""New agreement → from a press release: paste or upload, review the proposal beside its sources, confirm."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parks.access import can_edit_any_park

from .forms import MilestoneFormSet, PartyFormSet, PersonFormSet, ReleaseForm, ReviewForm, build_review
from .proposals import ReviewData, person_choices
from .services import apply_release, may_add_parks


def _may_import(request: HttpRequest) -> None:
    if not can_edit_any_park(request.user):
        raise PermissionDenied


def _crumbs(step: str):
    return [
        (_("Agreements"), reverse("agreements:list")),
        (_("From a press release"), None if step == "start" else reverse("releases:start")),
    ] + ([(_("Review"), None)] if step == "review" else [])


@login_required
def release_start(request: HttpRequest) -> HttpResponse:
    _may_import(request)
    form = ReleaseForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["release"]
        data = ReviewData(text, form.cleaned_data["language"] or None, request.user)
        if data.proposal.is_empty():
            form.add_error(
                "text" if not form.cleaned_data.get("filename") else "file",
                _("No agreement found in this text: it names no document signed between two organisations."),
            )
        else:
            return _review_page(request, data, filename=form.cleaned_data["filename"])
    return render(request, "releases/release_start.html", {"form": form, "crumbs": _crumbs("start")})


def _review_page(request, data: ReviewData, *, filename: str = "", bound=None) -> HttpResponse:
    existing = data.existing()
    party_rows, people_rows, milestone_rows = data.party_rows(), data.people_rows(), data.milestone_rows()
    party_choices = [(str(index), initial["written"]) for index, (initial, _source, _facts) in enumerate(party_rows)]
    people = person_choices(request.user, data)
    if bound is None:
        initial = data.agreement_initial() | {"text": data.text, "language": data.language, "filename": filename}
        if existing is not None:
            initial["existing"] = existing.agreement.pk
            if data.proposal.kind == "amendment" and not existing.same_release:
                initial["parent"] = existing.agreement.pk
            else:
                initial["action"] = "update"
        form = ReviewForm(initial=initial, user=request.user)
        parties = PartyFormSet(initial=[row[0] for row in party_rows], prefix="parties")
        people_set = PersonFormSet(
            initial=[row[0] for row in people_rows],
            prefix="people",
            form_kwargs={"party_choices": party_choices, "people": people},
        )
        milestones = MilestoneFormSet(
            initial=[row[0] for row in milestone_rows],
            prefix="milestones",
            form_kwargs={"party_choices": party_choices},
        )
    else:
        form, parties, people_set, milestones = bound
    context = {
        "form": form,
        "sources": data.agreement_sources(),
        "parties": list(zip(parties.forms, party_rows, strict=False)),
        "party_formset": parties,
        "people": list(zip(people_set.forms, people_rows, strict=False)),
        "people_formset": people_set,
        "milestones": list(zip(milestones.forms, milestone_rows, strict=False)),
        "milestone_formset": milestones,
        "existing": existing,
        "missing": data.missing_labels(),
        "pieces": data.marked_text(),
        "language": data.language,
        "may_add_parks": may_add_parks(request.user),
        "crumbs": _crumbs("review"),
    }
    return render(request, "releases/release_review.html", context)


@login_required
@require_POST
def release_confirm(request: HttpRequest) -> HttpResponse:
    _may_import(request)
    form = ReviewForm(request.POST, user=request.user)
    if not form.is_valid() and ("text" in form.errors or "language" in form.errors):
        messages.error(request, _("The release's text was lost on the way: paste it again."))
        return redirect("releases:start")
    data = ReviewData(request.POST["text"], request.POST["language"], request.user)
    party_choices = [(str(index), party.name) for index, party in enumerate(data.proposal.parties)]
    parties = PartyFormSet(request.POST, prefix="parties")
    people_set = PersonFormSet(
        request.POST,
        prefix="people",
        form_kwargs={"party_choices": party_choices, "people": person_choices(request.user, data)},
    )
    milestones = MilestoneFormSet(request.POST, prefix="milestones", form_kwargs={"party_choices": party_choices})
    bound = (form, parties, people_set, milestones)
    if all([form.is_valid(), parties.is_valid(), people_set.is_valid(), milestones.is_valid()]):
        try:
            agreement = apply_release(build_review(form, parties, people_set, milestones), user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if form.cleaned_data["action"] == "update":
                messages.success(
                    request,
                    _("Agreement %(reference)s updated from the press release.") % {"reference": agreement.reference},
                )
            else:
                messages.success(
                    request,
                    _("Agreement %(reference)s created from the press release, as a draft.")
                    % {"reference": agreement.reference},
                )
            return redirect("agreements:detail", pk=agreement.pk)
    return _review_page(request, data, filename=request.POST.get("filename", ""), bound=bound)
