"""Import (upload, preview, confirm), export and template downloads, and the agreement summary PDF."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from agreements.selectors import agreement_page
from parks.access import can_edit_any_park

from . import services
from .exports import export_response, records_for_export, template_response
from .forms import ConfirmForm, ImportForm
from .importers import IMPORTERS
from .pdf import agreement_pdf

FORMATS = ("csv", "xlsx")


def _importer(kind: str):
    if kind not in IMPORTERS:
        raise Http404("Unknown kind of record")
    return IMPORTERS[kind]


def _check_format(file_format: str) -> None:
    if file_format not in FORMATS:
        raise Http404("Unknown format")


def _crumbs(current=None) -> list:
    return [(_("Import"), reverse("exchange:import") if current else None)] + ([(current, None)] if current else [])


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    """The upload form; a valid upload is kept and previewed, nothing is written yet."""
    if not can_edit_any_park(request.user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None, initial={"kind": request.GET.get("kind")})
    if request.method == "POST" and form.is_valid():
        kind = form.cleaned_data["kind"]
        preview = services.upload_and_preview(user=request.user, kind=kind, file=form.cleaned_data["file"])
        return render(
            request,
            "exchange/import_preview.html",
            {
                "report": preview.report,
                "importer": IMPORTERS[kind],
                "filename": preview.filename,
                "confirm_form": ConfirmForm(initial={"token": preview.token}),
                "crumbs": _crumbs(_("Preview")),
            },
        )
    return render(
        request,
        "exchange/import_upload.html",
        {"form": form, "importers": IMPORTERS.values(), "crumbs": _crumbs()},
    )


@login_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    """Re-reads and re-validates the previewed file, then writes all its rows or none."""
    if not can_edit_any_park(request.user):
        raise PermissionDenied
    form = ConfirmForm(request.POST)
    upload = services.upload_open(user=request.user, token=form.data.get("token", ""))
    if upload is None:
        messages.error(request, _("This upload has expired or is not yours. Upload the file again."))
        return redirect("exchange:import")
    report = services.confirm_upload(user=request.user, upload=upload)
    if report.has_errors:
        # Someone changed the records since the preview: show what fails now; nothing was written.
        return render(
            request,
            "exchange/import_preview.html",
            {
                "report": report,
                "importer": IMPORTERS[upload.kind],
                "filename": upload.filename,
                "refused": True,
                "crumbs": _crumbs(_("Preview")),
            },
        )
    created, updated = report.counts[services.CREATE], report.counts[services.UPDATE]
    messages.success(
        request,
        ngettext(
            "Imported %(file)s: %(created)s record created, %(updated)s updated, %(unchanged)s unchanged.",
            "Imported %(file)s: %(created)s records created, %(updated)s updated, %(unchanged)s unchanged.",
            created,
        )
        % {
            "file": upload.filename,
            "created": created,
            "updated": updated,
            "unchanged": report.counts[services.UNCHANGED],
        },
    )
    return redirect(f"{reverse('exchange:import')}?kind={upload.kind}")


@login_required
@require_POST
def import_cancel(request: HttpRequest) -> HttpResponse:
    """Deletes the previewed file without importing anything."""
    if services.upload_cancel(user=request.user, token=request.POST.get("token", "")):
        messages.info(request, _("The upload was cancelled and its file deleted; nothing was imported."))
    return redirect("exchange:import")


@login_required
def import_template(request: HttpRequest, kind: str, file_format: str) -> HttpResponse:
    _check_format(file_format)
    return template_response(_importer(kind), file_format)


@login_required
def export(request: HttpRequest, kind: str, file_format: str) -> HttpResponse:
    """The records of a list, with the list's filters (its query string), in the importers' columns."""
    _check_format(file_format)
    importer = _importer(kind)
    return export_response(importer, records_for_export(kind, request), file_format, name=kind)


@login_required
def agreement_summary_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    today = timezone.localdate()
    # The agreement page's own selector: the same access rule (404 for those who may not see it).
    page = agreement_page(user=request.user, pk=pk, today=today)
    response = HttpResponse(agreement_pdf(page, today=today), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{page.agreement.reference}.pdf"'
    return response
