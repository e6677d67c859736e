"""Import and export in Django admin: the import page and the export behind the domain admins' buttons.

The domain apps' admins take common.admin_exchange.ImportExportAdminMixin and name their kind of
record; ExchangeConfig.ready() provides these two functions to it. So each admin is registered once,
by its own app, and `exchange` builds on the domain apps without them importing it.
"""

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from . import services
from .exports import export_response
from .forms import ConfirmForm, ImportForm
from .importers import IMPORTERS


class AdminUploadForm(forms.Form):
    file = ImportForm.base_fields["file"]
    clean_file = ImportForm.clean_file


def admin_import_view(model_admin: admin.ModelAdmin, request: HttpRequest) -> HttpResponse:
    """Upload, preview and confirm the records of `model_admin`'s kind (the mixin checked the permission)."""
    kind = model_admin.exchange_kind
    opts = model_admin.model._meta
    changelist_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": opts,
        "importer": IMPORTERS[kind],
        "changelist_url": changelist_url,
        "upload_form": AdminUploadForm(),
        "title": _("Import"),
    }
    if request.method == "POST" and "cancel" in request.POST:
        if services.upload_cancel(user=request.user, token=request.POST.get("token", "")):
            messages.info(request, _("The upload was cancelled and its file deleted; nothing was imported."))
        return redirect(request.path)
    if request.method == "POST" and "token" in request.POST:
        upload = services.upload_open(user=request.user, token=request.POST["token"])
        if upload is None or upload.kind != kind:
            messages.error(request, _("This upload has expired or is not yours. Upload the file again."))
            return redirect(request.path)
        report = services.confirm_upload(user=request.user, upload=upload)
        if not report.has_errors:
            messages.success(
                request,
                _("Imported %(file)s: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
                % {
                    "file": upload.filename,
                    "created": report.counts[services.CREATE],
                    "updated": report.counts[services.UPDATE],
                    "unchanged": report.counts[services.UNCHANGED],
                },
            )
            return redirect(changelist_url)
        context.update(report=report, filename=upload.filename)
    elif request.method == "POST":
        form = AdminUploadForm(request.POST, request.FILES)
        if form.is_valid():
            preview = services.upload_and_preview(user=request.user, kind=kind, file=form.cleaned_data["file"])
            context.update(
                report=preview.report,
                filename=preview.filename,
                confirm_form=ConfirmForm(initial={"token": preview.token}),
            )
        context["upload_form"] = form
    return TemplateResponse(request, "admin/exchange/import.html", context)


def admin_export(kind: str, records: QuerySet, file_format: str) -> HttpResponse:
    """The selected records in the import's columns, as CSV or XLSX."""
    return export_response(IMPORTERS[kind], records, file_format, name=kind)
