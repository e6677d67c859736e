"""Structured logging: sign-ins, refusals, status changes and e-mail failures, one JSON line each."""

import datetime
import json
import logging

import pytest
from django.urls import reverse

from agreements.services import agreement_change_status
from notifications.delivery import outbox_deliver
from operations.jsonlog import JsonFormatter
from tests import factories
from tests.support.smtp import free_port, use_smtp

PASSWORD = "a-long-enough-password"


def events(caplog, name: str) -> list[logging.LogRecord]:
    return [record for record in caplog.records if getattr(record, "event", None) == name]


def test_a_record_becomes_one_json_line_with_its_fields():
    record = logging.LogRecord("portal.security", logging.INFO, __file__, 1, "sign_in", None, None)
    record.event, record.user_id, record.username = "sign_in", 7, "Яна"

    line = JsonFormatter().format(record)

    assert "\n" not in line
    data = json.loads(line)
    assert data["level"] == "INFO"
    assert data["logger"] == "portal.security"
    assert data["message"] == "sign_in"
    assert (data["event"], data["user_id"], data["username"]) == ("sign_in", 7, "Яна")
    assert datetime.datetime.fromisoformat(data["time"]).tzinfo is not None


def test_production_logs_are_json_lines():
    from tests.support.processes import run_python

    result = run_python(
        "import django, logging; django.setup(); "
        "logging.getLogger('portal.security').warning('permission_denied', extra={'path': '/x/'})",
        DEBUG="false",
        SECRET_KEY="k" * 50,
    )

    assert result.returncode == 0, result.stderr
    data = json.loads(result.stderr.strip().splitlines()[-1])
    assert (data["message"], data["path"]) == ("permission_denied", "/x/")


@pytest.mark.django_db
def test_a_sign_in_is_logged_with_user_and_address(client, caplog):
    user = factories.UserFactory(username="yana", password=PASSWORD)
    caplog.set_level(logging.INFO, logger="portal.security")

    client.post(reverse("login"), {"username": "yana", "password": PASSWORD}, REMOTE_ADDR="198.51.100.4")

    [record] = events(caplog, "sign_in")
    assert (record.user_id, record.username, record.ip) == (user.pk, "yana", "198.51.100.4")


@pytest.mark.django_db
def test_a_failed_sign_in_is_logged_without_the_password(client, caplog):
    caplog.set_level(logging.INFO, logger="portal.security")

    client.post(reverse("login"), {"username": "nobody", "password": "secret-guess"}, REMOTE_ADDR="198.51.100.5")

    [record] = events(caplog, "sign_in_failed")
    assert (record.username, record.ip) == ("nobody", "198.51.100.5")
    assert "secret-guess" not in caplog.text


@pytest.mark.django_db
def test_a_refused_page_is_logged_with_user_and_path(client, caplog):
    park = factories.TechnopolisFactory()
    viewer = factories.member(park, "viewer")
    client.force_login(viewer)
    caplog.set_level(logging.INFO, logger="portal.security")

    response = client.get(reverse("accounts:staff"))

    assert response.status_code == 403
    [record] = events(caplog, "permission_denied")
    assert (record.user_id, record.path, record.method) == (viewer.pk, reverse("accounts:staff"), "GET")


@pytest.mark.django_db
def test_an_agreement_status_change_is_logged(caplog):
    agreement = factories.AgreementFactory()
    factories.AgreementPartyFactory.create_batch(2, agreement=agreement)
    user = factories.SuperuserFactory()
    caplog.set_level(logging.INFO, logger="portal.agreements")

    agreement_change_status(agreement=agreement, new_status="negotiation", user=user)

    [record] = events(caplog, "agreement_status_changed")
    assert (record.agreement_id, record.reference, record.from_status, record.to_status, record.user_id) == (
        agreement.pk,
        agreement.reference,
        "draft",
        "negotiation",
        user.pk,
    )


@pytest.mark.django_db
def test_an_email_failure_is_logged(settings, caplog):
    use_smtp(settings, free_port())
    email = factories.OutgoingEmailFactory()
    caplog.set_level(logging.INFO, logger="notifications")

    outbox_deliver(now=datetime.datetime(2027, 6, 16, 9, 0, tzinfo=datetime.UTC))

    [record] = events(caplog, "email_failed")
    assert (record.email_id, record.kind, record.outcome) == (email.pk, "reminder_due", "retry")
