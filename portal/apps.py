from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The staff portal's cross-cutting pages: dashboard, park pages, search, profile, staff.

    These pages combine parks, residents and agreements, so they live above all three apps.
    """

    name = "portal"
    verbose_name = _("Staff portal")
