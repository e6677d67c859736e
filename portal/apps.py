from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The staff portal's cross-cutting pages: dashboard, park pages, search, profile, calendar feed.

    These pages combine parks, residents, agreements and accounts, so they live above them all.
    """

    name = "portal"
    verbose_name = _("Staff portal")
