"""What editors do from an agreement's page: change its status, archive or restore it, tick off
milestones, add documents.

A consequential action asks first: its button opens a page (GET) saying what will happen, whose
form (POST) does it. Without JavaScript, like every page.

And the download of its documents, for everyone who may see the agreement.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from partners.services import staff_confirm

from ..access import get_editable_agreement, get_visible_agreement, may_override_lifecycle
from ..action_forms import MilestoneDoneForm, StatusChangeForm
from ..lifecycle import AgreementStatus, missing_for
from ..models import Agreement, AgreementDocument, Milestone
from ..portal_forms import DocumentForm
from ..services import agreement_archive as archive
from ..services import agreement_change_status as change_status
from ..services import agreement_restore as restore
from ..services import agreement_transition_facts, document_create
from .detail import render_agreement_page


def _confirm(
    request: HttpRequest, agreement: Agreement, template: str, context: dict, status: int = 200
) -> HttpResponse:
    crumbs = [
        (_("Agreements"), reverse("agreements:list")),
        (agreement.reference, reverse("agreements:detail", args=[agreement.pk])),
        (context["title"], None),
    ]
    return render(request, template, {"agreement": agreement, "crumbs": crumbs, **context}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def agreement_change_status(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_editable_agreement(request.user, pk)
    today = timezone.localdate()
    data = request.POST if request.method == "POST" else None
    form = StatusChangeForm(data, initial={"status": request.GET.get("status", ""), "current_status": agreement.status})
    if request.method == "POST" and form.is_valid():
        try:
            changed = change_status(
                agreement=agreement,
                new_status=form.cleaned_data["status"],
                expected_status=form.cleaned_data["current_status"],
                user=request.user,
                today=today,
                override_reason=form.cleaned_data["override_reason"],
            )
        except ValidationError as error:
            # A refused reason is shown by its field; any other refusal on the agreement's page.
            reason_errors = getattr(error, "error_dict", {}).get("override_reason")
            if not reason_errors:
                messages.error(request, " ".join(error.messages))
                return redirect("agreements:detail", pk=agreement.pk)
            # Those who may not give a reason have no such field on the page: said above the form.
            may_override = may_override_lifecycle(request.user, agreement)
            form.add_error("override_reason" if may_override else None, reason_errors)
        else:
            messages.success(
                request,
                _("%(reference)s moved to “%(status)s”.")
                % {"reference": changed.reference, "status": changed.get_status_display()},
            )
            return redirect("agreements:detail", pk=agreement.pk)
    new_status = form["status"].value()
    if new_status not in AgreementStatus.values:
        messages.error(request, _("Unknown status."))
        return redirect("agreements:detail", pk=agreement.pk)
    missing = missing_for(new_status, agreement_transition_facts(agreement, today=today))
    return _confirm(
        request,
        agreement,
        "agreements/confirm_status.html",
        {
            "title": _("Change status"),
            "form": form,
            "new_status": AgreementStatus(new_status),
            "missing": missing,
            "may_override": bool(missing) and may_override_lifecycle(request.user, agreement),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_archive(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_editable_agreement(request.user, pk)
    if request.method == "GET":
        return _confirm(
            request, agreement, "agreements/confirm_archive.html", {"title": _("Archive"), "archiving": True}
        )
    try:
        archive(agreement=agreement, user=request.user)
    except ValidationError as error:
        messages.warning(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Agreement %(reference)s archived: it no longer shows in the lists unless you ask for archived ones.")
            % {"reference": agreement.reference},
        )
    return redirect("agreements:detail", pk=agreement.pk)


@login_required
@require_http_methods(["GET", "POST"])
def agreement_restore(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_editable_agreement(request.user, pk)
    if request.method == "GET":
        return _confirm(
            request, agreement, "agreements/confirm_archive.html", {"title": _("Restore"), "archiving": False}
        )
    try:
        restore(agreement=agreement, user=request.user)
    except ValidationError as error:
        messages.warning(request, " ".join(error.messages))
    else:
        messages.success(request, _("Agreement %(reference)s restored.") % {"reference": agreement.reference})
    return redirect("agreements:detail", pk=agreement.pk)


def _party_names(agreement: Agreement, park_ids: set[int]) -> list[str]:
    parties = agreement.parties.select_related("technopolis").order_by("pk")
    return [str(party.technopolis) for party in parties if party.technopolis_id in park_ids]


@login_required
@require_http_methods(["GET", "POST"])
def milestone_mark_done(request: HttpRequest, pk: int, milestone_pk: int) -> HttpResponse:
    agreement = get_editable_agreement(request.user, pk)
    milestone = get_object_or_404(Milestone, pk=milestone_pk, agreement=agreement)
    today = timezone.localdate()
    form = MilestoneDoneForm(
        request.POST if request.method == "POST" else None, today=today, initial={"version": milestone.version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            _done, awaited = staff_confirm(
                milestone=milestone,
                today=today,
                user=request.user,
                expected_version=form.cleaned_data["version"],
                completed_on=form.cleaned_data["completed_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            messages.warning(request, " ".join(error.messages))
        else:
            if awaited:
                messages.success(
                    request,
                    _("Your confirmation of “%(title)s” is recorded; still awaited from: %(parties)s.")
                    % {"title": milestone.title, "parties": ", ".join(_party_names(agreement, awaited))},
                )
            else:
                messages.success(request, _("Milestone “%(title)s” marked done.") % {"title": milestone.title})
        return redirect("agreements:detail", pk=agreement.pk)
    return _confirm(
        request,
        agreement,
        "agreements/confirm_milestone_done.html",
        {"title": _("Mark done"), "form": form, "milestone": milestone},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_editable_agreement(request.user, pk)
    form = DocumentForm(
        request.POST, request.FILES, instance=AgreementDocument(agreement=agreement), agreement=agreement
    )
    if form.is_valid():
        try:
            document = document_create(
                agreement=agreement,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                file=form.cleaned_data["file"],
                supersedes=form.cleaned_data["supersedes"],
                user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Document “%(title)s” uploaded.") % {"title": document.title})
            return redirect("agreements:detail", pk=agreement.pk)
    messages.error(request, _("The document was not uploaded; see the reason below."))
    return render_agreement_page(request, agreement.pk, document_form=form)


@login_required
def document_download(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    agreement = get_visible_agreement(request.user, pk)
    document = get_object_or_404(AgreementDocument, pk=document_pk, agreement=agreement)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404("The document's file is missing") from None
    return FileResponse(handle, as_attachment=True, filename=document.download_name)
