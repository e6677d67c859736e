from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    """Small pieces every app uses (missing-data rules, CSV export, template tags); knows no domain."""

    name = "common"
    verbose_name = _("Common")
