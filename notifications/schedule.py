"""The reminder schedule: the one place that decides which reminders are due on a day.

Pure functions of dates and loaded records; they never query. Each reminder is an *event* with a
stable key. A sweep that missed a day catches up: the event current on the day is the latest one
that has come (the smallest lead time not shorter than the days left; the latest overdue repeat),
and its key makes sure it goes once.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings

from agreements.lifecycle import FINAL_STATUSES, SIGNED_STATUSES
from agreements.models import Agreement, Milestone

DAY = datetime.timedelta(days=1)

# Agreements whose dates (act-by, expiry) remind: signed and not yet over.
DATES_REMIND_STATUSES = SIGNED_STATUSES - FINAL_STATUSES


@dataclass(frozen=True)
class ReminderEvent:
    kind: str  # an OutgoingEmail.Kind value
    key: str
    agreement: Agreement
    milestone: Milestone | None
    date: datetime.date  # the due, act-by or expiry date
    days: int  # days left (before) or days past (overdue, escalation)


def current_lead(*, date: datetime.date, lead_days: list[int], today: datetime.date) -> int | None:
    """The lead time whose reminder is current today, or None before the first or after the date."""
    days_left = (date - today).days
    if days_left < 0:
        return None
    reached = [lead for lead in lead_days if lead >= days_left]
    return min(reached) if reached else None


def overdue_occurrence(*, due_on: datetime.date, today: datetime.date) -> datetime.date | None:
    """The latest overdue reminder day up to today: the day after the due date, then every N days."""
    first = due_on + DAY
    if today < first:
        return None
    every = settings.OVERDUE_REMINDER_EVERY_DAYS
    return first + datetime.timedelta(days=(today - first).days // every * every)


def escalation_due(*, due_on: datetime.date, today: datetime.date) -> bool:
    return (today - due_on).days >= settings.ESCALATION_AFTER_DAYS


def milestone_reminds(milestone: Milestone) -> bool:
    """Done and cancelled milestones, and those of finished agreements, never remind."""
    return milestone.status in Milestone.OPEN_STATUSES and milestone.agreement.status not in FINAL_STATUSES


def due_key(milestone: Milestone, lead: int | None) -> str:
    # The due date is part of the key: a milestone moved to a new date reminds again.
    suffix = "upcoming" if lead is None else str(lead)
    return f"milestone:{milestone.pk}:due:{milestone.due_on.isoformat()}:{suffix}"


def overdue_key(milestone: Milestone, occurrence: datetime.date) -> str:
    return f"milestone:{milestone.pk}:overdue:{occurrence.isoformat()}"


def escalation_key(milestone: Milestone) -> str:
    return f"milestone:{milestone.pk}:escalation:{milestone.due_on.isoformat()}"


def completed_key(milestone: Milestone) -> str:
    return f"milestone:{milestone.pk}:completed"


def agreement_date_key(agreement: Agreement, kind: str, date: datetime.date, lead: int | None) -> str:
    suffix = "upcoming" if lead is None else str(lead)
    return f"agreement:{agreement.pk}:{kind}:{date.isoformat()}:{suffix}"


def milestone_events(
    milestone: Milestone, *, today: datetime.date, snoozed_until: datetime.date | None
) -> list[ReminderEvent]:
    """The reminders about `milestone` current today (its agreement must be loaded with it)."""
    if not milestone_reminds(milestone):
        return []
    due_on, agreement = milestone.due_on, milestone.agreement
    lead = current_lead(date=due_on, lead_days=milestone.reminder_lead_days(), today=today)
    if lead is not None:
        days = (due_on - today).days
        return [ReminderEvent("reminder_due", due_key(milestone, lead), agreement, milestone, due_on, days)]
    events = []
    days_past = (today - due_on).days
    occurrence = overdue_occurrence(due_on=due_on, today=today)
    if occurrence is not None and not (snoozed_until and today < snoozed_until):
        key = overdue_key(milestone, occurrence)
        events.append(ReminderEvent("reminder_overdue", key, agreement, milestone, due_on, days_past))
    if escalation_due(due_on=due_on, today=today):
        key = escalation_key(milestone)
        events.append(ReminderEvent("escalation", key, agreement, milestone, due_on, days_past))
    return events


def agreement_dates(agreement: Agreement, *, today: datetime.date) -> list[tuple[str, datetime.date]]:
    """The dates of `agreement` people must act on: (kind, date), next act-by or the expiry."""
    if agreement.status not in DATES_REMIND_STATUSES:
        return []
    if agreement.renews_automatically:
        act_by = agreement.act_by_on(today)
        return [("act_by", act_by)] if act_by else []
    if agreement.expires_on and agreement.expires_on >= today:
        return [("expiry", agreement.expires_on)]
    return []


def agreement_date_lead(agreement: Agreement, *, date: datetime.date, today: datetime.date) -> int | None:
    # Its own lead times, else the portal's default for agreement dates (not the milestones' 14/3/0).
    return current_lead(date=date, lead_days=agreement.date_reminder_lead_days(), today=today)


def agreement_events(agreement: Agreement, *, today: datetime.date) -> list[ReminderEvent]:
    events = []
    for kind, date in agreement_dates(agreement, today=today):
        lead = agreement_date_lead(agreement, date=date, today=today)
        if lead is not None:
            key = agreement_date_key(agreement, kind, date, lead)
            events.append(ReminderEvent(kind, key, agreement, None, date, (date - today).days))
    return events
