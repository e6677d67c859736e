"""Delivery in batches: claimed a batch at a time, sent over one connection, each e-mail once."""

import datetime
import re
import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from notifications import delivery
from notifications.delivery import BACKOFF, LEASE, outbox_claim_batch, outbox_deliver
from notifications.emails import build_message
from notifications.models import OutgoingEmail
from tests.factories import OutgoingEmailFactory
from tests.support.smtp import Mailbox, smtp_server, use_smtp

NOW = timezone.make_aware(datetime.datetime(2027, 3, 15, 7, 0))


class CountingMailbox(Mailbox):
    """Also counts the SMTP sessions: a batch is sent over one connection."""

    def __init__(self):
        super().__init__()
        self.sessions = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # noqa: N802
        self.sessions += 1
        session.host_name = hostname
        return responses


@pytest.fixture
def smtp(settings):
    mailbox = CountingMailbox()
    with smtp_server(mailbox) as port:
        use_smtp(settings, port)
        yield mailbox


def received(smtp) -> list[str]:
    return sorted(str(message["To"].addresses[0].addr_spec) for message in smtp.messages)


def statuses(emails) -> list[tuple[str, int]]:
    for email in emails:
        email.refresh_from_db()
    return [(email.status, email.attempts) for email in emails]


@pytest.mark.django_db
def test_one_run_drains_everything_due_batch_by_batch_over_one_connection(smtp):
    emails = OutgoingEmailFactory.create_batch(7, next_attempt_at=NOW)
    later = OutgoingEmailFactory(next_attempt_at=NOW + datetime.timedelta(minutes=1))

    report = outbox_deliver(now=NOW, batch_size=3)

    assert report.sent == 7
    assert received(smtp) == sorted(email.recipient_address for email in emails)
    assert smtp.sessions == 1
    assert statuses(emails) == [("sent", 1)] * 7
    assert statuses([later]) == [("queued", 0)], "not due yet"


