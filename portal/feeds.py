"""The iCalendar feed of a person's milestones, for calendar applications to subscribe to."""

import datetime
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from agreements.models import Milestone

PRODUCT_ID = "-//Technopolis Portal//Milestones//EN"


def milestone_uid(milestone: Milestone) -> str:
    """Stable for the life of the milestone, so calendars update an event rather than duplicate it."""
    return f"milestone-{milestone.pk}@{urlsplit(settings.SITE_URL).hostname}"


def _event(milestone: Milestone, *, stamp: datetime.datetime) -> Event:
    agreement = milestone.agreement
    link = settings.SITE_URL + reverse("agreements:detail", args=[agreement.pk])
    event = Event()
    event.add("uid", milestone_uid(milestone))
    event.add("dtstamp", stamp)
    # An all-day event: a DATE start and the next day as its (exclusive) end.
    event.add("dtstart", milestone.due_on)
    event.add("dtend", milestone.due_on + datetime.timedelta(days=1))
    event.add("summary", f"{agreement.reference}: {milestone.title}")
    event.add(
        "description",
        "\n".join(
            [
                _("Status: %(status)s") % {"status": milestone.get_status_display()},
                _("Agreement: %(agreement)s") % {"agreement": agreement},
                link,
            ]
        ),
    )
    event.add("url", link)
    event.add("status", "CANCELLED" if milestone.status == Milestone.Status.CANCELLED else "CONFIRMED")
    event.add("transp", "TRANSPARENT")
    return event


def milestone_calendar(milestones: Iterable[Milestone]) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _("Technopolis Portal milestones"))
    stamp = timezone.now()
    for milestone in milestones:
        calendar.add_component(_event(milestone, stamp=stamp))
    return calendar.to_ical()
