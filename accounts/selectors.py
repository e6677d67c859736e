"""Reads about people: the language a person chose, the staff of the parks a person manages."""

from typing import TypeVar

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Model, QuerySet

from parks.access import staff_managed_memberships
from parks.models import Membership

from .models import Profile

ModelT = TypeVar("ModelT", bound=Model)

# --- Language -----------------------------------------------------------------------------------

# The user -> profile side of the profile's one-to-one field: its name and its per-object cache.
_PROFILE = Profile._meta.get_field("user").remote_field


def user_chosen_language(*, user: User | AnonymousUser) -> str:
    """The language a person chose in their profile; "" if they never chose one.

    Reads the profile loaded with the user (see user_language_preload) when there is one, else asks
    the database, each time: a user object kept for long must not answer with an old choice.
    """
    if user.pk is None:  # anonymous
        return ""
    if _PROFILE.is_cached(user):
        profile = _PROFILE.get_cached_value(user)
        return profile.language if profile is not None else ""
    return Profile.objects.filter(user_id=user.pk).values_list("language", flat=True).first() or ""


def user_language(*, user: User | AnonymousUser) -> str:
    """The language of a person's pages and e-mails: the one they chose, else the portal's default."""
    return user_chosen_language(user=user) or settings.LANGUAGE_CODE


def user_language_preload(*, queryset: QuerySet[ModelT], user_field: str) -> QuerySet[ModelT]:
    """The queryset, also loading what user_language reads of the users at `user_field` (same query).

    Callers name the user, never the profile: how a language is kept stays accounts' business.
    """
    return queryset.select_related(f"{user_field}__{_PROFILE.cache_name}")


# --- Staff --------------------------------------------------------------------------------------


def staff_memberships(*, user: User | AnonymousUser) -> QuerySet[Membership]:
    """The members of the parks the user manages, with their people and parks."""
    return (
        staff_managed_memberships(user)
        .select_related("user", "technopolis")
        .order_by("technopolis__name", "user__last_name", "user__first_name", "user__username")
    )
