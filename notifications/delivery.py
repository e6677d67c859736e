"""Sends what the outbox holds: each row claimed by one worker, retried with backoff, never lost.

A worker claims a row with a conditional UPDATE (queued -> sending); only the worker whose UPDATE
changed it sends it. A transient failure (connection refused, timeout, a 4xx answer) puts the row
back in the queue for a later attempt; after the last attempt it is failed. A 5xx answer about the
recipient (or the message) marks it bounced, and the others go on. A worker killed mid-batch leaves
rows in "sending": past the lease they are queued again. The one gap no outbox closes: a worker
killed after the SMTP server accepted a message and before it was marked sent sends it again.
"""

import datetime
import logging
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db.models import F
from django.utils import timezone

from .emails import build_message
from .models import OutgoingEmail

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
LEASE = datetime.timedelta(minutes=15)
BATCH_SIZE = 200
# Without EMAIL_TIMEOUT a server that accepts the connection and never answers would hang the worker.
DEFAULT_SMTP_TIMEOUT_SECONDS = 30

S = OutgoingEmail.Status
RETRY, BOUNCE, FAIL = "retry", "bounce", "fail"


@dataclass
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    bounced: int = 0
    released: int = 0


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


def _record(email_id: int, outcome: str, *, now: datetime.datetime, error: Exception | None = None) -> str:
    rows = OutgoingEmail.objects.filter(pk=email_id, status=S.SENDING)
    if outcome == "sent":
        rows.update(status=S.SENT, sent_at=now, last_error="", locked_at=None)
        return "sent"
    text = _error_text(error)
    if outcome == RETRY:
        attempts = rows.values_list("attempts", flat=True).first() or MAX_ATTEMPTS
        if attempts < MAX_ATTEMPTS:
            rows.update(status=S.QUEUED, next_attempt_at=now + BACKOFF[attempts - 1], last_error=text, locked_at=None)
            return "retrying"
        outcome = FAIL
    rows.update(status=S.BOUNCED if outcome == BOUNCE else S.FAILED, last_error=text, locked_at=None)
    return "bounced" if outcome == BOUNCE else "failed"


def _send(email_id: int, *, now: datetime.datetime, connection: BaseEmailBackend) -> tuple[str, bool]:
    """Sends a claimed row; (outcome, whether the connection to the server is broken)."""
    email = OutgoingEmail.objects.get(pk=email_id)
    try:
        connection.open()  # kept open for the next rows of the batch
        build_message(email, connection=connection).send()
    except Exception as error:
        outcome = classify(error)
        logger.warning(
            "E-mail %s to %s: %s (%s)",
            email_id,
            email.recipient_address,
            error,
            outcome,
            extra={"event": "email_failed", "email_id": email_id, "kind": email.kind, "outcome": outcome},
        )
        broken = outcome == RETRY and (
            not isinstance(error, smtplib.SMTPException) or isinstance(error, smtplib.SMTPServerDisconnected)
        )
        connection.close()
        return _record(email_id, outcome, now=now, error=error), broken
    return _record(email_id, "sent", now=now), False


def _connection() -> BaseEmailBackend:
    return get_connection(timeout=getattr(settings, "EMAIL_TIMEOUT", None) or DEFAULT_SMTP_TIMEOUT_SECONDS)


def outbox_deliver(*, now: datetime.datetime | None = None, limit: int = BATCH_SIZE) -> DeliveryReport:
    """Sends the queued e-mails that are due, over one SMTP connection."""
    now = now or timezone.now()
    report = DeliveryReport(released=outbox_release_stale(now=now))
    due = OutgoingEmail.objects.filter(status=S.QUEUED, next_attempt_at__lte=now).order_by("next_attempt_at", "pk")
    connection = _connection()
    try:
        for email_id in due.values_list("pk", flat=True)[:limit]:
            if not email_claim(email_id=email_id, now=now):
                continue  # another worker has it
            outcome, broken = _send(email_id, now=now, connection=connection)
            setattr(report, outcome, getattr(report, outcome) + 1)
            if broken:
                break  # the server is unreachable: the rest wait for the next run
    finally:
        connection.close()
    return report


def email_deliver(*, email_id: int, now: datetime.datetime | None = None) -> str | None:
    """Sends one queued row if it is due and no other worker has it; returns the outcome."""
    now = now or timezone.now()
    if not email_claim(email_id=email_id, now=now):
        return None
    connection = _connection()
    try:
        return _send(email_id, now=now, connection=connection)[0]
    finally:
        connection.close()
