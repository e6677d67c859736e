"""The one helper that builds every e-mail: three templates per kind, rendered in the recipient's language.

Templates live in notifications/email/<kind>_subject.txt, <kind>.txt and <kind>.html. They get
plain data loaded beforehand, so rendering never queries the database.
"""

import hashlib
from dataclasses import dataclass
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.template.loader import render_to_string
from django.utils import translation

from .models import OutgoingEmail


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def one_line(value: str) -> str:
    """Header values on one line: a newline in a name or subject would let it forge headers."""
    return " ".join(value.split())


def render_email(kind: str, context: dict, *, language: str) -> RenderedEmail:
    with translation.override(language):
        context = {**context, "site_url": settings.SITE_URL}
        subject = one_line(render_to_string(f"notifications/email/{kind}_subject.txt", context))
        context["subject"] = subject
        return RenderedEmail(
            subject=subject,
            text=render_to_string(f"notifications/email/{kind}.txt", context),
            html=render_to_string(f"notifications/email/{kind}.html", context),
        )


def build_message(email: OutgoingEmail, *, connection: BaseEmailBackend | None = None) -> EmailMultiAlternatives:
    """The message for an outbox row, exactly as planned; Django encodes non-ASCII names and subjects."""
    message = EmailMultiAlternatives(
        subject=one_line(email.subject),
        body=email.text_body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[formataddr((one_line(email.recipient_name), email.recipient_address))],
        headers={name: one_line(value) for name, value in email.headers.items()},
        connection=connection,
    )
    if email.html_body:  # account e-mails (from send_mail) may be plain text
        message.attach_alternative(email.html_body, "text/html")
    # The same outbox row always goes out under the same Message-ID, so a resend is recognisable.
    message.extra_headers["Message-ID"] = outbox_message_id(email)
    return message


def outbox_message_id(email: OutgoingEmail) -> str:
    """A Message-ID of the row's own: its id and a digest of its dedup key, at the sender's domain."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    digest = hashlib.sha256(email.dedup_key.encode()).hexdigest()[:16]
    return f"<outbox.{email.pk}.{digest}@{domain}>"
