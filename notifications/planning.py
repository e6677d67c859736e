"""The daily reminder sweep: which reminders are due today, to whom, recorded in the outbox.

`reminders_plan` loads everything in a fixed number of queries (whatever the number of
milestones), asks `schedule` which events are current and `recipients` who hears about each,
claims the events and writes one rendered e-mail per event and address. Nothing is sent here.
"""

import datetime

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.utils import timezone, translation

from agreements.models import Agreement, Milestone
from partners.links import attach_partner_links

from . import links, selectors
from .outbox import PlannedEmail, claim_events, outbox_write, without_planned
from .recipients import (
    Audience,
    Recipient,
    agreement_date_recipients,
    escalation_recipients,
    milestone_recipients,
)
from .schedule import ReminderEvent, agreement_events, milestone_events


def _snoozed_until(milestone: Milestone) -> datetime.date | None:
    try:
        return milestone.reminder_snooze.until
    except ObjectDoesNotExist:
        return None


def _recipients(event: ReminderEvent, audience: Audience) -> list[Recipient]:
    if event.kind == "escalation":
        return escalation_recipients(event.milestone, audience)
    if event.milestone is not None:
        return milestone_recipients(event.milestone, audience)
    return agreement_date_recipients(event.agreement, audience)


def agreement_context(agreement: Agreement) -> dict:
    return {"reference": agreement.reference, "title": agreement.title, "url": links.agreement_url(agreement.pk)}


def milestone_context(milestone: Milestone) -> dict:
    person = milestone.responsible_person
    return {
        "title": milestone.title,
        "due_on": milestone.due_on,
        "responsible_park": str(milestone.responsible_technopolis or ""),
        "responsible_person": person.full_name if person else "",
    }


def _planned(event: ReminderEvent, recipient: Recipient, today: datetime.date) -> PlannedEmail:
    # Names and titles in the recipient's language (falling back to the other one), whoever runs the sweep.
    with translation.override(recipient.language):
        context = {
            "recipient_name": recipient.name,
            "agreement": agreement_context(event.agreement),
            "milestone": milestone_context(event.milestone) if event.milestone else None,
            "date": event.date,
            "days": event.days,
        }
    if event.kind == "reminder_overdue" and recipient.subscription is None:
        # Those responsible may pause the reminders; followers may not.
        context["snooze_url"] = links.snooze_url(event.milestone.pk, recipient.address)
    headers = {}
    if recipient.subscription is not None:
        context["unsubscribe_url"] = links.unsubscribe_url(recipient.subscription.pk)
        headers = links.unsubscribe_headers(context["unsubscribe_url"])
    return PlannedEmail(
        kind=event.kind,
        recipient=recipient,
        dedup_key=f"{event.key}:{recipient.address.lower()}",
        event_keys=[event.key],
        planned_for=today,
        context=context,
        milestone=event.milestone,
        agreement=event.agreement,
        headers=headers,
    )


def reminder_events(*, today: datetime.date) -> list[ReminderEvent]:
    events = []
    for milestone in selectors.reminder_milestones(today=today):
        events += milestone_events(milestone, today=today, snoozed_until=_snoozed_until(milestone))
    for agreement in selectors.agreements_with_dates():
        events += agreement_events(agreement, today=today)
    return events


def reminders_plan(
    *, today: datetime.date, now: datetime.datetime | None = None, dry_run: bool = False
) -> list[PlannedEmail]:
    """Records today's reminders in the outbox and returns the new ones (on a dry run: would record)."""
    now = now or timezone.now()
    events = reminder_events(today=today)
    audience = selectors.audience_load(
        agreement_ids={event.agreement.pk for event in events},
        park_ids={event.milestone.responsible_technopolis_id for event in events if event.milestone} - {None},
    )
    candidates = without_planned(
        [_planned(event, recipient, today) for event in events for recipient in _recipients(event, audience)]
    )
    with transaction.atomic():
        if dry_run:
            owners = selectors.event_owners(pair for email in candidates for pair in email.claims)
        else:
            owners = claim_events(candidates)
        # An event a digest already delivered to this address is not sent again on its own.
        planned = [email for email in candidates if owners.get(email.claims[0], email.dedup_key) == email.dedup_key]
        if not dry_run:
            attach_partner_links(planned, reason="reminder", now=now)
        for email in planned:
            email.render()
        if not dry_run:
            recorded = outbox_write(planned, now=now)
            planned = [email for email in planned if email.dedup_key in recorded]
    return planned
