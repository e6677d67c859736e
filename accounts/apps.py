from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """The home of people: sign-in and two-factor, profile and language, park staff and invitations.

    Sign-in includes the lockout page and the sign-in log. Builds on parks (a person's roles are park
    memberships); notifications and the portal build on it; parks, residents and agreements never
    import it.
    """

    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the sign-in receivers, the profile's language among them)


class VerifiedAdminConfig(admin_apps.AdminConfig):
    """Django admin whose site only admits users who passed the second factor."""

    default = False
    default_site = "accounts.admin_site.VerifiedAdminSite"
