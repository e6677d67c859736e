"""Sends what the outbox holds: each row claimed by one worker, retried with backoff, never lost.

A run claims due rows a batch at a time (SELECT ... FOR UPDATE SKIP LOCKED, then queued -> sending
in one UPDATE): two workers never claim the same row, and neither waits for the other. It sends the
batch over one SMTP connection and records each message as sent as soon as the server accepted it,
and goes on until nothing due is left. A transient failure (connection refused, timeout, a 4xx
answer) puts the row back in the queue for a later attempt; after the last attempt it is failed. A
5xx answer about the recipient (or the message) marks it bounced, and the others go on; a recipient
refused for good is put on the suppression list, and nothing more is sent to it (its rows are marked
suppressed, which the delivery log shows) until an admin lifts it. A broken connection ends the run:
the batch's unsent rows go back to the queue with their attempt not counted. A worker killed
mid-batch leaves rows in "sending": past the lease they are queued again. A batch never outlives its
lease: a run stops starting messages of a batch before the lease could run out and puts the rest
back. The one gap no outbox closes: a worker killed after the SMTP server accepted a message and
before it was marked sent sends that one message again, with the same Message-ID (derived from the
row), so that receivers can tell it is the same.
"""

import datetime
import logging
import smtplib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .emails import build_message
from .models import OutgoingEmail, SuppressedAddress

logger = logging.getLogger(__name__)

# Waits after the 1st, 2nd, ... failed attempt; the attempt after the last wait is the last one.
BACKOFF = (
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
    datetime.timedelta(hours=6),
)
MAX_ATTEMPTS = len(BACKOFF) + 1
# A row "sending" for longer than this belongs to a worker that died.
LEASE = datetime.timedelta(minutes=5)
# Rows claimed at once (2 queries), then one UPDATE per message as the server accepts it.
BATCH_SIZE = 100
# Without EMAIL_TIMEOUT a server that accepts the connection and never answers would hang the worker.
DEFAULT_SMTP_TIMEOUT_SECONDS = 30
# No message of a batch is started later than this after the claim: the slowest message (connect,
# then send, each within the SMTP timeout) still ends inside the lease.
SEND_WINDOW = LEASE - 2 * datetime.timedelta(seconds=DEFAULT_SMTP_TIMEOUT_SECONDS) - datetime.timedelta(minutes=1)

S = OutgoingEmail.Status
RETRY, BOUNCE, FAIL = "retry", "bounce", "fail"
SENT = "sent"


