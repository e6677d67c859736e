"""Writes about people: the language a person chose."""

from django.conf import settings
from django.contrib.auth.models import User

from .models import Profile


def profile_language_set(*, user: User, language: str) -> Profile:
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"unknown language {language!r}")
    profile, _created = Profile.objects.update_or_create(user=user, defaults={"language": language})
    # The user in hand reads the new choice too (user_language reads the profile cached on it).
    user.profile = profile
    return profile
