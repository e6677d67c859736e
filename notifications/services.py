"""Writes about subscriptions, snoozes and re-sending; views, admin and commands call these."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import Agreement, Milestone
from parks.models import Person

from . import selectors
from .models import OutgoingEmail, ReminderSnooze, Subscription, SuppressedAddress

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
    """A subscription to one agreement, for a partner contact or a portal user (validated first).

    Refused when the contact already follows the agreement (see selectors.overlapping_subscription);
    the contact's row is locked meanwhile, so that two people adding the same contact at once do not
    both succeed."""
    subscription = Subscription(person=person, user=user, delivery=delivery, frequency=frequency, language=language)
    subscription.full_clean()
    if person is not None:
        Person.objects.select_for_update().filter(pk=person.pk).first()
    else:
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    existing = selectors.overlapping_subscription(
        person_id=person.pk if person else None, user_id=user.pk if user else None, agreement_ids=[agreement.pk]
    )
    if existing is not None:
        raise ValidationError(
            {
                "person" if person else "myself": _(
                    "%(contact)s already follows this agreement (%(delivery)s): change or remove that "
                    "subscription instead of adding a second one."
                )
                % {"contact": existing.recipient_name, "delivery": existing.get_delivery_display()}
            },
            code="already_following",
        )
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
    """Queues failed, bounced and suppressed e-mails again, with a fresh set of attempts; returns how many.

    A suppressed address stays suppressed until its suppression is lifted: its e-mails are then marked
    suppressed again on the next run rather than sent."""
    S = OutgoingEmail.Status
    return emails.filter(status__in=[S.FAILED, S.BOUNCED, S.SUPPRESSED]).update(
        status=OutgoingEmail.Status.QUEUED, attempts=0, next_attempt_at=now or timezone.now(), locked_at=None
    )


def addresses_unsuppress(*, addresses: QuerySet[SuppressedAddress]) -> int:
    """Lifts the suppression of these addresses: new e-mails go to them again; returns how many."""
    count, _deleted = addresses.delete()
    return count
