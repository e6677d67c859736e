"""Bad input on every portal form and every management command: a clear error, nothing changed.

Empty, too long, wrong types, HTML and script in text fields (shown escaped), e-mail header
injection in names and subjects, dates far in the past or future, and Cyrillic text that must
work everywhere (forms, lists, search, CSV).
"""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from agreements.models import Agreement, AgreementDocument, Milestone
from notifications import emails
from notifications.models import Subscription
from parks.models import Membership
from portal.models import CalendarToken
from residents.models import ResidentCompany
from residents.validators import complete_inn
from tests import factories
from tests.support.agreement_pages import add_rows, new_agreement_data
from tests.support.personas import build_world, snapshot

SCRIPT = '<script>alert("x")</script><b>bold</b>'
ESCAPED_SCRIPT = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
INJECTION = "Mallory\r\nBcc: victim@evil.example"


@pytest.fixture
def world(db):
    return build_world()


def text(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8")
    return response.content.decode("utf-8")


def assert_shown_escaped(page: str) -> None:
    assert ESCAPED_SCRIPT in page
    assert "<script>alert" not in page


def assert_refused_on_field(response, field: str, form_key: str = "form") -> None:
    """200, the page again, with an error next to `field`."""
    assert response.status_code == 200
    form = response.context[form_key]
    assert field in form.errors, form.errors
    page = text(response)
    assert "invalid-feedback" in page or "is-invalid" in page


# --- the agreement form --------------------------------------------------------------------------


def _agreement_post(world, **fields) -> dict:
    return new_agreement_data(world.park_a, world.park_c, **fields)


BAD_AGREEMENT_FIELDS = [
    ("title", "", "empty"),
    ("title", "x" * 501, "too long"),
    ("reference", "", "empty reference"),
    ("reference", "R" * 200, "reference too long"),
    ("effective_from", "next tuesday", "letters in a date"),
    ("effective_from", "2026-02-30", "impossible date"),
    ("expires_on", "31.31.2026", "wrong date format"),
    ("expires_on", "10000-01-01", "year 10000"),
    ("expires_on", "9999-12-31", "year 9999"),
    ("effective_from", "0001-01-01", "year 1"),
    ("signed_on", "1812-06-24", "before 1900"),
    ("notice_period_days", "ninety", "letters in a number"),
    ("notice_period_days", "-5", "negative number"),
    ("notice_period_days", "99999999999", "huge number"),
    ("notice_period_days", "36500", "a century of notice"),
    ("kind", "treaty", "unknown choice"),
    ("status", "hacked", "unknown status"),
]


@pytest.mark.parametrize(("field", "value", "case"), BAD_AGREEMENT_FIELDS, ids=[c for _, _, c in BAD_AGREEMENT_FIELDS])
def test_bad_agreement_fields_are_refused_next_to_the_field(client, world, field, value, case):
    client.force_login(world.editor)
    before = snapshot()

    response = client.post(reverse("agreements:create"), _agreement_post(world, **{field: value}))

    assert_refused_on_field(response, field)
    assert snapshot() == before


@pytest.mark.parametrize("day", ["0001-01-01", "1899-12-31", "2101-01-01", "9999-12-31"])
def test_a_milestone_due_outside_the_plausible_years_is_refused_next_to_its_date(client, world, day):
    client.force_login(world.editor)
    data = add_rows(_agreement_post(world), "milestones", [{"title": "Edge", "due_on": day, "status": "planned"}])
    before = snapshot()

    response = client.post(reverse("agreements:create"), data)

    assert response.status_code == 200
    errors = response.context["milestones"].forms[0].errors
    assert "Enter a date in the years 1900 to 2100." in errors["due_on"]
    assert snapshot() == before


@pytest.mark.parametrize("day", ["1900-01-01", "2100-12-31"])
def test_a_milestone_due_at_the_ends_of_the_plausible_years_never_breaks_a_page(client, world, day):
    client.force_login(world.editor)
    data = add_rows(_agreement_post(world), "milestones", [{"title": "Edge", "due_on": day, "status": "planned"}])
    data.update(effective_from="1900-01-01", expires_on="2100-12-31")

    response = client.post(reverse("agreements:create"), data)

    assert response.status_code == 302
    factories.CalendarTokenFactory(user=world.editor)
    token = CalendarToken.objects.get(user=world.editor).token
    for url in (
        response.url,
        reverse("agreements:milestones"),
        reverse("exchange:export", args=["milestones", "csv"]),
        reverse("portal:dashboard"),
        reverse("portal:calendar_feed", args=[token]),
    ):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("value", ["soon", "14,abc", "-1", "400", "1;2"])
def test_bad_reminder_days_are_refused_next_to_the_field(client, world, value):
    client.force_login(world.editor)
    data = add_rows(
        _agreement_post(world),
        "milestones",
        [{"title": "Report", "due_on": "2027-01-01", "status": "planned", "reminder_days": value}],
    )
    before = snapshot()

    response = client.post(reverse("agreements:create"), data)

    assert response.status_code == 200
    assert "reminder_days" in response.context["milestones"].forms[0].errors
    assert snapshot() == before


def test_script_in_agreement_texts_is_shown_escaped_everywhere(client, world):
    client.force_login(world.editor)
    data = _agreement_post(world, reference="XSS-1", title=SCRIPT, subject=SCRIPT)
    data = add_rows(data, "milestones", [{"title": SCRIPT, "due_on": "2027-01-01", "status": "planned"}])

    response = client.post(reverse("agreements:create"), data)

    assert response.status_code == 302
    agreement = Agreement.objects.get(reference="XSS-1")
    for url in (
        reverse("agreements:detail", args=[agreement.pk]),
        reverse("agreements:edit", args=[agreement.pk]),
        reverse("agreements:list"),
        reverse("agreements:milestones"),
        reverse("portal:search") + "?q=alert",
        reverse("notifications:agreement", args=[agreement.pk]),
    ):
        assert_shown_escaped(text(client.get(url)))


def test_a_cyrillic_agreement_works_in_the_form_list_search_and_csv(client, world):
    client.force_login(world.editor)
    title = "Соглашение о сотрудничестве «Рога и копыта»"
    data = _agreement_post(world, reference="СОГЛ-001", title=title)
    data = add_rows(data, "milestones", [{"title": "Отчёт за квартал", "due_on": "2027-01-01", "status": "planned"}])

    response = client.post(reverse("agreements:create"), data)

    assert response.status_code == 302
    assert title in text(client.get(response.url))
    assert title in text(client.get(reverse("agreements:list")))
    assert title in text(client.get(reverse("portal:search") + "?q=копыта"))
    assert title in text(client.get(reverse("agreements:list") + "?q=Рога"))
    assert title in text(client.get(reverse("exchange:export", args=["agreements", "csv"])))
    assert "Отчёт за квартал" in text(client.get(reverse("exchange:export", args=["milestones", "csv"])))


# --- the company form ----------------------------------------------------------------------------


def _company_post(world, **fields) -> dict:
    data = {
        "name": "Valid Company",
        "legal_form": ResidentCompany.LegalForm.OOO,
        "inn": complete_inn("165099999"),
        "technopolis": str(world.park_a.pk),
        "residency_start": "2024-01-01",
        "residency_end": "",
        "website": "",
        "staff_count": "",
        "version": "",
    }
    for prefix in ("products", "ip_records", "know_how"):
        data[f"{prefix}-TOTAL_FORMS"] = "0"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    data.update(fields)
    return data


VALID_INN = complete_inn("165000000")
WRONG_INN = VALID_INN[:-1] + str((int(VALID_INN[-1]) + 1) % 10)

BAD_COMPANY_FIELDS = [
    ("name", "", "empty"),
    ("name", "x" * 301, "too long"),
    ("inn", "", "empty INN"),
    ("inn", WRONG_INN, "wrong INN check digit"),
    ("inn", "ИНН1234567", "letters in the INN"),
    ("inn", "1" * 30, "INN too long"),
    ("residency_start", "yesterday", "letters in a date"),
    ("residency_start", "2024-02-30", "impossible date"),
    ("residency_start", "10000-01-01", "year 10000"),
    ("residency_start", "0001-01-01", "year 1"),
    ("staff_count", "many", "letters in a number"),
    ("staff_count", "-3", "negative number"),
    ("staff_count", "1e9999", "absurd number"),
    ("staff_count", "1000000000", "a billion staff"),
    ("website", "javascript:alert(1)", "script URL"),
    ("technopolis", "abc", "letters for a park"),
    ("legal_form", "llc", "unknown choice"),
]


@pytest.mark.parametrize(("field", "value", "case"), BAD_COMPANY_FIELDS, ids=[c for _, _, c in BAD_COMPANY_FIELDS])
def test_bad_company_fields_are_refused_next_to_the_field(client, world, field, value, case):
    client.force_login(world.editor)
    before = snapshot()

    response = client.post(reverse("residents:create"), _company_post(world, **{field: value}))

    assert_refused_on_field(response, field)
    assert snapshot() == before


def test_a_company_edit_with_bad_input_changes_nothing_and_keeps_what_was_typed(client, world):
    client.force_login(world.editor)
    company = world.company_a
    data = _company_post(world, name="", staff_count="lots", inn=company.inn, version=str(company.version))
    before = snapshot()

    response = client.post(reverse("residents:edit", args=[company.pk]), data)

    assert_refused_on_field(response, "name")
    assert 'value="lots"' in text(response)
    assert snapshot() == before


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_company_dates_at_the_ends_of_the_calendar_never_break_a_page(client, world, day):
    client.force_login(world.editor)

    response = client.post(reverse("residents:create"), _company_post(world, residency_start=day))

    assert response.status_code in (200, 302)
    for url in (
        reverse("residents:list"),
        reverse("exchange:export", args=["companies", "csv"]),
        reverse("parks:detail", args=["alpha"]),
    ):
        assert client.get(url).status_code == 200, url


def test_script_in_company_texts_is_shown_escaped(client, world):
    client.force_login(world.editor)
    data = _company_post(world, name=SCRIPT)
    data.update({"know_how-TOTAL_FORMS": "1", "know_how-0-title": SCRIPT, "know_how-0-confidentiality": "confidential"})

    response = client.post(reverse("residents:create"), data)

    assert response.status_code == 302, response.context and response.context["form"].errors
    company = ResidentCompany.objects.get(name=SCRIPT)
    for url in (
        reverse("residents:detail", args=[company.pk]),
        reverse("residents:edit", args=[company.pk]),
        reverse("residents:list"),
        reverse("portal:search") + "?q=alert",
    ):
        assert_shown_escaped(text(client.get(url)))


def test_a_cyrillic_company_is_registered_and_found_in_list_search_and_csv(client, world):
    client.force_login(world.editor)
    inn = complete_inn("165012345")

    response = client.post(reverse("residents:create"), _company_post(world, name="Рога и копыта", inn=inn))

    assert response.status_code == 302
    assert ResidentCompany.objects.filter(name="Рога и копыта", inn=inn, technopolis=world.park_a).exists()
    assert "Рога и копыта" in text(client.get(reverse("residents:list")))
    assert "Рога и копыта" in text(client.get(reverse("residents:list") + "?q=рога"))
    assert "Рога и копыта" in text(client.get(reverse("portal:search") + "?q=копыта"))
    csv = text(client.get(reverse("exchange:export", args=["companies", "csv"])))
    assert "Рога и копыта" in csv
    assert inn in csv


def test_a_company_cannot_be_moved_to_a_park_the_editor_does_not_edit(client, world):
    client.force_login(world.editor)
    before = snapshot()

    response = client.post(reverse("residents:create"), _company_post(world, technopolis=str(world.park_b.pk)))

    assert_refused_on_field(response, "technopolis")
    assert snapshot() == before


# --- documents, status, subscriptions, calendar link, staff, search --------------------------------


@pytest.mark.parametrize(
    ("fields", "case"),
    [
        ({"kind": "annex", "title": ""}, "empty title"),
        ({"kind": "annex", "title": "t" * 1000}, "title too long"),
        ({"kind": "poster", "title": "Annex"}, "unknown kind"),
        ({"kind": "annex", "title": "Annex", "supersedes": "abc"}, "letters for the earlier version"),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_bad_document_uploads_are_refused_and_store_nothing(client, world, fields, case):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.editor)
    before = snapshot()
    upload = SimpleUploadedFile("annex.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")

    response = client.post(reverse("agreements:document_upload", args=[world.ac.pk]), {**fields, "file": upload})

    assert response.status_code == 200
    assert response.context["document_form"].errors
    assert snapshot() == before


def test_a_document_upload_without_a_file_is_refused(client, world):
    client.force_login(world.editor)
    before = snapshot()

    response = client.post(reverse("agreements:document_upload", args=[world.ac.pk]), {"kind": "annex", "title": "x"})

    assert response.status_code == 200
    assert "file" in response.context["document_form"].errors
    assert AgreementDocument.objects.count() == len(world.documents)
    assert snapshot() == before


@pytest.mark.parametrize("status", ["", "hacked", "<script>", "signed" * 50])
def test_an_unknown_status_changes_nothing(client, world, status):
    client.force_login(world.editor)
    before = snapshot()

    response = client.post(
        reverse("agreements:change_status", args=[world.ac.pk]), {"status": status, "current_status": "negotiation"}
    )

    assert response.status_code == 302
    assert snapshot() == before
    page = text(client.get(response.url))
    assert "alert-danger" in page or "alert-warning" in page
    assert "<script>" not in page.split("<main", 1)[1].split("</main>", 1)[0]


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"person": "abc", "delivery": "digest", "frequency": "weekly", "language": "en"},
        {"person": "999999", "delivery": "digest", "frequency": "weekly", "language": "en"},
        {"myself": "on", "delivery": "pigeon", "frequency": "weekly", "language": "en"},
        {"myself": "on", "delivery": "digest", "frequency": "hourly", "language": "en"},
        {"myself": "on", "delivery": "digest", "frequency": "weekly", "language": "xx"},
    ],
)
def test_bad_subscriptions_are_refused_on_the_page(client, world, fields):
    client.force_login(world.editor)
    before = snapshot()

    response = client.post(reverse("notifications:subscription_add", args=[world.ac.pk]), fields)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert snapshot() == before


