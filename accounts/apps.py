from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Sign-in security: two-factor devices, lockout page, sign-in events in the log.

    Sits above parks, residents and agreements; none of them imports it.
    """

    name = "accounts"
    verbose_name = _("Sign-in security")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the sign-in receivers)


class VerifiedAdminConfig(admin_apps.AdminConfig):
    """Django admin whose site only admits users who passed the second factor."""

    default = False
    default_site = "accounts.admin_site.VerifiedAdminSite"
