"""The project's wiring: settings from the environment, login required, the compose file."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.support.processes import ROOT, run_python


def test_settings_refuse_to_start_without_secret_key_when_debug_is_off():
    result = run_python("import django; django.setup()", DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY is required when DEBUG is off" in result.stderr


def test_settings_refuse_an_unclear_boolean():
    result = run_python("import django; django.setup()", DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be true or false, not 'maybe'" in result.stderr


def test_settings_read_database_email_and_site_url_from_the_environment():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'], s.EMAIL_HOST, s.EMAIL_PORT, "
        "s.SITE_URL, s.TIME_ZONE, s.CELERY_BROKER_URL, s.ALLOWED_HOSTS)"
    )
    result = run_python(
        code,
        SECRET_KEY="k" * 50,
        DATABASE_URL="postgres://u:p@db.example:5433/portal",
        EMAIL_URL="smtp://mail.example:2525",
        SITE_URL="https://portal.example/",
        ALLOWED_HOSTS="portal.example",
        CELERY_BROKER_URL="redis://broker.example:6379/1",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "portal",
        "mail.example",
        "2525",
        "https://portal.example",
        "Europe/Moscow",
        "redis://broker.example:6379/1",
        "['portal.example']",
    ]


def test_embedded_default_is_sqlite_under_the_ignored_var_folder():
    code = "import django; django.setup(); from django.conf import settings as s; print(s.DATABASES['default']['NAME'])"
    result = run_python(code, DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip()) == ROOT / "var" / "db.sqlite3"


@pytest.mark.django_db
def test_pages_need_login(client):
    response = client.get(reverse("portal:dashboard"))
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next=/"


@pytest.mark.django_db
def test_login_page_opens_and_a_user_can_log_in(client):
    UserFactory(username="yana", password="a-long-enough-password")
    assert client.get(reverse("login")).status_code == 200

    response = client.post(reverse("login"), {"username": "yana", "password": "a-long-enough-password"}, follow=True)

    assert response.status_code == 200
    assert response.context["user"].username == "yana"
    assert "Technopolis Portal" in response.content.decode()


def test_docker_compose_file_is_valid_and_runs_every_service():
    env = {**os.environ, "SECRET_KEY": "only-for-the-check"}
    compose = Path(sys.executable).parent / "docker-compose"
    result = subprocess.run(
        [str(compose), "config", "--services"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert set(result.stdout.split()) == {"db", "redis", "web", "worker", "beat", "mailpit"}


def test_docker_compose_insists_on_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    compose = Path(sys.executable).parent / "docker-compose"
    result = subprocess.run([str(compose), "config"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "set SECRET_KEY" in result.stderr


def test_every_apps_tests_are_collected_by_the_suite():
    """An app's tests/ folder missing from pytest's testpaths would never run, in CI or `make test`."""
    import tomllib

    testpaths = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]["testpaths"])
    with_tests = {path.parent.name for path in ROOT.glob("*/tests/__init__.py")} | {"tests"}

    assert with_tests - testpaths == set()
