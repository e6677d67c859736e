"""/healthz tells load balancers and compose whether the database and the broker answer."""

import socket
import time

import pytest
from django.db import OperationalError

from operations import health


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.django_db
def test_healthy_portal_answers_200_without_login(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok"}
    assert "no-cache" in response.headers["Cache-Control"]
    # No session, no cookie, no data: only the two answers.
    assert not response.cookies


@pytest.mark.django_db
def test_an_unreachable_broker_answers_503_naming_it(client, settings):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port()}/0"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}

    started = time.monotonic()
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": "unavailable"}
    assert time.monotonic() - started < 10


@pytest.mark.django_db
def test_an_unreachable_database_answers_503_naming_it(client, monkeypatch):
    class BrokenCursor:
        def __enter__(self):
            raise OperationalError("could not connect to server")

        def __exit__(self, *args):
            return False

    monkeypatch.setattr(health.connection, "cursor", BrokenCursor)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"database": "unavailable", "broker": "ok"}


@pytest.mark.django_db
def test_only_get_is_answered(client):
    assert client.post("/healthz").status_code == 405


def test_compose_uses_the_health_check_for_the_web_service():
    from tests.support.processes import ROOT

    compose = (ROOT / "docker-compose.yml").read_text()
    web = compose[compose.index("  web:") : compose.index("  worker:")]
    assert "healthcheck:" in web
    assert "/healthz" in web
