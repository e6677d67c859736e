"""End to end on real parts: Celery beat ticks, a real worker on this machine's Redis runs the
reminder sweep against the test database, and the e-mail arrives at a real SMTP server."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import redis
from django.db import connection
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from agreements.models import Agreement
from tests.factories import MilestoneFactory, PersonFactory, agreement_with_parties
from tests.support.smtp import Mailbox, smtp_server

ROOT = Path(__file__).resolve().parent.parent
# A Redis database of its own, emptied first, so no stale task from another run is picked up.
BROKER_URL = "redis://127.0.0.1:6379/15"
ARRIVAL_DEADLINE_SECONDS = 90


def url_of_the_test_database() -> str:
    settings = connection.settings_dict
    user = settings["USER"] or "postgres"
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    return (
        f"postgres://{user}{password}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"
    )


@pytest.fixture
def mailbox():
    mailbox = Mailbox()
    with smtp_server(mailbox) as port:
        mailbox.port = port
        yield mailbox


@pytest.fixture
def empty_broker():
    client = redis.Redis.from_url(BROKER_URL, socket_connect_timeout=5)
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

    env = {
        **os.environ,
        # The worker runs as in production: the test settings would keep its e-mails in memory.
        "DJANGO_SETTINGS_MODULE": "technopolis_portal.settings",
        "DEBUG": "true",
        "DATABASE_URL": url_of_the_test_database(),
        "CELERY_BROKER_URL": empty_broker,
        "EMAIL_URL": f"smtp://127.0.0.1:{mailbox.port}",
        "SITE_URL": "https://portal.example.org",
    }
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
