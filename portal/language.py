"""A person's language: chosen with the switcher, kept in their profile, applied on every page.

The choice is copied into the session at sign-in and when it changes, so applying it on each
request costs no query; the profile keeps it across sessions and browsers.
"""

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import translation

from accounts.models import Profile

SESSION_KEY = "portal_language"


def language_of(user: User) -> str:
    """The language a person chose, or the portal's default (for their pages and their e-mails)."""
    profile = Profile.objects.filter(user=user).first()
    return (profile and profile.language) or settings.LANGUAGE_CODE


def profile_language_set(*, user: User, language: str) -> Profile:
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"unknown language {language!r}")
    profile, _created = Profile.objects.update_or_create(user=user, defaults={"language": language})
    return profile


@receiver(user_logged_in, dispatch_uid="portal.language_at_sign_in")
def remember_language_at_sign_in(sender, request, user, **kwargs) -> None:
    """The profile's language applies from sign-in on; a first choice made on the login page is kept."""
    if request is None or not hasattr(request, "session"):
        return
    language = Profile.objects.filter(user=user).values_list("language", flat=True).first()
    if language:
        request.session[SESSION_KEY] = language
    elif request.session.get(SESSION_KEY) in dict(settings.LANGUAGES):
        profile_language_set(user=user, language=request.session[SESSION_KEY])


class ProfileLanguageMiddleware:
    """After LocaleMiddleware: the profile's language (via the session) wins over the browser's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
        if language in dict(settings.LANGUAGES):
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
