"""Celery tasks: thin wrappers that take ids or ISO dates and call the services.

SMTP failures are recorded on the outbox row (attempts, backoff, error: visible in admin) and
tried again by the next `deliver_outbox` run; `deliver_email` also schedules its own retry for when
the row's backoff ends. The automatic retry covers the database being briefly unreachable.
"""

import datetime

from celery import group, shared_task
from django.db import DatabaseError
from django.utils import timezone

from .delivery import MAX_ATTEMPTS, email_deliver, outbox_deliver
from .digests import DIGEST_BATCH, digests_run
from .models import OutgoingEmail
from .planning import reminders_plan
from .selectors import digest_subscription_ranges

RETRY = {
    "autoretry_for": (DatabaseError, ConnectionError, TimeoutError),
    "retry_backoff": 30,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 5,
}


def _day(date: str | None) -> datetime.date:
    return datetime.date.fromisoformat(date) if date else timezone.localdate()


@shared_task(**RETRY)
def send_reminders(date: str | None = None) -> dict:
    """The daily sweep: plan the day's reminders, then deliver."""
    planned = reminders_plan(today=_day(date))
    return {"planned": len(planned), **vars(outbox_deliver())}


@shared_task(**RETRY)
def send_digests(date: str | None = None, batch_size: int = DIGEST_BATCH) -> dict:
    """The day's digests, fanned out: one task per range of about `batch_size` subscriptions, taken by
    whichever worker process is free, on this machine or another."""
    day = _day(date).isoformat()  # fixed here: every range plans the same day, even past midnight
    ranges = digest_subscription_ranges(size=batch_size)
    group(send_digest_range.si(day, first_id, last_id, batch_size) for first_id, last_id in ranges).apply_async()
    return {"date": day, "ranges": len(ranges)}


# Acknowledged once done, and given back to the queue when its worker dies: planning again is safe
# (each digest's dedup key is recorded once), so a killed worker's range is planned by another.
@shared_task(acks_late=True, reject_on_worker_lost=True, **RETRY)
def send_digest_range(date: str, first_id: int, last_id: int | None, batch_size: int = DIGEST_BATCH) -> dict:
    """Plans the digests of one range of subscriptions, then helps send what the outbox holds."""
    planned = digests_run(today=_day(date), first_id=first_id, last_id=last_id, batch_size=batch_size)
    return {"planned": planned, **vars(outbox_deliver())}


@shared_task(**RETRY)
def deliver_outbox() -> dict:
    """Sends what is due in the outbox, retries included; run it every few minutes."""
    return vars(outbox_deliver())


@shared_task(bind=True, **RETRY)
def deliver_email(self, email_id: int) -> str | None:
    """Sends one outbox row; after a transient failure, tries again when the row's backoff ends."""
    outcome = email_deliver(email_id=email_id)
    if outcome == "retrying":
        next_attempt_at = OutgoingEmail.objects.values_list("next_attempt_at", flat=True).get(pk=email_id)
        countdown = max((next_attempt_at - timezone.now()).total_seconds(), 0)
        raise self.retry(countdown=countdown, max_retries=MAX_ATTEMPTS)
    return outcome
