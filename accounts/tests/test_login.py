"""Locked doors at login: throttling, the same answer for every account, sessions, safe redirects."""

import datetime
import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from tests.factories import UserFactory

PASSWORD = "a-long-enough-password"


@pytest.fixture
def yana(db):
    return UserFactory(username="yana", email="yana@example.org", password=PASSWORD)


def log_in(client, username, password, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def fail(client, username, times, **extra):
    for _ in range(times):
        log_in(client, username, "not-the-password", **extra)


# --- Throttling ----------------------------------------------------------------------------------


def test_throttling_is_configured_by_username_and_address_with_a_cool_off():
    assert django_settings.AXES_FAILURE_LIMIT == 5
    assert datetime.timedelta(minutes=15) == django_settings.AXES_COOLOFF_TIME
    assert django_settings.AXES_LOCKOUT_PARAMETERS == ["username", "ip_address"]
    assert django_settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


def test_after_five_failures_even_the_right_password_is_refused_with_a_clear_message(client, yana):
    fail(client, "yana", 5)

    response = log_in(client, "yana", PASSWORD)

    assert response.status_code == 429
    assertContains(response, "Too many failed attempts to log in. Try again in 15 minutes.", status_code=429)
    assertContains(response, 'name="username"', status_code=429)
    assert "_auth_user_id" not in client.session


def test_four_failures_still_let_the_right_password_in(client, yana):
    fail(client, "yana", 4)

    response = log_in(client, "yana", PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(yana.pk)
    # A successful login clears the count.
    assert not AccessAttempt.objects.filter(username="yana").exists()


def test_the_lockout_ends_after_the_cool_off(client, yana):
    fail(client, "yana", 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))

    assert log_in(client, "yana", PASSWORD).status_code == 302


def test_a_username_is_locked_whatever_address_the_guesses_come_from(client, yana):
    for number in range(5):
        log_in(client, "yana", "wrong", REMOTE_ADDR=f"198.51.100.{number}")

    assert log_in(client, "yana", PASSWORD, REMOTE_ADDR="203.0.113.9").status_code == 429


def test_an_address_is_locked_whatever_usernames_it_tries(client, yana):
    for number in range(5):
        log_in(client, f"guess{number}", "wrong", REMOTE_ADDR="198.51.100.7")

    assert log_in(client, "yana", PASSWORD, REMOTE_ADDR="198.51.100.7").status_code == 429
    assert log_in(client, "yana", PASSWORD, REMOTE_ADDR="198.51.100.8").status_code == 302


def test_behind_a_proxy_the_forwarded_address_is_throttled(client, settings, yana):
    settings.AXES_IPWARE_PROXY_COUNT = 1
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    for number in range(5):
        log_in(client, f"guess{number}", "wrong", HTTP_X_FORWARDED_FOR="198.51.100.7, 10.0.0.1")

    assert AccessAttempt.objects.filter(ip_address="198.51.100.7").count() == 5
    assert log_in(client, "yana", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.8, 10.0.0.1").status_code == 302


def test_a_known_and_an_unknown_account_get_the_same_answers(client, yana):
    known = log_in(client, "yana", "wrong")
    unknown = log_in(client, "nobody", "wrong", REMOTE_ADDR="198.51.100.1")
    assert known.status_code == unknown.status_code == 200
    assert known.context["form"].non_field_errors() == unknown.context["form"].non_field_errors()

    fail(client, "yana", 4)
    fail(client, "nobody", 4, REMOTE_ADDR="198.51.100.1")
    known_locked = log_in(client, "yana", "wrong")
    unknown_locked = log_in(client, "nobody", "wrong", REMOTE_ADDR="198.51.100.1")
    assert known_locked.status_code == unknown_locked.status_code == 429
    assert page_text(known_locked, "yana") == page_text(unknown_locked, "nobody")


def page_text(response, username: str) -> str:
    """The page without what legitimately differs: the typed username and the CSRF token."""
    text = response.content.decode().replace(username, "")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(client, yana):
    known = client.post(reverse("password_reset"), {"email": "yana@example.org"})
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.org"})

    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1


# --- Passwords and sessions ------------------------------------------------------------------------


def test_passwords_need_at_least_twelve_characters():
    validators = {item["NAME"].rsplit(".", 1)[-1]: item for item in django_settings.AUTH_PASSWORD_VALIDATORS}
    assert validators["MinimumLengthValidator"]["OPTIONS"]["min_length"] >= 12
    assert {"CommonPasswordValidator", "NumericPasswordValidator", "UserAttributeSimilarityValidator"} <= set(
        validators
    )


def test_the_session_key_changes_at_login(client, yana):
    client.get(reverse("login"))
    client.session.save()
    before = client.session.session_key

    log_in(client, "yana", PASSWORD)

    assert client.session.session_key != before
    assert not Session.objects.filter(session_key=before).exists()


def test_a_password_change_ends_the_other_sessions_but_not_this_one(client, yana, django_user_model):
    other = client.__class__()
    assert log_in(client, "yana", PASSWORD).status_code == 302
    assert log_in(other, "yana", PASSWORD).status_code == 302

    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-brand-new-long-secret",
            "new_password2": "a-brand-new-long-secret",
        },
    )

    assert response.status_code == 302
    assert client.get(reverse("portal:dashboard")).status_code == 200
    assert other.get(reverse("portal:dashboard")).url.startswith(reverse("login"))


def test_sessions_expire_after_the_configured_idle_time():
    assert django_settings.SESSION_COOKIE_AGE == 8 * 60 * 60


def test_an_idle_session_is_logged_out(client, yana):
    log_in(client, "yana", PASSWORD)
    assert client.get(reverse("portal:dashboard")).status_code == 200

    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))

    response = client.get(reverse("portal:dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_an_active_session_is_kept_alive(client, yana, monkeypatch):
    log_in(client, "yana", PASSWORD)
    first_expiry = Session.objects.get().expire_date
    # A minute later the next request pushes the expiry forward by the idle time again.
    later = timezone.now().timestamp() + 61
    monkeypatch.setattr("accounts.middleware.time.time", lambda: later)
    monkeypatch.setattr("accounts.sessions.time.time", lambda: later)

    client.get(reverse("portal:dashboard"))

    assert Session.objects.get().expire_date > first_expiry


# --- Redirects after login --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "https:evil.example", "/\\evil.example"]
)
def test_next_never_leads_off_the_site(client, yana, target):
    response = client.post(reverse("login"), {"username": "yana", "password": PASSWORD, "next": target})

    assert response.status_code == 302
    assert response.url == reverse("portal:dashboard")


def test_next_on_the_site_is_followed(client, yana):
    response = client.post(
        reverse("login"), {"username": "yana", "password": PASSWORD, "next": reverse("agreements:list")}
    )

    assert response.url == reverse("agreements:list")


def test_the_login_page_does_not_echo_an_off_site_next(client, db):
    assertNotContains(client.get(reverse("login"), {"next": "https://evil.example/"}), "evil.example")
