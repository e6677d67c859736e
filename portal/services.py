"""Writes of the portal's own pages: calendar tokens."""

from django.contrib.auth.models import User
from django.utils import timezone

from .models import CalendarToken, new_calendar_token


def calendar_token_create(*, user: User) -> CalendarToken:
    """The user's token, made if they have none yet (creating twice keeps the first)."""
    token, _created = CalendarToken.objects.get_or_create(user=user)
    return token


def calendar_token_regenerate(*, user: User) -> CalendarToken:
    """A new token for the user; the URL with the old one stops working at once."""
    token, _created = CalendarToken.objects.update_or_create(
        user=user, defaults={"token": new_calendar_token(), "created_at": timezone.now()}
    )
    return token


def calendar_token_revoke(*, user: User) -> None:
    CalendarToken.objects.filter(user=user).delete()
