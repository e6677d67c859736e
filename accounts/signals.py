"""Sign-in receivers: only bookkeeping of the session and one log line per event.

The session learns whether a second factor is due, when it was last used and the profile's language.
"""

import logging

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django_otp import user_has_device

from .selectors import user_chosen_language
from .services import profile_language_set
from .sessions import LANGUAGE_KEY, PENDING_KEY, mark_refreshed

logger = logging.getLogger("portal.security")


def client_ip(request) -> str | None:
    if request is None:
        return None
    # Axes resolves the address behind the proxy (AXES_IPWARE_PROXY_COUNT) and stores it here.
    return getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR")


@receiver(user_logged_in, dispatch_uid="accounts.sign_in")
def on_sign_in(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        mark_refreshed(request.session)
        if user_has_device(user):
            request.session[PENDING_KEY] = True
    logger.info(
        "sign_in",
        extra={"event": "sign_in", "user_id": user.pk, "username": user.get_username(), "ip": client_ip(request)},
    )


@receiver(user_login_failed, dispatch_uid="accounts.sign_in_failed")
def on_sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    # Django already replaced the password in `credentials` with asterisks; only the name is logged.
    logger.warning(
        "sign_in_failed",
        extra={"event": "sign_in_failed", "username": credentials.get("username", ""), "ip": client_ip(request)},
    )


@receiver(user_logged_in, dispatch_uid="accounts.language_at_sign_in")
def remember_language_at_sign_in(sender, request, user, **kwargs) -> None:
    """The profile's language applies from sign-in on; a first choice made on the login page is kept."""
    if request is None or not hasattr(request, "session"):
        return
    language = user_chosen_language(user=user)
    if language:
        request.session[LANGUAGE_KEY] = language
    elif request.session.get(LANGUAGE_KEY) in dict(settings.LANGUAGES):
        profile_language_set(user=user, language=request.session[LANGUAGE_KEY])