@dataclass
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    bounced: int = 0
    suppressed: int = 0
    released: int = 0

    def add(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    @property
    def attempted(self) -> int:
        return self.sent + self.retrying + self.failed + self.bounced


def classify(error: Exception) -> str:
    """What an SMTP error means for the message: retry later, bounced, or failed for good."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return BOUNCE if any(code >= 500 for code in codes) else RETRY
    if isinstance(error, smtplib.SMTPResponseException):
        if 400 <= error.smtp_code < 500:
            return RETRY
        # The server refused this message after reading it; other 5xx are our configuration's fault.
        return BOUNCE if isinstance(error, smtplib.SMTPDataError) else FAIL
    if isinstance(error, OSError):  # refused, reset, timed out, disconnected
        return RETRY
    return FAIL


def _error_text(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


def _breaks_connection(error: Exception, outcome: str) -> bool:
    """An unreachable or vanished server: the rest of the batch would fail the same way."""
    return outcome == RETRY and (
        not isinstance(error, smtplib.SMTPException) or isinstance(error, smtplib.SMTPServerDisconnected)
    )


def outbox_release_stale(*, now: datetime.datetime) -> int:
    """Queues again the rows a dead worker left in "sending"."""
    return OutgoingEmail.objects.filter(status=S.SENDING, locked_at__lt=now - LEASE).update(
        status=S.QUEUED, next_attempt_at=now
    )


def email_claim(*, email_id: int, now: datetime.datetime) -> bool:
    """True for the one worker whose UPDATE moved the row from queued to sending."""
    return bool(
        OutgoingEmail.objects.filter(pk=email_id, status=S.QUEUED, next_attempt_at__lte=now).update(
            status=S.SENDING, locked_at=now, attempts=F("attempts") + 1
        )
    )


def outbox_claim_batch(*, now: datetime.datetime, claimed_at: datetime.datetime, size: int) -> list[OutgoingEmail]:
    """Claims up to `size` due rows no other worker holds; the rows as claimed (attempts counted)."""
    with transaction.atomic():
        due = (
            OutgoingEmail.objects.filter(status=S.QUEUED, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "pk")
            .select_for_update(skip_locked=True)[:size]
        )
        emails = list(due)
        if emails:
            OutgoingEmail.objects.filter(pk__in=[email.pk for email in emails]).update(
                status=S.SENDING, locked_at=claimed_at, attempts=F("attempts") + 1
            )
    for email in emails:
        email.status, email.locked_at, email.attempts = S.SENDING, claimed_at, email.attempts + 1
    return emails


def _failure(email: OutgoingEmail, outcome: str, error: Exception, *, now: datetime.datetime) -> str:
    """Records a failed attempt on a claimed row (still ours); the report's name of the outcome."""
    rows = OutgoingEmail.objects.filter(pk=email.pk, status=S.SENDING, locked_at=email.locked_at)
    text = _error_text(error)
    if outcome == RETRY and email.attempts < MAX_ATTEMPTS:
        rows.update(status=S.QUEUED, next_attempt_at=now + BACKOFF[email.attempts - 1], last_error=text, locked_at=None)
        return "retrying"
    if outcome == RETRY:
        outcome = FAIL
    rows.update(status=S.BOUNCED if outcome == BOUNCE else S.FAILED, last_error=text, locked_at=None)
    if outcome == BOUNCE and isinstance(error, smtplib.SMTPRecipientsRefused):
        address_suppress(address=email.recipient_address, reason=text, email=email, now=now)
    return "bounced" if outcome == BOUNCE else "failed"


def address_suppress(*, address: str, reason: str, email: OutgoingEmail | None, now: datetime.datetime) -> None:
    """Puts the address on the suppression list (once: a later refusal keeps the first record)."""
    SuppressedAddress.objects.get_or_create(
        address=address.lower(), defaults={"reason": reason, "bounced_email": email, "created_at": now}
    )


def _suppress_claimed(emails: list[OutgoingEmail], report: DeliveryReport) -> list[OutgoingEmail]:
    """Marks the claimed rows to suppressed addresses as not sent, saying why; returns the others."""
    suppressed = {
        row.address: row
        for row in SuppressedAddress.objects.filter(address__in={email.recipient_address.lower() for email in emails})
    }
    to_send = []
    for email in emails:
        row = suppressed.get(email.recipient_address.lower())
        if row is None:
            to_send.append(email)
            continue
        OutgoingEmail.objects.filter(pk=email.pk, status=S.SENDING, locked_at=email.locked_at).update(
            status=S.SUPPRESSED,
            locked_at=None,
            last_error=f"Not sent: the address is suppressed since {row.created_at:%Y-%m-%d} "
            f"(refused for good: {row.reason})"[:2000],
        )
        report.suppressed += 1
    return to_send


def _send_one(email: OutgoingEmail, connection: BaseEmailBackend) -> tuple[str, Exception | None]:
    try:
        connection.open()  # kept open for the next rows; opened again after a failure
        build_message(email, connection=connection).send()
    except Exception as error:
        outcome = classify(error)
        logger.warning(
            "E-mail %s to %s: %s (%s)",
            email.pk,
            email.recipient_address,
            error,
            outcome,
            extra={"event": "email_failed", "email_id": email.pk, "kind": email.kind, "outcome": outcome},
        )
        connection.close()
        return outcome, error
    return SENT, None


def _put_back(emails: list[OutgoingEmail]) -> None:
    """Claimed rows not tried: back to the queue as they were, their attempt not counted."""
    if emails:
        OutgoingEmail.objects.filter(
            pk__in=[email.pk for email in emails], status=S.SENDING, locked_at=emails[0].locked_at
        ).update(status=S.QUEUED, attempts=F("attempts") - 1, locked_at=None)


def _send_batch(
    emails: list[OutgoingEmail],
    *,
    now: datetime.datetime,
    connection: BaseEmailBackend,
    report: DeliveryReport,
    stop_starting_at: float | None = None,
) -> bool:
    """Sends claimed rows and records each outcome at once; False when the server is unreachable.

    `stop_starting_at` (a time.monotonic() value) is when the batch's lease nears its end: the rows not
    started by then go back to the queue for the next claim.
    """
    emails = _suppress_claimed(emails, report)
    for index, email in enumerate(emails):
        if index and stop_starting_at is not None and time.monotonic() >= stop_starting_at:
            _put_back(emails[index:])
            return True
        outcome, error = _send_one(email, connection)
        if outcome == SENT:
            # Recorded before the next message: a worker killed now resends nothing it already sent.
            OutgoingEmail.objects.filter(pk=email.pk, status=S.SENDING, locked_at=email.locked_at).update(
                status=S.SENT, sent_at=now, last_error="", locked_at=None
            )
            report.sent += 1
            continue
        report.add(_failure(email, outcome, error, now=now))
        if _breaks_connection(error, outcome):
            _put_back(emails[index + 1 :])
            return False
    return True


def _connection() -> BaseEmailBackend:
    # The real transport (EMAIL_URL): EMAIL_BACKEND itself is the outbox (notifications/backends.py).
    return get_connection(
        backend=settings.EMAIL_DELIVERY_BACKEND,
        timeout=getattr(settings, "EMAIL_TIMEOUT", None) or DEFAULT_SMTP_TIMEOUT_SECONDS,
    )


def outbox_deliver(
    *, now: datetime.datetime | None = None, limit: int | None = None, batch_size: int = BATCH_SIZE
) -> DeliveryReport:
    """Sends every queued e-mail due at `now` (at most `limit`), batch by batch, over one SMTP connection."""
    now = now or timezone.now()
    started = time.monotonic()
    report = DeliveryReport(released=outbox_release_stale(now=now))
    connection = _connection()
    try:
        while limit is None or report.attempted < limit:
            size = batch_size if limit is None else min(batch_size, limit - report.attempted)
            # The lease runs from each batch's claim: a long run's later batches are not a dead worker's.
            claimed = time.monotonic()
            claimed_at = now + datetime.timedelta(seconds=claimed - started)
            emails = outbox_claim_batch(now=now, claimed_at=claimed_at, size=size)
            if not emails:
                break
            stop_starting_at = claimed + SEND_WINDOW.total_seconds()
            if not _send_batch(
                emails, now=now, connection=connection, report=report, stop_starting_at=stop_starting_at
            ):
                break  # the server is unreachable: the rest wait for the next run
    finally:
        connection.close()
    return report


def email_deliver(*, email_id: int, now: datetime.datetime | None = None) -> str | None:
    """Sends one queued row if it is due and no other worker has it; returns the outcome."""
    now = now or timezone.now()
    if not email_claim(email_id=email_id, now=now):
        return None
    email = OutgoingEmail.objects.get(pk=email_id)
    report = DeliveryReport()
    connection = _connection()
    try:
        _send_batch([email], now=now, connection=connection, report=report)
    finally:
        connection.close()
    return next(name for name in ("sent", "retrying", "failed", "bounced", "suppressed") if getattr(report, name))
