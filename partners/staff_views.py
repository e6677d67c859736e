"""Staff's side of the partner loop: "Waiting for you", a milestone's page and thread, the links sent."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agreements.access import can_edit_agreement, contact_parks_filter, editable_agreements, get_visible_agreement
from agreements.models import Milestone
from parks.access import can_edit_any_park

from . import selectors, services
from .forms import DecisionForm, StaffCommentForm, add_service_errors
from .history import milestone_history
from .models import DueDateProposal, MilestoneComment, MilestoneConfirmation, PartnerLink
from .views import evidence_response


@login_required
@require_GET
def waiting(request: HttpRequest) -> HttpResponse:
    return render(request, "partners/waiting.html", {"inbox": selectors.waiting_for(request.user)})


def _milestone_of(request: HttpRequest, pk: int, milestone_pk: int) -> Milestone:
    agreement = get_visible_agreement(request.user, pk)
    return get_object_or_404(Milestone.objects.select_related("agreement"), pk=milestone_pk, agreement=agreement)


@login_required
@require_http_methods(["GET", "POST"])
def milestone(request: HttpRequest, pk: int, milestone_pk: int) -> HttpResponse:
    """A milestone's page: who confirmed and who is awaited, proposals, the thread and the history."""
    found = _milestone_of(request, pk, milestone_pk)
    can_edit = can_edit_agreement(request.user, found.agreement)
    form = StaffCommentForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.comment_add(
                    milestone=found,
                    user=request.user,
                    body=form.cleaned_data["body"],
                    staff_only=form.cleaned_data["staff_only"],
                    evidence=form.cleaned_data.get("evidence"),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Your comment is in the milestone's thread."))
                return redirect("partners:staff_milestone", pk=pk, milestone_pk=milestone_pk)
    context = {
        "agreement": found.agreement,
        "state": selectors.milestone_state(found, staff=True),
        "can_edit": can_edit,
        "form": form,
        "decision_form": DecisionForm(),
        "history": milestone_history(found),
    }
    return render(request, "partners/staff_milestone.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def comments_read(request: HttpRequest, pk: int, milestone_pk: int) -> HttpResponse:
    found = _milestone_of(request, pk, milestone_pk)
    if not can_edit_agreement(request.user, found.agreement):
        raise PermissionDenied
    services.comments_mark_read(milestone=found, user=request.user)
    if request.POST.get("next") == "waiting":
        return redirect("partners:waiting")
    return redirect(milestone_url(found))


def milestone_url(found: Milestone) -> str:
    return reverse("partners:staff_milestone", args=[found.agreement_id, found.pk])


@login_required
@require_GET
def staff_evidence(request: HttpRequest, pk: int, milestone_pk: int, comment_pk: int) -> FileResponse:
    found = _milestone_of(request, pk, milestone_pk)
    return evidence_response(get_object_or_404(MilestoneComment, pk=comment_pk, milestone=found))


def _decide(request: HttpRequest, model, pk: int, decide) -> HttpResponse:
    record = get_object_or_404(model.objects.filter(milestone__agreement__in=editable_agreements(request.user)), pk=pk)
    form = DecisionForm(request.POST)
    back = milestone_url(record.milestone) if request.POST.get("next") == "milestone" else reverse("partners:waiting")
    if not form.is_valid():
        for errors in form.errors.values():
            messages.warning(request, " ".join(errors))
        return redirect(back)
    accept = form.cleaned_data["decision"] == "accept"
    try:
        decide(record, accept, form.cleaned_data["message"])
    except ValidationError as error:
        messages.warning(request, " ".join(error.messages))
    else:
        messages.success(request, _("Accepted.") if accept else _("Declined; the partner sees your message."))
    return redirect(back)


@login_required
@require_POST
def confirmation_decide(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(
        request,
        MilestoneConfirmation,
        pk,
        lambda record, accept, message: services.confirmation_decide(
            confirmation=record, user=request.user, accept=accept, message=message
        ),
    )


@login_required
@require_POST
def proposal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(
        request,
        DueDateProposal,
        pk,
        lambda record, accept, message: services.proposal_decide(
            proposal=record, user=request.user, accept=accept, message=message
        ),
    )


def _visible_link_people(request: HttpRequest):
    """Partner contacts whose links the user may see: those whose addresses they may read."""
    return contact_parks_filter(request.user, park="person__technopolis_id")


@login_required
@require_GET
def links(request: HttpRequest) -> HttpResponse:
    sent = selectors.links_sent(_visible_link_people(request))
    return render(
        request,
        "partners/links.html",
        {"links": sent, "can_revoke": can_edit_any_park(request.user), "now": timezone.now()},
    )


@login_required
@require_POST
def link_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(PartnerLink.objects.filter(_visible_link_people(request)), pk=pk)
    if not can_edit_any_park(request.user):
        raise PermissionDenied
    services.link_revoke(link=link, user=request.user)
    messages.success(
        request, _("The link sent to %(address)s no longer opens the partner page.") % {"address": link.address}
    )
    return redirect("partners:links")
