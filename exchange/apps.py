from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    """Spreadsheet import and export of the domain's records, and printable summaries."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "exchange"
    verbose_name = _("Import and export")

    def ready(self) -> None:
        # The domain admins' import button and export actions (common.admin_exchange) call these.
        from common.admin_exchange import AdminExchange, provide

        from .admin import admin_export, admin_import_view

        provide(AdminExchange(import_view=admin_import_view, export=admin_export))
