"""Every e-mail goes through the outbox: a staff invitation or a password reset sent while the mail
server is down is kept, retried and delivered once it is back, with the link that works."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.delivery import outbox_deliver
from notifications.models import OutgoingEmail
from parks.models import Membership
from tests.factories import TechnopolisFactory, UserFactory, member
from tests.support.smtp import Mailbox, free_port, smtp_server, use_smtp

pytestmark = pytest.mark.django_db

OUTBOX = "notifications.backends.OutboxEmailBackend"


@pytest.fixture
def outbox_backend(settings):
    """As in production: Django's send_mail writes to the outbox (pytest-django's default is in memory)."""
    settings.EMAIL_BACKEND = OUTBOX
    settings.SITE_URL = "https://portal.example"
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{free_port()}/0"  # no broker: the periodic run sends


def test_an_invitation_sent_while_the_mail_server_is_down_is_delivered_when_it_is_back(
    client, settings, outbox_backend
):
    park = TechnopolisFactory(name="Technopolis Khimgrad", short_name="Khimgrad")
    client.force_login(member(park, Membership.Role.MANAGER, username="manager"))
    use_smtp(settings, free_port())  # nothing listens: connections are refused
    settings.EMAIL_BACKEND = OUTBOX

    response = client.post(
        reverse("accounts:staff_add"),
        {
            "email": "new.person@example.org",
            "first_name": "Nina",
            "last_name": "Petrova",
            "technopolis": park.pk,
            "role": "editor",
        },
    )
    assert response.status_code == 302
    queued = OutgoingEmail.objects.get(recipient_address="new.person@example.org")
    assert (queued.kind, queued.status) == ("account", "queued")
    assert "Khimgrad" in queued.subject

    down = outbox_deliver()
    assert (down.sent, down.retrying) == (0, 1)
    queued.refresh_from_db()
    assert (queued.status, queued.attempts) == ("queued", 1)
    assert "ConnectionRefusedError" in queued.last_error

    mailbox = Mailbox()
    with smtp_server(mailbox) as port:
        use_smtp(settings, port)
        settings.EMAIL_BACKEND = OUTBOX
        back = outbox_deliver(now=timezone.now() + datetime.timedelta(minutes=2))

    assert back.sent == 1
    [message] = mailbox.messages
    assert message["To"].addresses[0].addr_spec == "new.person@example.org"
    body = message.get_body(("plain",)).get_content()
    assert re.search(r"https://portal\.example/accounts/reset/\S+", body), body


def test_a_password_reset_goes_through_the_outbox_and_arrives_once(client, settings, outbox_backend):
    UserFactory(username="yana", email="yana@example.org")

    client.post(reverse("password_reset"), {"email": "yana@example.org"})

    row = OutgoingEmail.objects.get(recipient_address="yana@example.org")
    assert row.kind == "account"
    mailbox = Mailbox()
    with smtp_server(mailbox) as port:
        use_smtp(settings, port)
        assert outbox_deliver().sent == 1
        assert outbox_deliver().sent == 0
    assert len(mailbox.messages) == 1
    assert "/accounts/reset/" in mailbox.messages[0].get_body(("plain",)).get_content()
