"""Import and export in Django admin, for staff with the model's add and change permissions.

The domain apps' admin classes are extended here (and re-registered), rather than importing this
app from theirs: `exchange` builds on them, never the other way round.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.admin import AgreementAdmin, MilestoneAdmin
from agreements.models import Agreement, Milestone
from residents.admin import IntellectualPropertyAdmin, KnowHowAdmin, ProductAdmin, ResidentCompanyAdmin
from residents.models import IntellectualProperty, KnowHow, Product, ResidentCompany

from . import services
from .exports import export_response
from .forms import ConfirmForm, ImportForm
from .importers import IMPORTERS


class AdminUploadForm(forms.Form):
    file = ImportForm.base_fields["file"]
    clean_file = ImportForm.clean_file


class ImportExportAdminMixin:
    exchange_kind: str
    change_list_template = "admin/exchange/change_list.html"
    actions = ["export_xlsx", "export_csv"]

    def _may_import(self, request: HttpRequest) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def get_urls(self):
        opts = self.model._meta
        name = f"{opts.app_label}_{opts.model_name}_import"
        return [path("import/", self.admin_site.admin_view(self.import_view), name=name), *super().get_urls()]

    def changelist_view(self, request: HttpRequest, extra_context=None):
        extra_context = extra_context or {}
        if self._may_import(request):
            opts = self.model._meta
            extra_context["exchange_import_url"] = reverse(f"admin:{opts.app_label}_{opts.model_name}_import")
        return super().changelist_view(request, extra_context)

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self._may_import(request):
            raise PermissionDenied
        opts = self.model._meta
        changelist_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": opts,
            "importer": IMPORTERS[self.exchange_kind],
            "changelist_url": changelist_url,
            "upload_form": AdminUploadForm(),
            "title": _("Import"),
        }
        if request.method == "POST" and "token" in request.POST:
            upload = services.upload_open(user=request.user, token=request.POST["token"])
            if upload is None or upload.kind != self.exchange_kind:
                messages.error(request, _("This upload has expired or is not yours. Upload the file again."))
                return redirect(request.path)
            report = services.import_apply(
                user=request.user, kind=upload.kind, path=upload.path, filename=upload.filename
            )
            if not report.has_errors:
                services.upload_discard(upload)
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
            context.update(report=report, filename=upload.filename, confirm_form=ConfirmForm(request.POST))
        elif request.method == "POST":
            form = AdminUploadForm(request.POST, request.FILES)
            if form.is_valid():
                upload_file = form.cleaned_data["file"]
                token = services.upload_store(user=request.user, kind=self.exchange_kind, file=upload_file)
                upload = services.upload_open(user=request.user, token=token)
                report = services.import_preview(
                    user=request.user, kind=upload.kind, path=upload.path, filename=upload.filename
                )
                context.update(
                    report=report, filename=upload.filename, confirm_form=ConfirmForm(initial={"token": token})
                )
            context["upload_form"] = form
        return TemplateResponse(request, "admin/exchange/import.html", context)

    @admin.action(description=gettext_lazy("Export selected to XLSX"))
    def export_xlsx(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse:
        return export_response(
            IMPORTERS[self.exchange_kind], queryset.iterator(chunk_size=500), "xlsx", name=self.exchange_kind
        )

    @admin.action(description=gettext_lazy("Export selected to CSV"))
    def export_csv(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse:
        return export_response(
            IMPORTERS[self.exchange_kind], queryset.iterator(chunk_size=500), "csv", name=self.exchange_kind
        )


class CompanyImportAdmin(ImportExportAdminMixin, ResidentCompanyAdmin):
    exchange_kind = "companies"


class ProductImportAdmin(ImportExportAdminMixin, ProductAdmin):
    exchange_kind = "products"


class IntellectualPropertyImportAdmin(ImportExportAdminMixin, IntellectualPropertyAdmin):
    exchange_kind = "ip"


class KnowHowImportAdmin(ImportExportAdminMixin, KnowHowAdmin):
    exchange_kind = "know-how"


class AgreementImportAdmin(ImportExportAdminMixin, AgreementAdmin):
    exchange_kind = "agreements"


class MilestoneImportAdmin(ImportExportAdminMixin, MilestoneAdmin):
    exchange_kind = "milestones"


for model, model_admin in (
    (ResidentCompany, CompanyImportAdmin),
    (Product, ProductImportAdmin),
    (IntellectualProperty, IntellectualPropertyImportAdmin),
    (KnowHow, KnowHowImportAdmin),
    (Agreement, AgreementImportAdmin),
    (Milestone, MilestoneImportAdmin),
):
    admin.site.unregister(model)
    admin.site.register(model, model_admin)