@pytest.mark.django_db
def test_a_run_with_a_limit_sends_no_more_than_it(smtp):
    OutgoingEmailFactory.create_batch(5, next_attempt_at=NOW)

    assert outbox_deliver(now=NOW, limit=3, batch_size=2).sent == 3
    assert OutgoingEmail.objects.filter(status="queued").count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_workers_draining_in_small_batches_send_each_e_mail_once(smtp):
    emails = OutgoingEmailFactory.create_batch(30)
    start = threading.Barrier(2)
    reports = []

    def worker():
        try:
            start.wait()
            reports.append(outbox_deliver(batch_size=4))
        finally:
            connection.close()

    workers = [threading.Thread(target=worker) for _ in range(2)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()

    assert received(smtp) == sorted(email.recipient_address for email in emails)
    assert sum(report.sent for report in reports) == 30
    assert statuses(emails) == [("sent", 1)] * 30


@pytest.mark.django_db(transaction=True)
def test_rows_another_worker_is_claiming_are_skipped_without_waiting_for_it(smtp):
    emails = OutgoingEmailFactory.create_batch(5, next_attempt_at=NOW)
    held = [email.pk for email in emails[:2]]
    locked, release = threading.Event(), threading.Event()

    def other_worker():  # in the middle of claiming two rows: they are locked, not yet "sending"
        try:
            with transaction.atomic():
                list(OutgoingEmail.objects.filter(pk__in=held).select_for_update())
                locked.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert locked.wait(timeout=30)
        report = outbox_deliver(now=NOW)
    finally:
        release.set()
        thread.join()

    assert report.sent == 3
    assert received(smtp) == sorted(email.recipient_address for email in emails[2:])
    assert statuses(emails[:2]) == [("queued", 0)] * 2
    assert outbox_deliver(now=NOW).sent == 2, "the next run sends what the other worker let go"


@pytest.mark.django_db
def test_a_recipient_refused_mid_batch_is_retried_alone_with_its_error_and_the_others_are_sent(smtp):
    emails = OutgoingEmailFactory.create_batch(5, next_attempt_at=NOW)
    busy = emails[2]
    smtp.refuse[busy.recipient_address] = "450 4.2.1 Mailbox busy, try later"

    report = outbox_deliver(now=NOW)

    assert (report.sent, report.retrying) == (4, 1)
    assert received(smtp) == sorted(email.recipient_address for email in emails if email != busy)
    assert statuses([busy]) == [("queued", 1)]
    assert busy.next_attempt_at == NOW + BACKOFF[0]
    assert "450" in busy.last_error and "Mailbox busy" in busy.last_error
    others = [email for email in emails if email != busy]
    assert statuses(others) == [("sent", 1)] * 4
    assert all(email.sent_at == NOW and email.last_error == "" for email in others)


@pytest.mark.django_db
def test_a_batch_left_claimed_by_a_dead_worker_is_sent_by_a_run_after_the_lease(smtp):
    emails = OutgoingEmailFactory.create_batch(5, next_attempt_at=NOW)
    claimed = outbox_claim_batch(now=NOW, claimed_at=NOW, size=3)  # ...and the worker dies
    assert sorted(email.pk for email in claimed) == sorted(email.pk for email in emails[:3])

    assert outbox_deliver(now=NOW + LEASE - datetime.timedelta(seconds=1)).sent == 2
    assert statuses(emails[:3]) == [("sending", 1)] * 3

    report = outbox_deliver(now=NOW + LEASE + datetime.timedelta(seconds=1))

    assert (report.released, report.sent) == (3, 3)
    assert statuses(emails) == [("sent", 2)] * 3 + [("sent", 1)] * 2
    assert received(smtp) == sorted(email.recipient_address for email in emails), "each arrives once"


@pytest.mark.django_db
def test_a_worker_killed_mid_batch_resends_none_of_what_the_server_already_accepted(smtp, monkeypatch):
    emails = OutgoingEmailFactory.create_batch(5, next_attempt_at=NOW)
    real_send_one = delivery._send_one
    sent_so_far = []

    def dies_before_the_third(email, connection):
        if len(sent_so_far) == 2:
            raise SystemExit("worker killed")
        sent_so_far.append(email.pk)
        return real_send_one(email, connection)

    monkeypatch.setattr(delivery, "_send_one", dies_before_the_third)
    with pytest.raises(SystemExit):
        outbox_deliver(now=NOW)
    monkeypatch.setattr(delivery, "_send_one", real_send_one)

    assert sorted(statuses(emails)) == [("sending", 1)] * 3 + [("sent", 1)] * 2
    report = outbox_deliver(now=NOW + LEASE + datetime.timedelta(seconds=1))

    assert (report.released, report.sent) == (3, 3)
    assert received(smtp) == sorted(email.recipient_address for email in emails), "each arrives once"


@pytest.mark.django_db
def test_a_batch_never_outlives_its_lease_the_rest_goes_back_to_the_queue(smtp, monkeypatch):
    emails = OutgoingEmailFactory.create_batch(4, next_attempt_at=NOW)
    monkeypatch.setattr(delivery, "SEND_WINDOW", datetime.timedelta(0))  # every batch's window is over at once

    report = outbox_deliver(now=NOW)

    assert report.sent == 4, "one message per claim, then the rest claimed afresh"
    assert statuses(emails) == [("sent", 1)] * 4, "a row put back does not count an attempt"
    assert received(smtp) == sorted(email.recipient_address for email in emails)


def test_the_lease_covers_the_slowest_message_of_a_batch():
    slowest_message = 2 * datetime.timedelta(seconds=delivery.DEFAULT_SMTP_TIMEOUT_SECONDS)
    assert delivery.SEND_WINDOW + slowest_message < LEASE <= datetime.timedelta(minutes=5)


@pytest.mark.django_db
def test_a_resent_message_keeps_its_message_id_so_receivers_can_tell(smtp, settings):
    settings.DEFAULT_FROM_EMAIL = "Technopolis Portal <portal@example.org>"
    email = OutgoingEmailFactory(next_attempt_at=NOW)
    first = build_message(email).extra_headers["Message-ID"]
    outbox_deliver(now=NOW)
    OutgoingEmail.objects.filter(pk=email.pk).update(status="queued")  # as after a lost acknowledgement
    outbox_deliver(now=NOW)

    arrived = [message["Message-ID"] for message in smtp.messages]
    assert arrived == [first, first]
    assert re.fullmatch(rf"<outbox\.{email.pk}\.[0-9a-f]{{16}}@example\.org>", first), first
    other = OutgoingEmailFactory(next_attempt_at=NOW)
    assert build_message(other).extra_headers["Message-ID"] != first
