"""Django's e-mail backend for the whole portal: every message goes into the outbox first.

Password resets, staff invitations, admin error mails — whatever calls Django's send_mail — are
recorded as outbox rows (kind "account") in the caller's transaction, then delivered like the
reminders: claimed by one worker, retried with backoff when the SMTP server refuses or is down,
visible in the delivery log. The real transport is settings.EMAIL_DELIVERY_BACKEND (from EMAIL_URL).
A Celery task is queued for each row once the transaction commits, so a person waiting for a reset
link does not wait for the next outbox run; if the broker is unreachable, that run sends it.
"""

import logging
import uuid
from email.utils import getaddresses

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone, translation

from .models import OutgoingEmail

logger = logging.getLogger(__name__)


def _html_of(message: EmailMessage) -> str:
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/html":
            return content
    return ""


def _rows(message: EmailMessage, *, now) -> list[OutgoingEmail]:
    if message.attachments:
        raise ValueError("The outbox keeps no attachments: send a link to the document instead.")
    headers = {name: str(value) for name, value in message.extra_headers.items() if name.lower() != "message-id"}
    return [
        OutgoingEmail(
            kind=OutgoingEmail.Kind.ACCOUNT,
            recipient_address=address,
            recipient_name=name[:300],
            language=translation.get_language() or "en",
            dedup_key=f"mail:{uuid.uuid4().hex}",
            planned_for=timezone.localdate(now),
            subject=str(message.subject)[:500],
            text_body=message.body,
            html_body=_html_of(message),
            headers=headers,
            next_attempt_at=now,
            created_at=now,
        )
        for name, address in getaddresses(message.recipients())
    ]


def deliver_soon(email_ids: list[int]) -> None:
    from .tasks import deliver_email  # the tasks module imports delivery, which imports this app's models

    for email_id in email_ids:
        try:
            deliver_email.delay(email_id)
        except Exception:  # noqa: BLE001  (broker down: the periodic outbox run sends it)
            logger.warning("Broker unreachable: e-mail %s waits for the next outbox run", email_id)


class OutboxEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        now = timezone.now()
        rows = [row for message in email_messages for row in _rows(message, now=now)]
        if not rows:
            return 0
        with transaction.atomic():
            OutgoingEmail.objects.bulk_create(rows)
            ids = [row.pk for row in rows]
            transaction.on_commit(lambda: deliver_soon(ids))
        return len(email_messages)
