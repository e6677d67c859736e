"""Import and export in Django admin: the button, the import page's URL and the export actions.

A domain app's admin takes ImportExportAdminMixin and names its kind of record (`exchange_kind`,
e.g. "agreements"); it is registered once, by its own app. What the button and the actions do is
provided by the app that reads and writes spreadsheets (`exchange`), which builds on the domain
apps: it fills this registry from its AppConfig.ready(), so that no domain app imports it and this
module knows neither of them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import admin
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class AdminExchange:
    """The admin's import page (for one model admin) and the export of the selected records of a kind."""

    import_view: Callable[[admin.ModelAdmin, HttpRequest], HttpResponse]
    export: Callable[[str, QuerySet, str], HttpResponse]  # (kind, records, "csv" or "xlsx")


_provided: AdminExchange | None = None


def provide(exchange: AdminExchange) -> None:
    """Called once at start-up by the app that imports and exports (exchange)."""
    global _provided
    _provided = exchange


def _exchange() -> AdminExchange:
    if _provided is None:
        raise ImproperlyConfigured("No app provides import and export in admin: is 'exchange' in INSTALLED_APPS?")
    return _provided


class ImportExportAdminMixin:
    """An "Import CSV / XLSX" button on the list, for staff who may add and change, and two export actions."""

    exchange_kind: str
    change_list_template = "admin/common/import_export_change_list.html"
    actions = ["export_xlsx", "export_csv"]

    def _url_name(self, view: str) -> str:
        opts = self.model._meta
        return f"{opts.app_label}_{opts.model_name}_{view}"

    def _may_import(self, request: HttpRequest) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def get_urls(self):
        _exchange()  # at start-up (the URL check) rather than on the first click
        import_url = path("import/", self.admin_site.admin_view(self.import_view), name=self._url_name("import"))
        return [import_url, *super().get_urls()]

    def changelist_view(self, request: HttpRequest, extra_context=None):
        extra_context = extra_context or {}
        if self._may_import(request):
            extra_context["exchange_import_url"] = reverse(f"admin:{self._url_name('import')}")
        return super().changelist_view(request, extra_context)

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self._may_import(request):
            raise PermissionDenied
        return _exchange().import_view(self, request)

    @admin.action(description=_("Export selected to XLSX"))
    def export_xlsx(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse:
        return _exchange().export(self.exchange_kind, queryset, "xlsx")

    @admin.action(description=_("Export selected to CSV"))
    def export_csv(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse:
        return _exchange().export(self.exchange_kind, queryset, "csv")
