from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """What the people running the portal need: the health check and the JSON log format."""

    name = "operations"
    verbose_name = _("Operations")