@pytest.mark.parametrize("action", ["", "delete-all", "<script>"])
def test_an_unknown_calendar_link_action_changes_nothing(client, world, action):
    client.force_login(world.editor)
    before = snapshot()

    response = client.post(reverse("portal:calendar_token"), {"action": action})

    assert response.status_code == 302
    assert snapshot() == before


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"email": ""}, "email"),
        ({"email": "not-an-address"}, "email"),
        ({"email": "x" * 140 + "@example.org"}, "email"),
        ({"email": "new@example.org", "first_name": "n" * 151}, "first_name"),
        ({"email": "new@example.org", "technopolis": "abc"}, "technopolis"),
        ({"email": "new@example.org", "role": "owner"}, "role"),
        ({"email": "new@example.org\r\nBcc: victim@evil.example"}, "email"),
    ],
)
def test_bad_staff_additions_are_refused_next_to_the_field(client, world, fields, field):
    client.force_login(world.admin)
    data = {"email": "", "first_name": "", "last_name": "", "technopolis": str(world.park_a.pk), "role": "viewer"}
    data.update(fields)
    before = snapshot()

    response = client.post(reverse("accounts:staff_add"), data)

    assert_refused_on_field(response, field)
    assert snapshot() == before
    assert mail.outbox == []


def test_a_staff_invitation_to_someone_with_a_script_and_newlines_in_their_name_is_safe(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.admin)
    data = {
        "email": "newcomer@example.org",
        "first_name": INJECTION,
        "last_name": SCRIPT,
        "technopolis": str(world.park_a.pk),
        "role": "viewer",
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:staff_add"), data)

    assert response.status_code in (200, 302)
    for message in mail.outbox:
        headers = message.message().as_string().split("\n\n", 1)[0]
        assert "victim@evil.example" not in headers
        assert "\nBcc:" not in headers
    if response.status_code == 302:
        assert_shown_escaped(text(client.get(reverse("accounts:staff"))))


@pytest.mark.parametrize("query", [SCRIPT, "x" * 10_000, "%", "_", "\\", "'; DROP TABLE x; --", "\x00"])
def test_any_search_text_answers_a_page_with_the_text_escaped(client, world, query):
    client.force_login(world.viewer)

    response = client.get(reverse("portal:search"), {"q": query})

    assert response.status_code in (200, 400)
    if query == SCRIPT:
        assert_shown_escaped(text(response))


@pytest.mark.parametrize("url_name", ["agreements:list", "agreements:milestones", "residents:list", "ip:list"])
@pytest.mark.parametrize(
    "params",
    [
        {"q": "\x00"},
        {"page": "abc"},
        {"page": "-1"},
        {"page": "99999999999999999999"},
        {"status": "hacked"},
        {"q": SCRIPT},
        {"due_after": "0001-01-01", "due_before": "9999-12-31"},
        {"due_after": "tomorrow"},
        {"technopolis": "abc"},
        {"sector": "abc"},
    ],
)
def test_list_filters_with_bad_values_answer_a_page_not_an_error(client, world, url_name, params):
    client.force_login(world.viewer)

    response = client.get(reverse(url_name), params)

    assert response.status_code == 200
    assert "<script>alert" not in text(response)


# --- e-mail header injection -----------------------------------------------------------------------


def test_a_name_or_subject_with_newlines_cannot_add_headers_to_an_email(db):
    email = factories.OutgoingEmailFactory(recipient_name=INJECTION, subject="Due soon\r\nBcc: victim@evil.example")

    message = emails.build_message(email).message()

    headers = message.as_string().split("\n\n", 1)[0]
    assert message["Bcc"] is None
    assert "victim@evil.example" not in [address.strip() for address in message.get_all("To", [])[0].split(",")][1:]
    assert "\nBcc:" not in headers


def test_a_partner_with_newlines_in_their_name_gets_a_reminder_without_extra_headers(
    world, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    person = factories.PersonFactory(full_name=INJECTION, email="partner@example.org")
    subscription = factories.SubscriptionFactory(person=person, delivery=Subscription.Delivery.EACH_EVENT)
    subscription.agreements.add(world.ac)
    milestone = world.milestones["ac"]
    Milestone.objects.filter(pk=milestone.pk).update(title="Report\r\nBcc: victim@evil.example", reminder_days="14")
    day = milestone.due_on - datetime.timedelta(days=14)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", date=day.isoformat(), stdout=StringIO())

    assert mail.outbox, "the reminder was sent"
    for message in mail.outbox:
        headers = message.message().as_string().split("\n\n", 1)[0]
        assert message.message()["Bcc"] is None
        assert "\nBcc:" not in headers


# --- management commands -------------------------------------------------------------------------


# Any integer is a seed, so a negative one is not bad input for --seed.
BAD_NUMBERS = [
    (option, value)
    for option in ["--parks", "--residents", "--ip", "--agreements", "--milestones", "--seed"]
    for value in ["-1", "abc", "1.5", ""]
    if not (option == "--seed" and value == "-1")
]


@pytest.mark.parametrize(("option", "value"), BAD_NUMBERS)
def test_generate_demo_refuses_bad_numbers_with_a_usage_error(db, option, value):
    before = snapshot()

    with pytest.raises(CommandError):
        call_command("generate_demo", f"{option}={value}", stdout=StringIO(), stderr=StringIO())

    assert snapshot() == before


@pytest.mark.parametrize("command", ["load_demo", "generate_demo", "send_reminders", "send_digests", "ensure_admin"])
def test_every_command_refuses_an_unknown_option(db, command):
    with pytest.raises(CommandError):
        call_command(command, "--no-such-option", stdout=StringIO(), stderr=StringIO())


@pytest.mark.parametrize("command", ["send_reminders", "send_digests"])
@pytest.mark.parametrize("date", ["tomorrow", "2026-13-01", "2026-02-30", "25.11.2026", "", "10000-01-01"])
def test_sweep_commands_refuse_a_bad_date_clearly(db, command, date):
    before = snapshot()

    with pytest.raises(CommandError, match="--date"):
        call_command(command, date=date, stdout=StringIO())

    assert snapshot() == before


@pytest.mark.parametrize("command", ["send_reminders", "send_digests"])
@pytest.mark.parametrize("date", ["0001-01-01", "9999-12-31"])
def test_sweep_commands_at_the_ends_of_the_calendar_do_not_crash(world, command, date):
    """A clear CommandError, not a traceback (OverflowError) from the date arithmetic of planning."""
    before = snapshot()

    with pytest.raises(CommandError, match="too far"):
        call_command(command, date=date, stdout=StringIO())

    assert snapshot() == before


@pytest.mark.parametrize("command", ["send_reminders", "send_digests"])
@pytest.mark.parametrize("date", ["1900-01-01", "2999-12-31"])
def test_sweep_commands_run_for_distant_but_sane_dates(world, command, date):
    call_command(command, date=date, dry_run=True, stdout=StringIO())


def test_load_demo_twice_with_if_empty_changes_nothing_the_second_time(db):
    call_command("load_demo", stdout=StringIO())
    before = snapshot()

    call_command("load_demo", "--if-empty", stdout=StringIO())

    assert snapshot() == before


@pytest.mark.parametrize("username", ["", "two words", "x" * 151, "<script>", "админ"])
def test_ensure_admin_with_a_bad_username_gives_a_clear_error_or_a_working_login(db, tmp_path, monkeypatch, username):
    from demo.management.commands import ensure_admin

    monkeypatch.setattr(ensure_admin, "CREDENTIALS_FILE", tmp_path / "admin-login.txt")
    try:
        call_command("ensure_admin", username=username, stdout=StringIO())
    except CommandError:
        assert not Membership.objects.exists()
        return
    from django.contrib.auth import get_user_model

    saved_username, password = (tmp_path / "admin-login.txt").read_text().split()
    user = get_user_model().objects.get(username=saved_username)
    assert user.check_password(password)
    assert user.is_superuser


# --- edits of stored records ------------------------------------------------------------------------


@pytest.mark.parametrize(("field", "value"), [("title", ""), ("title", "t" * 501), ("expires_on", "soon")])
def test_an_agreement_edit_with_bad_input_changes_nothing_and_keeps_what_was_typed(client, world, field, value):
    from tests.support.agreement_pages import page_data

    client.force_login(world.editor)
    url = reverse("agreements:edit", args=[world.ac.pk])
    data = page_data(client.get(url))
    data[field] = value
    before = snapshot()

    response = client.post(url, data)

    assert_refused_on_field(response, field)
    assert snapshot() == before
    if value:
        assert value in text(response)


@pytest.mark.parametrize("role", ["", "owner", "<script>"])
def test_a_bad_role_change_is_refused_and_changes_nothing(client, world, role):
    client.force_login(world.admin)
    before = snapshot()

    response = client.post(reverse("accounts:staff_edit", args=[world.membership_a.pk]), {"role": role})

    assert_refused_on_field(response, "role")
    assert snapshot() == before


def test_a_partner_contact_with_a_script_in_their_name_is_shown_escaped(client, world):
    person = factories.PersonFactory(full_name=SCRIPT, email="script@example.org")
    subscription = factories.SubscriptionFactory(person=person, delivery=Subscription.Delivery.DIGEST)
    subscription.agreements.add(world.ac)
    client.force_login(world.editor)

    for url in (
        reverse("notifications:agreement", args=[world.ac.pk]),
        reverse("notifications:subscription_preview", args=[world.ac.pk, subscription.pk]),
        reverse("agreements:edit", args=[world.ac.pk]),
    ):
        assert_shown_escaped(text(client.get(url)))


def test_a_document_with_a_cyrillic_title_and_file_name_is_uploaded_and_downloaded(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.editor)
    upload = SimpleUploadedFile("Протокол встречи.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")

    response = client.post(
        reverse("agreements:document_upload", args=[world.ac.pk]),
        {"kind": "annex", "title": "Протокол «первой» встречи", "file": upload},
    )

    assert response.status_code == 302
    document = AgreementDocument.objects.get(title="Протокол «первой» встречи")
    assert "Протокол «первой» встречи" in text(client.get(response.url))
    download = client.get(reverse("agreements:document_download", args=[world.ac.pk, document.pk]))
    assert download.status_code == 200
    assert "filename*=utf-8''" in download["Content-Disposition"]
    assert "Протокол" not in document.file.name  # stored under a name users do not control


@pytest.mark.parametrize(
    "url_name, param",
    [
        ("agreements:list", "sort"),
        ("agreements:milestones", "sort"),
        ("residents:list", "sort"),
        ("ip:list", "sort"),
        ("parks:list", "sort"),
    ],
)
def test_empty_sort_keys_in_a_list_address_show_the_list_in_its_usual_order(client, world, url_name, param):
    client.force_login(world.editor)
    usual = client.get(reverse(url_name))
    response = client.get(reverse(url_name), {param: ",,"})
    assert response.status_code == 200
    rows = [str(record.pk) for record in response.context["page_obj"]]
    assert rows == [str(record.pk) for record in usual.context["page_obj"]]
