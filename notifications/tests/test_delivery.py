"""Delivery through a real SMTP server on loopback (aiosmtpd): what arrives, once, and what happens on failure."""

import datetime
import io
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement
from notifications import delivery
from notifications.delivery import BACKOFF, LEASE, MAX_ATTEMPTS, email_claim, outbox_deliver
from notifications.digests import digests_plan
from notifications.models import OutgoingEmail, Subscription, SuppressedAddress
from notifications.planning import reminders_plan
from tests.factories import (
    MilestoneFactory,
    OutgoingEmailFactory,
    PersonFactory,
    SubscriptionFactory,
    agreement_with_parties,
)
from tests.support.smtp import free_port, use_smtp

NOW = timezone.make_aware(datetime.datetime(2027, 3, 15, 7, 0))
MONDAY = datetime.date(2027, 3, 15)
SITE_URL = "https://portal.example.org"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE_URL
    settings.DEFAULT_FROM_EMAIL = "Technopolis Portal <portal@example.org>"


@pytest.fixture
def closed_port(settings):
    """Nothing listens there: every connection is refused."""
    use_smtp(settings, free_port())


def status(email: OutgoingEmail) -> tuple[str, int]:
    email.refresh_from_db()
    return email.status, email.attempts


# --- What arrives ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_reminder_arrives_with_its_headers_both_parts_and_absolute_links(smtp):
    agreement = agreement_with_parties(status=Agreement.Status.ACTIVE)
    person = PersonFactory(full_name="Яна Стоянова", email="yana@example.org")
    milestone = MilestoneFactory(agreement=agreement, due_on=MONDAY, responsible_person=person, title="Proposal")
    reminders_plan(today=MONDAY, now=NOW)

    report = outbox_deliver(now=NOW)

    assert report.sent == 1
    [message] = smtp.messages
    assert message["Subject"] == "Due today: Proposal"
    assert message["From"] == "Technopolis Portal <portal@example.org>"
    assert message["To"] == "Яна Стоянова <yana@example.org>"
    raw_to = next(line for line in smtp.raw[0].splitlines() if line.startswith(b"To:"))
    assert raw_to.isascii() and b"=?utf-8?" in raw_to, "a non-ASCII name is encoded on the wire"
    assert message["List-Unsubscribe"] is None, "people responsible cannot unsubscribe from their duties"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    link = f"{SITE_URL}/agreements/{agreement.pk}/"
    assert link in text and f'href="{link}"' in html
    assert "Proposal" in text and "<strong>Proposal</strong>" in html
    email = OutgoingEmail.objects.get()
    assert (email.status, email.sent_at, email.milestone) == ("sent", NOW, milestone)


@pytest.mark.django_db
def test_a_digest_carries_one_click_unsubscribe_headers_and_the_flow_works_without_a_login(smtp):
    agreement = agreement_with_parties(status=Agreement.Status.ACTIVE)
    MilestoneFactory(agreement=agreement, due_on=MONDAY + datetime.timedelta(days=5), title="Proposal")
    subscription = SubscriptionFactory(person=PersonFactory(full_name="Партнёр Гусев", email="partner@example.org"))
    subscription.agreements.add(agreement)
    digests_plan(today=MONDAY, now=NOW)
    outbox_deliver(now=NOW)

    [message] = smtp.messages
    assert message["To"] == "Партнёр Гусев <partner@example.org>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe_url = message["List-Unsubscribe"].strip().strip("<>")
    assert unsubscribe_url.startswith(f"{SITE_URL}/notifications/unsubscribe/")
    assert unsubscribe_url in message.get_body(("plain",)).get_content()
    assert f'href="{unsubscribe_url}"' in message.get_body(("html",)).get_content()
    path = unsubscribe_url.removeprefix(SITE_URL)
    client = Client(enforce_csrf_checks=True)

    confirm = client.get(path)
    assert confirm.status_code == 200 and b"Stop the e-mails" in confirm.content
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is None, "opening the link alone unsubscribes nobody"

    # What a mail client sends for RFC 8058 one-click: a POST without any CSRF token.
    done = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and b"will receive no more e-mails" in done.content
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is not None
    assert digests_plan(today=MONDAY + datetime.timedelta(days=7), now=NOW) == []


@pytest.mark.django_db
def test_a_forged_unsubscribe_link_is_not_found(client):
    subscription = SubscriptionFactory()

    response = client.post(f"/notifications/unsubscribe/{subscription.pk}/")

    assert response.status_code == 404
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is None


@pytest.mark.django_db
def test_newlines_in_a_name_or_subject_cannot_forge_headers(smtp):
    OutgoingEmailFactory(
        recipient_name="Mallory\r\nBcc: victim@example.org",
        subject="Due today\nBcc: victim@example.org",
        recipient_address="mallory@example.org",
    )

    assert outbox_deliver(now=timezone.now()).sent == 1

    [message] = smtp.messages
    assert message["Bcc"] is None
    assert message["Subject"] == "Due today Bcc: victim@example.org"
    assert message["To"].addresses[0].addr_spec == "mallory@example.org"


