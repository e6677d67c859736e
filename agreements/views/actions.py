"""What editors do from an agreement's page: change its status, archive or restore it, tick off
milestones, add documents.

And the download of its documents, for everyone who may see the agreement.
"""

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..access import get_editable_agreement, get_visible_agreement
from ..models import AgreementDocument, Milestone
from ..portal_forms import DocumentForm
from ..services import agreement_archive as archive
from ..services import agreement_change_status as change_status
from ..services import agreement_restore as restore
from ..services import document_create
from ..services import milestone_mark_done as mark_done
from .detail import render_agreement_page


@login_required
@require_POST
def agreement_change_status(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_editable_agreement(request.user, pk)
    try:
        changed = change_status(
            agreement=agreement,
            new_status=request.POST.get("status", ""),
            expected_status=request.POST.get("current_status") or None,
            user=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The agreement is now %(status)s.") % {"status": changed.get_status_display()})
    return redirect("agreements:detail", pk=agreement.pk)


@login_required
@require_POST
def agreement_archive(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_editable_agreement(request.user, pk)
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
@require_POST
def agreement_restore(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_editable_agreement(request.user, pk)
    try:
        restore(agreement=agreement, user=request.user)
    except ValidationError as error:
        messages.warning(request, " ".join(error.messages))
    else:
        messages.success(request, _("Agreement %(reference)s restored.") % {"reference": agreement.reference})
    return redirect("agreements:detail", pk=agreement.pk)


def _posted_version(request: HttpRequest) -> int | None:
    try:
        return int(request.POST["version"])
    except (KeyError, ValueError):
        return None


@login_required
@require_POST
def milestone_mark_done(request: HttpRequest, pk: int, milestone_pk: int) -> HttpResponse:
    agreement = get_editable_agreement(request.user, pk)
    milestone = get_object_or_404(Milestone, pk=milestone_pk, agreement=agreement)
    try:
        mark_done(
            milestone=milestone,
            today=timezone.localdate(),
            user=request.user,
            expected_version=_posted_version(request),
        )
    except ValidationError as error:
        messages.warning(request, " ".join(error.messages))
    else:
        messages.success(request, _("Milestone “%(title)s” marked done.") % {"title": milestone.title})
    return redirect("agreements:detail", pk=agreement.pk)


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
    filename = document.original_filename or Path(document.file.name).name
    return FileResponse(handle, as_attachment=True, filename=filename)
