"""The digest run at scale: planned batch by batch, and spread over several workers without sending twice."""

import datetime
import io
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from agreements.models import Agreement
from notifications.delivery import outbox_deliver
from notifications.digests import digest_batches, digests_run
from notifications.models import OutgoingEmail, Subscription
from tests.factories import MilestoneFactory, PersonFactory, TechnopolisFactory, agreement_with_parties

MONDAY = datetime.date(2027, 3, 15)
NOW = timezone.make_aware(datetime.datetime(2027, 3, 15, 7, 0))


def _partners_following_an_agreement(count: int) -> list[Subscription]:
    park = TechnopolisFactory()
    agreement = agreement_with_parties(park, TechnopolisFactory(), status=Agreement.Status.ACTIVE)
    MilestoneFactory(agreement=agreement, title="Joint lab opening", due_on=MONDAY + datetime.timedelta(days=3))
    subscriptions = []
    for number in range(count):
        contact = PersonFactory(email=f"partner{number}@example.org")
        subscription = Subscription.objects.create(person=contact)
        subscription.parks.add(park)
        subscriptions.append(subscription)
    return subscriptions


@pytest.mark.django_db
def test_digests_are_planned_batch_by_batch_each_subscriber_once():
    subscriptions = _partners_following_an_agreement(7)

    batches = list(digest_batches(today=MONDAY, now=NOW, batch_size=3))

    assert [len(batch) for batch in batches] == [3, 3, 1]
    digests = OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.DIGEST)
    assert sorted(digests.values_list("subscription_id", flat=True)) == [s.pk for s in subscriptions]
    assert all("Joint lab opening" in body for body in digests.values_list("text_body", flat=True))


@pytest.mark.django_db
def test_the_send_digests_command_reports_how_many_it_planned_and_sent(smtp):
    _partners_following_an_agreement(4)

    out = io.StringIO()
    call_command("send_digests", "--date", MONDAY.isoformat(), stdout=out)

    assert out.getvalue().strip() == "2027-03-15: planned 4, sent 4, retrying 0, failed 0, bounced 0."
    assert sorted(str(message["To"].addresses[0].addr_spec) for message in smtp.messages) == [
        f"partner{number}@example.org" for number in range(4)
    ]


@pytest.mark.django_db(transaction=True)
def test_two_workers_running_the_digests_at_once_send_each_digest_once(smtp):
    _partners_following_an_agreement(9)
    start = threading.Barrier(2)

    def worker():
        try:
            start.wait()
            digests_run(today=MONDAY, now=NOW, batch_size=2)
            outbox_deliver(now=NOW)
        finally:
            connection.close()

    workers = [threading.Thread(target=worker) for _ in range(2)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()

    received = sorted(str(message["To"].addresses[0].addr_spec) for message in smtp.messages)
    assert received == sorted(f"partner{number}@example.org" for number in range(9))
    assert OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.DIGEST, status="sent").count() == 9
