"""An archived agreement leaves daily work: no dashboard entries, no calendar events, no reminders
or digests about it; it stays findable (the lists' "archived" filter, its own page)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from agreements.models import Agreement
from notifications.digests import digests_plan
from notifications.models import OutgoingEmail
from notifications.planning import reminders_plan
from tests.factories import (
    CalendarTokenFactory,
    MilestoneFactory,
    PersonFactory,
    SubscriptionFactory,
    TechnopolisFactory,
    agreement_with_parties,
    member,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def today() -> datetime.date:
    return timezone.localdate()


@pytest.fixture
def park():
    return TechnopolisFactory()


def late_agreement(park, today, *, archived: bool, reference: str) -> Agreement:
    agreement = agreement_with_parties(
        park,
        TechnopolisFactory(),
        reference=reference,
        status=Agreement.Status.ACTIVE,
        effective_from=today - datetime.timedelta(days=400),
        expires_on=today + datetime.timedelta(days=30),
        archived_at=timezone.now() if archived else None,
    )
    MilestoneFactory(
        agreement=agreement,
        title=f"Late milestone of {reference}",
        due_on=today - datetime.timedelta(days=1),
        responsible_person=PersonFactory(email=f"{reference.lower()}@example.org"),
    )
    return agreement


def test_the_dashboard_leaves_archived_agreements_out(client, park, today):
    late_agreement(park, today, archived=False, reference="KEPT-1")
    late_agreement(park, today, archived=True, reference="ARCHIVED-1")
    client.force_login(member(park))

    page = client.get(reverse("portal:dashboard")).content.decode()

    assert "Late milestone of KEPT-1" in page
    assert "Late milestone of ARCHIVED-1" not in page


def test_the_calendar_feed_leaves_archived_agreements_out(client, park, today):
    late_agreement(park, today, archived=False, reference="KEPT-1")
    late_agreement(park, today, archived=True, reference="ARCHIVED-1")
    token = CalendarTokenFactory(user=member(park))

    calendar = Calendar.from_ical(client.get(reverse("portal:calendar_feed", args=[token.token])).content)

    summaries = [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")]
    assert summaries == ["KEPT-1: Late milestone of KEPT-1"]


def test_no_reminder_or_digest_is_planned_about_an_archived_agreement(park, today):
    kept = late_agreement(park, today, archived=False, reference="KEPT-1")
    archived = late_agreement(park, today, archived=True, reference="ARCHIVED-1")
    subscription = SubscriptionFactory(person=PersonFactory(email="partner@example.org"))
    subscription.agreements.add(kept, archived)

    reminders_plan(today=today)
    digests_plan(today=today)

    reminders = OutgoingEmail.objects.exclude(kind=OutgoingEmail.Kind.DIGEST)
    assert set(reminders.values_list("recipient_address", flat=True)) == {"kept-1@example.org"}
    digest = OutgoingEmail.objects.get(kind=OutgoingEmail.Kind.DIGEST)
    assert "KEPT-1" in digest.text_body and "ARCHIVED-1" not in digest.text_body