# --- Exactly once ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_running_the_sweep_twice_for_the_same_day_sends_each_e_mail_once(smtp):
    agreement = agreement_with_parties(status=Agreement.Status.ACTIVE)
    for number in range(3):
        MilestoneFactory(agreement=agreement, due_on=MONDAY, responsible_person=PersonFactory(), title=f"Step {number}")
    out = io.StringIO()

    call_command("send_reminders", "--date", MONDAY.isoformat(), stdout=out)
    call_command("send_reminders", "--date", MONDAY.isoformat(), stdout=out)

    assert len(smtp.messages) == 3
    first, second = out.getvalue().splitlines()
    assert first == "2027-03-15: planned 3, sent 3, retrying 0, failed 0, bounced 0."
    assert second == "2027-03-15: planned 0, sent 0, retrying 0, failed 0, bounced 0."


@pytest.mark.django_db(transaction=True)
def test_two_workers_delivering_at_once_send_each_e_mail_once(smtp):
    emails = OutgoingEmailFactory.create_batch(12)
    start = threading.Barrier(2)
    reports = []

    def worker():
        try:
            start.wait()
            reports.append(outbox_deliver())
        finally:
            connection.close()

    workers = [threading.Thread(target=worker) for _ in range(2)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()

    received = sorted(str(message["To"].addresses[0].addr_spec) for message in smtp.messages)
    assert received == sorted(email.recipient_address for email in emails)
    assert sum(report.sent for report in reports) == 12
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {"sent"}


@pytest.mark.django_db(transaction=True)
def test_of_two_workers_claiming_the_same_e_mail_only_one_wins():
    email = OutgoingEmailFactory()
    start = threading.Barrier(2)
    claims = []

    def worker():
        try:
            start.wait()
            claims.append(email_claim(email_id=email.pk, now=timezone.now()))
        finally:
            connection.close()

    workers = [threading.Thread(target=worker) for _ in range(2)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()

    assert sorted(claims) == [False, True]
    assert status(email) == ("sending", 1)


@pytest.mark.django_db
def test_an_e_mail_left_sending_by_a_dead_worker_is_sent_by_a_run_after_the_lease(smtp):
    email = OutgoingEmailFactory(next_attempt_at=NOW)
    assert email_claim(email_id=email.pk, now=NOW)  # ...and the worker dies before sending

    assert outbox_deliver(now=NOW + LEASE - datetime.timedelta(seconds=1)).sent == 0
    assert status(email) == ("sending", 1)

    report = outbox_deliver(now=NOW + LEASE + datetime.timedelta(seconds=1))

    assert (report.released, report.sent) == (1, 1)
    assert status(email) == ("sent", 2)
    assert len(smtp.messages) == 1


# --- Failures ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_451_leaves_the_e_mail_queued_with_backoff_and_a_later_run_sends_it(smtp):
    email = OutgoingEmailFactory(next_attempt_at=NOW)
    smtp.data_reply = "451 4.3.0 Mailbox temporarily unavailable, try again later"

    report = outbox_deliver(now=NOW)

    assert report.retrying == 1
    assert status(email) == ("queued", 1)
    assert email.next_attempt_at == NOW + BACKOFF[0]
    assert "451" in email.last_error
    assert smtp.messages == []

    smtp.data_reply = None
    assert outbox_deliver(now=NOW + BACKOFF[0] - datetime.timedelta(seconds=1)).sent == 0, "not before its time"
    assert outbox_deliver(now=NOW + BACKOFF[0]).sent == 1
    assert status(email) == ("sent", 2)
    assert email.last_error == ""
    assert len(smtp.messages) == 1


@pytest.mark.django_db
def test_a_refused_connection_is_retried_with_backoff_and_after_the_last_attempt_fails(closed_port):
    email = OutgoingEmailFactory(next_attempt_at=NOW)
    now = NOW
    for attempt in range(1, MAX_ATTEMPTS):
        assert outbox_deliver(now=now).retrying == 1
        assert status(email) == ("queued", attempt)
        assert email.next_attempt_at == now + BACKOFF[attempt - 1]
        now = email.next_attempt_at

    assert outbox_deliver(now=now).failed == 1

    assert status(email) == ("failed", MAX_ATTEMPTS)
    assert "ConnectionRefusedError" in email.last_error
    assert outbox_deliver(now=now + datetime.timedelta(days=1)).failed == 0, "a failed e-mail stays failed"


@pytest.mark.django_db
def test_a_550_for_one_recipient_bounces_it_and_the_others_are_sent(smtp):
    first, unknown, last = (OutgoingEmailFactory(next_attempt_at=NOW) for _ in range(3))
    smtp.refuse[unknown.recipient_address] = "550 5.1.1 No such user here"

    report = outbox_deliver(now=NOW)

    assert (report.sent, report.bounced) == (2, 1)
    assert status(unknown) == ("bounced", 1)
    assert "550" in unknown.last_error and "No such user" in unknown.last_error
    assert status(first)[0] == status(last)[0] == "sent"
    assert len(smtp.messages) == 2


@pytest.mark.django_db
def test_a_bounced_address_is_suppressed_and_gets_no_more_mail_until_an_admin_lifts_it(smtp, admin_client):
    OutgoingEmailFactory(next_attempt_at=NOW, recipient_address="Gone@Partner.example.org")
    smtp.refuse["Gone@Partner.example.org"] = "550 5.1.1 No such user here"
    outbox_deliver(now=NOW)
    del smtp.refuse["Gone@Partner.example.org"]
    later = NOW + datetime.timedelta(days=7)
    next_week = OutgoingEmailFactory(next_attempt_at=later, recipient_address="gone@partner.example.org")

    report = outbox_deliver(now=later)

    assert SuppressedAddress.objects.get().address == "gone@partner.example.org"
    assert (report.sent, report.suppressed) == (0, 1)
    assert status(next_week)[0] == "suppressed"
    assert "suppressed since 2027-03-15" in next_week.last_error and "550" in next_week.last_error
    assert smtp.messages == []
    # Lifted in admin: the next e-mail to it goes out again.
    changelist = reverse("admin:notifications_suppressedaddress_changelist")
    admin_client.post(changelist, {"action": "lift", "_selected_action": [SuppressedAddress.objects.get().pk]})
    assert not SuppressedAddress.objects.exists()
    after = OutgoingEmailFactory(next_attempt_at=later, recipient_address="gone@partner.example.org")
    assert outbox_deliver(now=later).sent == 1
    assert status(after)[0] == "sent"


@pytest.mark.django_db
def test_a_temporary_refusal_does_not_suppress_the_address(smtp):
    email = OutgoingEmailFactory(next_attempt_at=NOW)
    smtp.refuse[email.recipient_address] = "450 4.2.1 Mailbox busy"

    outbox_deliver(now=NOW)

    assert status(email)[0] == "queued"
    assert not SuppressedAddress.objects.exists()


@pytest.mark.django_db
def test_a_server_down_stops_the_batch_so_the_rest_wait_without_losing_attempts(closed_port):
    emails = OutgoingEmailFactory.create_batch(3, next_attempt_at=NOW)

    outbox_deliver(now=NOW)

    assert [status(email) for email in emails] == [("queued", 1), ("queued", 0), ("queued", 0)]


@pytest.mark.django_db
def test_an_unknown_error_fails_the_e_mail_at_once(smtp, monkeypatch):
    email = OutgoingEmailFactory(next_attempt_at=NOW)

    def broken(*args, **kwargs):
        raise ValueError("template bug")

    monkeypatch.setattr(delivery, "build_message", broken)

    assert outbox_deliver(now=NOW).failed == 1
    assert status(email) == ("failed", 1)


@pytest.mark.django_db
def test_send_digests_plans_then_sends_and_prints_a_summary(smtp):
    agreement = agreement_with_parties(status=Agreement.Status.ACTIVE)
    MilestoneFactory(agreement=agreement, due_on=MONDAY + datetime.timedelta(days=3))
    for _number in range(2):
        SubscriptionFactory(delivery=Subscription.Delivery.DIGEST).agreements.add(agreement)
    out = io.StringIO()

    call_command("send_digests", "--date", MONDAY.isoformat(), stdout=out)

    assert out.getvalue().strip() == "2027-03-15: planned 2, sent 2, retrying 0, failed 0, bounced 0."
    assert len(smtp.messages) == 2


@pytest.mark.django_db
def test_the_celery_tasks_plan_and_deliver_when_run_in_process(smtp):
    from notifications import tasks

    agreement = agreement_with_parties(status=Agreement.Status.ACTIVE)
    MilestoneFactory(agreement=agreement, due_on=MONDAY, responsible_person=PersonFactory())
    SubscriptionFactory().agreements.add(agreement)

    reminders = tasks.send_reminders.apply(kwargs={"date": MONDAY.isoformat()}).get()
    # What send_digests hands to the workers, one range here (tests/test_celery_worker.py fans out).
    digests = tasks.send_digest_range.apply(args=[MONDAY.isoformat(), 1, None]).get()

    assert (reminders["planned"], reminders["sent"]) == (1, 1)
    assert (digests["planned"], digests["sent"]) == (1, 1)
    assert tasks.deliver_outbox.apply().get()["sent"] == 0
    assert len(smtp.messages) == 2


@pytest.mark.django_db
def test_the_digests_are_cut_into_ranges_of_subscriptions_that_cover_every_one():
    from notifications.selectors import digest_subscription_ranges

    subscriptions = [SubscriptionFactory() for _ in range(7)]
    ended = SubscriptionFactory(unsubscribed_at=timezone.now())
    ids = [subscription.pk for subscription in subscriptions]

    assert digest_subscription_ranges(size=3) == [(ids[0], ids[3] - 1), (ids[3], ids[6] - 1), (ids[6], None)]
    assert digest_subscription_ranges(size=10) == [(ids[0], None)]
    assert ended.pk > ids[-1]
    from notifications.models import Subscription

    Subscription.objects.all().delete()
    assert digest_subscription_ranges(size=3) == []
