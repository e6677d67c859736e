"""Per-request rules about people.

The second factor for people who set one up, idle expiry, the refusal log and the profile's language.
"""

import logging
import time

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode

from .sessions import LANGUAGE_KEY, PENDING_KEY, REFRESHED_KEY, mark_refreshed

logger = logging.getLogger("portal.security")

# Push the session's expiry forward at most this often: idle expiry without a write per request.
REFRESH_EVERY_SECONDS = 60


class TwoFactorMiddleware:
    """Someone with a confirmed device sees nothing but the code page until they enter a code."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        pending = request.session.get(PENDING_KEY) and not self._allowed_while_pending(request.path)
        if pending and request.user.is_authenticated and not request.user.is_verified():
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('accounts:two_factor_verify')}?{query}")
        return self.get_response(request)

    @staticmethod
    def _allowed_while_pending(path: str) -> bool:
        open_paths = (reverse("accounts:two_factor_verify"), reverse("logout"), reverse("healthz"))
        return path in open_paths or path.startswith("/" + settings.STATIC_URL.lstrip("/"))


class IdleSessionMiddleware:
    """Keeps an active session alive; an idle one ends SESSION_COOKIE_AGE seconds after its last use."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and not session.is_empty() and user is not None and user.is_authenticated:
            refreshed = session.get(REFRESHED_KEY, 0)
            if time.time() - refreshed >= REFRESH_EVERY_SECONDS:
                # Marking the session modified makes SessionMiddleware save it with a new expiry date.
                mark_refreshed(session)
        return response


class RefusalLogMiddleware:
    """One log line for every refused request (403), whoever refused it: a view, CSRF, admin."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403:
            user = getattr(request, "user", None)
            logger.warning(
                "permission_denied",
                extra={
                    "event": "permission_denied",
                    "user_id": user.pk if user is not None and user.is_authenticated else None,
                    "method": request.method,
                    "path": request.path,
                },
            )
        return response


class ProfileLanguageMiddleware:
    """After LocaleMiddleware: the profile's language (via the session) wins over the browser's.

    The choice is copied into the session at sign-in and when it changes, so applying it on each
    request costs no query; the profile keeps it across sessions and browsers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request.session.get(LANGUAGE_KEY) if hasattr(request, "session") else None
        if language in dict(settings.LANGUAGES):
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
