"""Production settings pass Django's deploy check; pages carry a strict Content-Security-Policy."""

import contextlib
import importlib
import re
import secrets
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.urls import reverse

from tests.support.processes import ROOT, run_python

PRODUCTION = {"DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "portal.example"}
PROJECT_APPS = ["common", "parks", "residents", "agreements", "notifications", "portal", "accounts", "operations"]


def test_production_settings_pass_the_deploy_check_without_a_warning():
    result = run_python(
        "import sys; from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])",
        **PRODUCTION,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_production_defaults_are_the_safe_ones():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, "
        "s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_PROXY_SSL_HEADER, s.X_FRAME_OPTIONS, s.SECURE_REFERRER_POLICY, "
        "s.SECURE_CONTENT_TYPE_NOSNIFF, s.SECURE_REDIRECT_EXEMPT)"
    )
    result = run_python(code, **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "True True True 31536000 True ('HTTP_X_FORWARDED_PROTO', 'https') DENY same-origin True ['^healthz$']"
    )


def test_hardening_values_come_from_the_environment():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_PRELOAD, s.SESSION_COOKIE_AGE, s.AXES_COOLOFF_TIME, "
        "s.AXES_FAILURE_LIMIT, s.AXES_IPWARE_PROXY_COUNT)"
    )
    result = run_python(
        code,
        **PRODUCTION,
        SECURE_HSTS_SECONDS="600",
        SECURE_HSTS_PRELOAD="false",
        SESSION_COOKIE_AGE="1800",
        AXES_COOLOFF_MINUTES="30",
        AXES_FAILURE_LIMIT="3",
        AXES_IPWARE_PROXY_COUNT="1",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["600", "False", "1800", "0:30:00", "3", "1"]


def test_a_bad_session_age_is_refused_at_start_up():
    result = run_python("import django; django.setup()", DEBUG="true", SESSION_COOKIE_AGE="forever")
    assert result.returncode != 0
    assert "SESSION_COOKIE_AGE must be a whole number" in result.stderr


def test_plain_http_is_redirected_to_https_except_the_health_check(client, settings, db):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get(reverse("login")).status_code == 301
    assert client.get(reverse("login"), headers={"x-forwarded-proto": "https"}).status_code == 200
    assert client.get("/healthz").status_code in (200, 503)


# --- Content-Security-Policy -----------------------------------------------------------------------


def csp_directives(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_pages_carry_a_content_security_policy_without_inline_scripts(client, db):
    response = client.get(reverse("login"))

    policy = csp_directives(response)
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy.get("style-src", [])
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def page_templates() -> list[Path]:
    folders = [ROOT / "templates"] + [Path(apps.get_app_config(app).path) / "templates" for app in PROJECT_APPS]
    # E-mails are not web pages: mail clients need their inline styles, and no CSP applies there.
    return [path for folder in folders for path in folder.rglob("*.html") if "email" not in path.parts]


def test_no_template_has_an_inline_script_or_event_handler():
    offenders = []
    for path in page_templates():
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"\son[a-z]+\s*=", text):
            offenders.append(str(path.relative_to(ROOT)))
    assert page_templates()
    assert offenders == []


# --- Forms list their fields -------------------------------------------------------------------------


def project_model_forms() -> list[type]:
    for app in PROJECT_APPS:
        for name in ("forms", "portal_forms", "admin_forms"):
            with contextlib.suppress(ModuleNotFoundError):
                importlib.import_module(f"{app}.{name}")
    found, pending = [], list(forms.ModelForm.__subclasses__())
    while pending:
        form = pending.pop()
        pending.extend(form.__subclasses__())
        if form.__module__.split(".")[0] in PROJECT_APPS:
            found.append(form)
    return found


# Admin forms are for administrators, who may change every field anyway; the admin's base form for
# optimistic locking leaves out only the version.
ADMIN_BASE_FORMS = {"common.concurrency.VersionedModelForm", "common.concurrency.VersionedInlineForm"}


def is_admin_form(form: type) -> bool:
    return "admin" in form.__module__ or f"{form.__module__}.{form.__name__}" in ADMIN_BASE_FORMS


def meta(form: type) -> type | None:
    # Admin base forms have no Meta of their own: the admin builds it from the ModelAdmin's fields.
    return getattr(form, "Meta", None)


def test_every_portal_model_form_lists_its_fields_explicitly():
    loose = [
        f"{form.__module__}.{form.__name__}"
        for form in project_model_forms()
        if not is_admin_form(form)
        if getattr(meta(form), "fields", None) == "__all__" or getattr(meta(form), "exclude", None)
    ]
    assert project_model_forms()
    assert loose == []


@pytest.mark.django_db
def test_posting_admin_flags_to_the_two_factor_page_changes_nothing(client):
    from tests.factories import UserFactory

    user = UserFactory()
    client.force_login(user)
    client.get(reverse("accounts:two_factor_setup"))

    client.post(reverse("accounts:two_factor_setup"), {"otp_token": "1", "is_staff": "on", "is_superuser": "on"})

    user.refresh_from_db()
    assert not user.is_staff
    assert not user.is_superuser
