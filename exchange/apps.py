from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    """Spreadsheet import and export of the domain's records, and printable summaries."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "exchange"
    verbose_name = _("Import and export")
