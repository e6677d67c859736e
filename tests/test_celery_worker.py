"""End to end on real parts: Celery beat ticks, a real worker on this machine's Redis runs the
reminder sweep against the test database, and the e-mail arrives at a real SMTP server."""

import datetime
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import redis
from celery import Celery
from django.db import connection
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from agreements.models import Agreement
from tests.factories import MilestoneFactory, PersonFactory, agreement_with_parties
from tests.support.smtp import Mailbox, smtp_server

ROOT = Path(__file__).resolve().parent.parent
# A Redis database of its own, emptied first, so no stale task from another run is picked up.
BROKER_URL = "redis://127.0.0.1:6379/15"
LOCK_URL = "redis://127.0.0.1:6379/0"
ARRIVAL_DEADLINE_SECONDS = 90


def url_of_the_test_database() -> str:
    settings = connection.settings_dict
    user = settings["USER"] or "postgres"
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    return (
        f"postgres://{user}{password}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"
    )


def worker_environment(broker: str, mailbox: Mailbox) -> dict:
    """A worker's environment as in production (the test settings would keep its e-mails in
    memory), on the test database, the given broker and the test's SMTP server."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "technopolis_portal.settings",
        "DEBUG": "true",
        "DATABASE_URL": url_of_the_test_database(),
        "CELERY_BROKER_URL": broker,
        "EMAIL_URL": f"smtp://127.0.0.1:{mailbox.port}",
        "SITE_URL": "https://portal.example.org",
    }


@pytest.fixture
def mailbox():
    mailbox = Mailbox()
    with smtp_server(mailbox) as port:
        mailbox.port = port
        yield mailbox


@pytest.fixture
def empty_broker():
    client = redis.Redis.from_url(BROKER_URL, socket_connect_timeout=5)
    # One live worker at a time: the tests running beside this one (pytest -n) share this broker
    # database, and a worker would take another test's tasks and run them on its own test database.
    # The lock lives in another database, which flushdb leaves alone.
    lock = redis.Redis.from_url(LOCK_URL, socket_connect_timeout=5).lock(
        "technopolis-tests:live-celery-worker", timeout=600, blocking_timeout=600
    )
    with lock:
        client.flushdb()  # also fails loudly when Redis does not answer
        yield BROKER_URL
        client.flushdb()


@pytest.mark.django_db(transaction=True)
def test_beat_tick_makes_a_real_worker_send_the_reminder_that_arrives_by_smtp(mailbox, empty_broker, tmp_path):
    today = timezone.localdate()
    agreement = agreement_with_parties(
        status=Agreement.Status.ACTIVE, effective_from=today.replace(year=today.year - 1)
    )
    person = PersonFactory(full_name="Alexey Liulin", email="liulin@example.org")
    MilestoneFactory(agreement=agreement, title="Joint R&D proposal", due_on=today, responsible_person=person)
    every_second = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.create(name="test sweep", task="notifications.tasks.send_reminders", interval=every_second)

    env = worker_environment(empty_broker, mailbox)
    log_path = tmp_path / "worker.log"
    with log_path.open("w") as log:
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "technopolis_portal",
                "worker",
                "--beat",
                "--pool=solo",
                "--loglevel=info",
                f"--schedule={tmp_path / 'beat-schedule'}",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            arrived = mailbox.arrived.wait(timeout=ARRIVAL_DEADLINE_SECONDS)
        finally:
            worker.terminate()
            worker.wait(timeout=30)

    assert arrived, f"no e-mail within {ARRIVAL_DEADLINE_SECONDS} s; the worker said:\n{log_path.read_text()[-3000:]}"
    [message] = mailbox.messages[:1]
    assert message["To"] == "Alexey Liulin <liulin@example.org>"
    assert "Joint R&D proposal" in message["Subject"]
    assert f"https://portal.example.org/agreements/{agreement.pk}/" in message.get_body(("plain",)).get_content()
    log = log_path.read_text()
    assert "notifications.tasks.send_reminders" in log and "succeeded" in log


@pytest.mark.django_db(transaction=True)
def test_the_digests_fan_out_over_two_worker_processes_and_each_arrives_once(mailbox, empty_broker, tmp_path):
    """send_digests cuts 24 subscriptions into 6 ranges of 4; two worker processes share them, plan
    and deliver; every partner gets exactly one digest, whichever process planned or sent it."""
    from notifications.models import OutgoingEmail
    from tests.factories import SubscriptionFactory

    today = timezone.localdate()
    agreement = agreement_with_parties(
        status=Agreement.Status.ACTIVE, effective_from=today.replace(year=today.year - 1)
    )
    MilestoneFactory(agreement=agreement, title="Joint R&D proposal", due_on=today - datetime.timedelta(days=2))
    partners = [PersonFactory(full_name=f"Partner {n}", email=f"partner{n}@example.org") for n in range(24)]
    for partner in partners:
        SubscriptionFactory(person=partner, frequency="daily").agreements.add(agreement)

    env = worker_environment(empty_broker, mailbox)
    log_path = tmp_path / "workers.log"
    with log_path.open("w") as log:
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "technopolis_portal",
                "worker",
                "--concurrency=2",
                "--loglevel=info",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            # As beat would: the coordinator runs on a worker and queues the ranges for both processes.
            Celery(broker=empty_broker).send_task("notifications.tasks.send_digests", kwargs={"batch_size": 4})
            mailbox.wait_for(len(partners), timeout=ARRIVAL_DEADLINE_SECONDS)
        finally:
            # A warm shutdown: the tasks under way finish (and send whatever they would send
            # twice) before the worker exits, so a duplicate would be in the mailbox by now.
            worker.terminate()
            worker.wait(timeout=30)

    worker_log = log_path.read_text()
    recipients = sorted(message["To"] for message in mailbox.messages)
    assert recipients == sorted(f"Partner {n} <partner{n}@example.org>" for n in range(24)), worker_log[-3000:]
    assert OutgoingEmail.objects.filter(kind="digest", status="sent").count() == 24
    assert "'ranges': 6" in worker_log, worker_log[-3000:]
    assert len(re.findall(r"send_digest_range\[[^]]+\] succeeded", worker_log)) == 6, worker_log[-3000:]
    # Both processes took ranges (the pool's two children are named in the log).
    assert len(set(re.findall(r"ForkPoolWorker-\d+", worker_log))) == 2, worker_log[-3000:]
