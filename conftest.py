"""Fixtures shared by every app's tests (each app's tests/conftest.py holds its own).

The tests run on PostgreSQL, like production: `make test` points them there. Settings common to all
tests are in technopolis_portal/settings_for_tests.py, not in fixtures.
"""

import datetime

import pytest
from django.db import connection


def pytest_collection_modifyitems(config, items):
    # Fail loudly rather than quietly test against the embedded SQLite default.
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" not in engine:
        raise pytest.UsageError(
            f"The tests run on PostgreSQL, but DATABASE_URL points to {engine}. "
            "Run `make test`, or set DATABASE_URL=postgres://postgres@127.0.0.1:5432/technopolis_portal."
        )


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request in Russian leaves Russian active in the
    thread, and names typed by the next test's factories would land in their Russian fields."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate limits count in the cache: each test starts with none spent by the tests before it."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def today() -> datetime.date:
    """A fixed "today", so date rules are tested without depending on the calendar."""
    return datetime.date(2026, 11, 25)


@pytest.fixture
def db_vendor(db) -> str:
    return connection.vendor


@pytest.fixture
def admin_client(client, admin_user):
    """pytest-django's admin_client, signed in with the second factor the admin site requires."""
    from tests.support.twofactor import verified_login

    verified_login(client, admin_user)
    return client


@pytest.fixture
def media_root(settings, tmp_path):
    """An empty media folder of the test's own, for tests that look at what was (or was not) stored."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def smtp(settings):
    """A real SMTP server on loopback that Django sends to; the mailbox keeps what arrives."""
    from tests.support.smtp import Mailbox, smtp_server, use_smtp

    mailbox = Mailbox()
    with smtp_server(mailbox) as port:
        use_smtp(settings, port)
        yield mailbox


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, with the migrations' reference data even when it is reused."""
    from tests.support.reference_data import reference_data_restore

    with django_db_blocker.unblock():
        reference_data_restore()
