from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Reminders, partner digests and the outbox that delivers them; reads agreements, never the reverse."""

    name = "notifications"
    verbose_name = _("Notifications")
