"""Writes about subscriptions, snoozes and re-sending; views, admin and commands call these."""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from agreements.models import Agreement, Milestone
from parks.models import Person

from .models import OutgoingEmail, ReminderSnooze, Subscription

SNOOZE_DAYS = 7


@transaction.atomic
def subscription_create(
    *,
    agreement: Agreement,
    person: Person | None = None,
    user: AbstractBaseUser | None = None,
    delivery: str = Subscription.Delivery.DIGEST,
    frequency: str = Subscription.Frequency.WEEKLY,
    language: str,
) -> Subscription:
    """A subscription to one agreement, for a partner contact or a portal user (validated first)."""
    subscription = Subscription(person=person, user=user, delivery=delivery, frequency=frequency, language=language)
    subscription.full_clean()
    subscription.save()
    subscription.agreements.add(agreement)
    return subscription


@transaction.atomic
def subscription_remove_agreement(*, subscription: Subscription, agreement: Agreement) -> None:
    """Stops following the agreement; a subscription left following nothing is ended (kept for the log)."""
    subscription.agreements.remove(agreement)
    if not subscription.agreements.exists() and not subscription.parks.exists():
        subscription_unsubscribe(subscription=subscription)


def subscription_unsubscribe(*, subscription: Subscription, now: datetime.datetime | None = None) -> bool:
    """Ends the subscription; False when it had already ended. Queued e-mails of it still go."""
    return bool(
        Subscription.objects.filter(pk=subscription.pk, unsubscribed_at__isnull=True).update(
            unsubscribed_at=now or timezone.now()
        )
    )


def milestone_snooze(*, milestone: Milestone, today: datetime.date, by: str) -> ReminderSnooze | None:
    """Silences an overdue milestone's reminders for a week; None when it is not overdue."""
    if not milestone.is_overdue(today):
        return None
    snooze, _created = ReminderSnooze.objects.update_or_create(
        milestone=milestone,
        defaults={"until": today + datetime.timedelta(days=SNOOZE_DAYS), "snoozed_by": by[:254]},
    )
    return snooze


def emails_requeue(*, emails: QuerySet[OutgoingEmail], now: datetime.datetime | None = None) -> int:
    """Queues failed and bounced e-mails again, with a fresh set of attempts; returns how many."""
    return emails.filter(status__in=[OutgoingEmail.Status.FAILED, OutgoingEmail.Status.BOUNCED]).update(
        status=OutgoingEmail.Status.QUEUED, attempts=0, next_attempt_at=now or timezone.now(), locked_at=None
    )
