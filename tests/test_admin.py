"""The admin: every registered model's pages open, and the agreement rules show where they apply."""

import ast
import datetime
import html
import logging
import os
import re
from io import StringIO

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django_celery_beat.models import ClockedSchedule, CrontabSchedule, IntervalSchedule, PeriodicTask, SolarSchedule
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.asserts import assertContains
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import HistoricalChanges

from agreements.admin import AgreementAdmin, MilestoneAdmin
from agreements.models import (
    Agreement,
    AgreementDocument,
    AgreementParty,
    InnovationStage,
    Milestone,
    SigningEvent,
)
from common.admin import MissingDataFilter
from common.admin_exchange import ImportExportAdminMixin
from notifications.models import OutgoingEmail, ReminderSnooze, Subscription, SuppressedAddress
from parks.models import Facility, Membership, Person, ReportedFigures, Sector, Technopolis
from partners.models import DueDateProposal, MilestoneComment, MilestoneConfirmation, PartnerLink
from portal.models import CalendarToken
from releases.models import ImportedRelease
from residents.admin import (
    IntellectualPropertyAdmin,
    KnowHowAdmin,
    ProductAdmin,
    ResidentCompanyAdmin,
    TechnopolisWithFiguresAdmin,
)
from residents.models import IntellectualProperty, KnowHow, Product, ResidentCompany
from tests import factories
from tests.support.forms import admin_page_data, admin_url
from tests.support.logs import log_events
from tests.support.twofactor import verified_login

FACTORIES = {
    Group: factories.GroupFactory,
    get_user_model(): factories.UserFactory,
    Sector: factories.SectorFactory,
    Technopolis: factories.TechnopolisFactory,
    ReportedFigures: factories.ReportedFiguresFactory,
    Facility: factories.FacilityFactory,
    Person: factories.PersonFactory,
    Membership: factories.MembershipFactory,
    ResidentCompany: factories.ResidentCompanyFactory,
    Product: factories.ProductFactory,
    IntellectualProperty: factories.IntellectualPropertyFactory,
    KnowHow: factories.KnowHowFactory,
    SigningEvent: factories.SigningEventFactory,
    InnovationStage: factories.InnovationStageFactory,
    Agreement: factories.AgreementFactory,
    AgreementParty: factories.AgreementPartyFactory,
    Milestone: factories.MilestoneFactory,
    AgreementDocument: factories.AgreementDocumentFactory,
    CalendarToken: factories.CalendarTokenFactory,
    Subscription: factories.SubscriptionFactory,
    ReminderSnooze: factories.ReminderSnoozeFactory,
    OutgoingEmail: factories.OutgoingEmailFactory,
    SuppressedAddress: factories.SuppressedAddressFactory,
    IntervalSchedule: factories.IntervalScheduleFactory,
    CrontabSchedule: factories.CrontabScheduleFactory,
    SolarSchedule: factories.SolarScheduleFactory,
    ClockedSchedule: factories.ClockedScheduleFactory,
    PeriodicTask: factories.PeriodicTaskFactory,
    TOTPDevice: factories.TOTPDeviceFactory,
    AccessAttempt: factories.AccessAttemptFactory,
    AccessLog: factories.AccessLogFactory,
    AccessFailureLog: factories.AccessFailureLogFactory,
    PartnerLink: factories.PartnerLinkFactory,
    MilestoneConfirmation: factories.MilestoneConfirmationFactory,
    DueDateProposal: factories.DueDateProposalFactory,
    MilestoneComment: factories.MilestoneCommentFactory,
    ImportedRelease: factories.ImportedReleaseFactory,
}

# Written only by the reminder and digest sweeps: the admin shows them and adds none.
# Written only by django-axes when people log in.
# Sent with e-mails, or said on the partner and milestone pages: shown and corrected, never added.
READ_ONLY_MODELS = {
    OutgoingEmail,
    AccessAttempt,
    AccessLog,
    AccessFailureLog,
    PartnerLink,
    MilestoneConfirmation,
    DueDateProposal,
    MilestoneComment,
    # Written only by the press release review's confirmation.
    ImportedRelease,
}

REGISTERED_MODELS = sorted(admin.site._registry, key=lambda model: model._meta.label)


@pytest.fixture
def superuser(db):
    return factories.SuperuserFactory()


@pytest.fixture
def admin_client(client, superuser):
    verified_login(client, superuser)
    return client


# --- Every registered model -------------------------------------------------------------------


DOMAIN_APPS = ["parks", "residents", "agreements"]


def stored_state(models) -> dict[str, list]:
    """Every stored value of the records, with the number of history rows of those that keep one."""
    with translation.override("en"):  # the names as stored, whichever language the last page had
        return {
            model._meta.label: [
                (row, model.history.filter(id=row["id"]).count() if hasattr(model, "history") else None)
                for row in model.objects.order_by("pk").values()
            ]
            for model in models
        }


@pytest.mark.parametrize("language", ["en", "ru"])
def test_every_demo_record_saves_unchanged_in_admin(admin_client, language):
    """The seed leaves facts empty on purpose (Himgrad's city, Zdunov's organisation): optional stays optional.

    Saving a page as shown changes nothing, in either language: no value, no version (which would
    give the next API client a false 409), no history row; milestones with an English title only too.
    """
    call_command("load_demo", stdout=StringIO())
    with translation.override("en"):
        factories.MilestoneFactory(title="Sign the first work plan")  # and its agreement: English titles only
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    domain_models = [model for model in REGISTERED_MODELS if model._meta.app_label in DOMAIN_APPS]
    before = stored_state(domain_models)
    saved = 0
    for model in domain_models:
        for record in model.objects.all():
            url = admin_url(model, "change", record.pk)
            response = admin_client.post(url, admin_page_data(admin_client.get(url)))

            errors = getattr(response, "context", None) and response.context.get("errors")
            assert response.status_code == 302, f"{model._meta.label} {record}: {errors}"
            assert stored_state(domain_models) == before, f"{model._meta.label} {record} changed"
            saved += 1
    assert saved >= 20


def test_every_model_of_the_domain_is_in_the_admin():
    models = [
        model
        for app_label in DOMAIN_APPS
        for model in apps.get_app_config(app_label).get_models()
        # The change history of a record is shown on the record's own admin page.
        if not issubclass(model, HistoricalChanges)
    ]
    missing = [model._meta.label for model in models if model not in admin.site._registry]
    assert missing == [], f"register {missing} in the app's admin.py"


def test_every_registered_model_has_a_factory_here():
    missing = [model._meta.label for model in REGISTERED_MODELS if model not in FACTORIES]
    assert missing == [], f"add a factory to FACTORIES for {missing}"


@pytest.mark.parametrize("model", REGISTERED_MODELS, ids=lambda model: model._meta.label)
def test_changelist_add_and_change_pages_open(admin_client, model):
    record = FACTORIES[model]()

    assert admin_client.get(admin_url(model, "changelist")).status_code == 200
    assert admin_client.get(admin_url(model, "add")).status_code == (403 if model in READ_ONLY_MODELS else 200)
    assert admin_client.get(admin_url(model, "change", record.pk)).status_code == 200
    assert admin_client.get(admin_url(model, "history", record.pk)).status_code == 200
    if isinstance(admin.site._registry[model], SimpleHistoryAdmin):
        version = record.history.latest().history_id
        assert admin_client.get(admin_url(model, "simple_history", record.pk, version)).status_code == 200


@pytest.mark.parametrize("model", REGISTERED_MODELS, ids=lambda model: model._meta.label)
def test_changelist_searches_and_counts_filter_choices(admin_client, model):
    FACTORIES[model]()
    url = admin_url(model, "changelist")

    assert admin_client.get(url, {"q": "x"}).status_code == 200
    assert admin_client.get(url, {"_facets": "1"}).status_code == 200


@pytest.mark.parametrize(
    "model",
    [model for model, model_admin in admin.site._registry.items() if MissingDataFilter in model_admin.list_filter],
    ids=lambda model: model._meta.label,
)
def test_changelist_filters_what_to_complete(admin_client, model):
    FACTORIES[model]()
    url = admin_url(model, "changelist")

    assert admin_client.get(url, {"missing": "any"}).status_code == 200
    assert admin_client.get(url, {"missing": "any", "_facets": "1"}).status_code == 200


@pytest.mark.parametrize("model", REGISTERED_MODELS, ids=lambda model: model._meta.label)
def test_changelist_queries_do_not_grow_with_the_rows(admin_client, model):
    url = admin_url(model, "changelist")
    FACTORIES[model]()
    with CaptureQueriesContext(connection) as one_row:
        admin_client.get(url)
    FACTORIES[model].create_batch(3)
    with CaptureQueriesContext(connection) as four_rows:
        response = admin_client.get(url)

    assert response.context["cl"].result_count >= 4
    assert len(four_rows) == len(one_row), [query["sql"] for query in four_rows]


# --- Which admin runs: each registered once, by its own app --------------------------------------


def _project_modules():
    skipped = {"var", "static", "templates", "locale", "node_modules", "test-artifacts", "__pycache__"}
    for folder, subfolders, files in os.walk(settings.BASE_DIR):
        subfolders[:] = [name for name in subfolders if not name.startswith(".") and name not in skipped]
        for name in files:
            if name.endswith(".py"):
                yield os.path.join(folder, name)


def test_no_module_unregisters_an_admin():
    # An admin replaced by another app's re-registration would depend on the order of INSTALLED_APPS.
    calls = []
    for path in _project_modules():
        with open(path, encoding="utf-8") as source:
            tree = ast.parse(source.read(), path)
        calls += [
            f"{os.path.relpath(path, settings.BASE_DIR)}:{node.lineno}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "unregister"
        ]
    assert calls == []


def test_the_agreement_admin_is_the_one_agreements_admin_py_defines_with_import_and_export(admin_client):
    agreement_admin = admin.site._registry[Agreement]
    assert type(agreement_admin) is AgreementAdmin
    assert isinstance(agreement_admin, ImportExportAdminMixin)

    changelist = admin_client.get(admin_url(Agreement, "changelist"))

    assertContains(changelist, admin_url(Agreement, "import"))
    assertContains(changelist, "Import CSV / XLSX")
    assert {"export_csv", "export_xlsx"} <= set(agreement_admin.get_actions(changelist.wsgi_request))
    assertContains(admin_client.get(admin_url(Agreement, "import")), "Import: Agreements")


@pytest.mark.parametrize(
    ("model", "model_admin"),
    [
        (Milestone, MilestoneAdmin),
        (ResidentCompany, ResidentCompanyAdmin),
        (Product, ProductAdmin),
        (IntellectualProperty, IntellectualPropertyAdmin),
        (KnowHow, KnowHowAdmin),
        (Technopolis, TechnopolisWithFiguresAdmin),
    ],
    ids=lambda value: getattr(value, "__name__", value),
)
def test_the_admin_registered_for_a_model_is_the_class_its_app_defines(model, model_admin):
    assert type(admin.site._registry[model]) is model_admin


# --- Helpers to post admin forms --------------------------------------------------------------


def add_inline_forms(data: dict[str, object], prefix: str, rows: list[dict[str, object]]) -> None:
    """Appends `rows` as new forms of the inline whose management form has `prefix`."""
    start = int(data[f"{prefix}-TOTAL_FORMS"])
    for offset, row in enumerate(rows):
        for field, value in row.items():
            data[f"{prefix}-{start + offset}-{field}"] = value
    data[f"{prefix}-TOTAL_FORMS"] = str(start + len(rows))


def inline_formset(response, model):
    return next(inline.formset for inline in response.context["inline_admin_formsets"] if inline.formset.model is model)


def messages_of(errors) -> str:
    return " ".join(str(message) for message in errors)


# --- Agreements -------------------------------------------------------------------------------


@pytest.fixture
def agreement_add(admin_client):
    """A valid draft agreement's add form, without parties or milestones yet."""
    data = admin_page_data(admin_client.get(admin_url(Agreement, "add")))
    data.update(
        reference="AGR-ADMIN-1",
        title="Cooperation in microelectronics",
        kind=Agreement.Kind.COOPERATION,
        status=Agreement.Status.DRAFT,
        renewal=Agreement.Renewal.NONE,
        effective_from="2026-01-01",
        expires_on="2028-12-31",
    )
    return data


def party(park: Technopolis, **fields) -> dict[str, object]:
    return {"technopolis": park.pk, **fields}


def milestone(**fields) -> dict[str, object]:
    return {"title": "Joint laboratory opens", "due_on": "2027-03-01", "status": Milestone.Status.PLANNED, **fields}


def assert_nothing_saved() -> None:
    assert Agreement.objects.count() == 0
    assert AgreementParty.objects.count() == 0
    assert Milestone.objects.count() == 0


def test_signed_agreement_with_one_party_is_refused_and_nothing_is_saved(admin_client, agreement_add):
    agreement_add.update(status=Agreement.Status.SIGNED, signed_on="2025-12-15")
    add_inline_forms(agreement_add, "parties", [party(factories.TechnopolisFactory())])
    add_inline_forms(agreement_add, "milestones", [milestone()])

    response = admin_client.post(admin_url(Agreement, "add"), agreement_add)

    assert response.status_code == 200
    errors = messages_of(inline_formset(response, AgreementParty).non_form_errors())
    assert "needs at least two parties" in errors
    assertContains(response, "needs at least two parties")
    assert_nothing_saved()


def test_the_same_park_twice_is_refused_naming_the_park(admin_client, agreement_add):
    park = factories.TechnopolisFactory(short_name="Innopolis")
    add_inline_forms(agreement_add, "parties", [party(park), party(park)])

    response = admin_client.post(admin_url(Agreement, "add"), agreement_add)

    assert response.status_code == 200
    parties = inline_formset(response, AgreementParty)
    assert "Innopolis is already a party" in messages_of(parties.forms[1].errors["technopolis"])
    assert "cannot be a party twice" in messages_of(parties.non_form_errors())
    assert_nothing_saved()


def test_milestone_due_before_the_agreement_takes_effect_is_refused_on_its_date(admin_client, agreement_add):
    add_inline_forms(agreement_add, "milestones", [milestone(due_on="2025-06-30")])

    response = admin_client.post(admin_url(Agreement, "add"), agreement_add)

    assert response.status_code == 200
    milestones = inline_formset(response, Milestone)
    assert "cannot be due before the agreement takes effect" in messages_of(milestones.forms[0].errors["due_on"])
    assert_nothing_saved()


def test_done_milestone_without_completion_date_is_refused(admin_client, agreement_add):
    add_inline_forms(agreement_add, "milestones", [milestone(status=Milestone.Status.DONE)])

    response = admin_client.post(admin_url(Agreement, "add"), agreement_add)

    assert response.status_code == 200
    milestones = inline_formset(response, Milestone)
    assert "needs the date it was completed" in messages_of(milestones.forms[0].errors["completed_on"])
    assert_nothing_saved()


def test_valid_agreement_is_saved_with_its_parties_and_milestones(admin_client, agreement_add, superuser):
    first, second = factories.TechnopolisFactory(), factories.TechnopolisFactory()
    agreement_add.update(status=Agreement.Status.SIGNED, signed_on="2025-12-15")
    add_inline_forms(agreement_add, "parties", [party(first, role="initiator"), party(second, role="partner")])
    add_inline_forms(
        agreement_add,
        "milestones",
        [milestone(), milestone(title="Report", status=Milestone.Status.DONE, completed_on="2026-02-01")],
    )

    response = admin_client.post(admin_url(Agreement, "add"), agreement_add)

    assert response.status_code == 302
    agreement = Agreement.objects.get(reference="AGR-ADMIN-1")
    assert agreement.status == Agreement.Status.SIGNED
    assert {p.technopolis for p in agreement.parties.all()} == {first, second}
    assert agreement.milestones.count() == 2
    assert agreement.history.get().history_user == superuser


def test_uploaded_document_keeps_its_original_name_and_uploader(admin_client, agreement_add, superuser):
    add_inline_forms(agreement_add, "documents", [{"kind": AgreementDocument.Kind.DRAFT, "title": "Draft"}])
    agreement_add["documents-0-file"] = SimpleUploadedFile("Draft v2.pdf", b"%PDF-1.4\n%%EOF\n")

    response = admin_client.post(admin_url(Agreement, "add"), agreement_add)

    assert response.status_code == 302
    document = AgreementDocument.objects.get()
    assert document.original_filename == "Draft v2.pdf"
    assert document.uploaded_by == superuser
    assert document.file.name != "Draft v2.pdf"


def test_document_uploaded_on_its_own_page_keeps_its_original_name(admin_client, superuser):
    agreement = factories.AgreementFactory()
    upload = SimpleUploadedFile("Signed copy.pdf", b"%PDF-1.4\n%%EOF\n")

    response = admin_client.post(
        admin_url(AgreementDocument, "add"),
        {"agreement": agreement.pk, "kind": AgreementDocument.Kind.SIGNED_SCAN, "title": "Scan", "file": upload},
    )

    assert response.status_code == 302
    document = AgreementDocument.objects.get()
    assert (document.original_filename, document.uploaded_by) == ("Signed copy.pdf", superuser)


def test_a_failure_while_saving_the_inlines_leaves_nothing_saved(admin_client, agreement_add, monkeypatch):
    add_inline_forms(agreement_add, "milestones", [milestone()])

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(AgreementAdmin, "save_related", fail)
    with pytest.raises(RuntimeError):
        admin_client.post(admin_url(Agreement, "add"), agreement_add)

    assert_nothing_saved()


def test_a_status_transition_not_allowed_is_refused_on_the_status_field(admin_client, caplog):
    agreement = factories.agreement_with_parties(status=Agreement.Status.DRAFT)
    url = admin_url(Agreement, "change", agreement.pk)
    data = admin_page_data(admin_client.get(url))
    data["status"] = Agreement.Status.ACTIVE
    caplog.set_level(logging.INFO, logger="portal.agreements")

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "cannot go from draft to active" in messages_of(response.context["adminform"].form.errors["status"])
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.DRAFT
    assert log_events(caplog, "agreement_status_changed") == []


def test_an_allowed_status_transition_is_saved(admin_client):
    agreement = factories.agreement_with_parties(status=Agreement.Status.DRAFT)
    url = admin_url(Agreement, "change", agreement.pk)
    data = admin_page_data(admin_client.get(url))
    data["status"] = Agreement.Status.NEGOTIATION

    assert admin_client.post(url, data).status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.NEGOTIATION


def test_a_status_change_in_admin_writes_the_portal_s_log_event_and_one_history_row(admin_client, superuser, caplog):
    agreement = factories.agreement_with_parties(status=Agreement.Status.DRAFT)
    url = admin_url(Agreement, "change", agreement.pk)
    data = admin_page_data(admin_client.get(url))
    data["status"] = Agreement.Status.NEGOTIATION
    caplog.set_level(logging.INFO, logger="portal.agreements")

    assert admin_client.post(url, data).status_code == 302

    [event] = log_events(caplog, "agreement_status_changed")
    assert (event.agreement_id, event.from_status, event.to_status, event.user_id) == (
        agreement.pk,
        "draft",
        "negotiation",
        superuser.pk,
    )
    [before, after] = agreement.history.order_by("history_id")
    assert (before.status, before.version) == ("draft", 1)
    assert (after.status, after.version, after.history_user) == ("negotiation", 2, superuser)


def test_an_agreement_leaves_draft_in_admin_with_the_second_party_added_on_the_same_page(admin_client, caplog):
    agreement = factories.agreement_with_parties(factories.TechnopolisFactory(), status=Agreement.Status.DRAFT)
    url = admin_url(Agreement, "change", agreement.pk)
    data = admin_page_data(admin_client.get(url))
    data.update(status=Agreement.Status.NEGOTIATION, title="Renamed")
    add_inline_forms(data, "parties", [{"technopolis": factories.TechnopolisFactory().pk, "version": ""}])
    caplog.set_level(logging.INFO, logger="portal.agreements")

    assert admin_client.post(url, data).status_code == 302

    agreement.refresh_from_db()
    assert (agreement.status, agreement.title, agreement.parties.count()) == ("negotiation", "Renamed", 2)
    assert len(log_events(caplog, "agreement_status_changed")) == 1


def test_reverting_to_a_version_with_another_status_changes_it_through_the_lifecycle(admin_client, caplog):
    agreement = factories.agreement_with_parties(status=Agreement.Status.DRAFT)
    draft = agreement.history.get()
    url = admin_url(Agreement, "change", agreement.pk)
    data = admin_page_data(admin_client.get(url))
    data["status"] = Agreement.Status.NEGOTIATION
    admin_client.post(url, data)
    revert_url = admin_url(Agreement, "simple_history", agreement.pk, draft.history_id)
    caplog.set_level(logging.INFO, logger="portal.agreements")
    caplog.clear()

    assert admin_client.post(revert_url, admin_page_data(admin_client.get(revert_url))).status_code == 302

    agreement.refresh_from_db()
    assert (agreement.status, agreement.version) == ("draft", 4)
    [event] = log_events(caplog, "agreement_status_changed")
    assert (event.from_status, event.to_status) == ("negotiation", "draft")


def test_removing_a_party_below_two_is_refused_on_the_agreement_page(admin_client):
    agreement = factories.agreement_with_parties(status=Agreement.Status.SIGNED, signed_on=datetime.date(2025, 12, 1))
    url = admin_url(Agreement, "change", agreement.pk)
    data = admin_page_data(admin_client.get(url))
    data["parties-1-DELETE"] = "on"

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "needs at least two parties" in messages_of(inline_formset(response, AgreementParty).non_form_errors())
    assert agreement.parties.count() == 2


def test_deleting_a_party_on_its_own_page_is_refused_when_too_few_would_remain(admin_client):
    agreement = factories.agreement_with_parties(status=Agreement.Status.SIGNED, signed_on=datetime.date(2025, 12, 1))
    removed = agreement.parties.first()

    response = admin_client.post(admin_url(AgreementParty, "delete", removed.pk), {"post": "yes"}, follow=True)

    assert "needs at least two parties" in response.content.decode()
    assert agreement.parties.count() == 2


def test_agreement_page_shows_the_act_by_date_and_the_term_end(admin_client):
    today = timezone.localdate()
    expires_on = today.replace(year=today.year + 2, day=1)
    agreement = factories.AgreementFactory(
        effective_from=today.replace(year=today.year - 1, day=1),
        expires_on=expires_on,
        renewal=Agreement.Renewal.AUTOMATIC,
        renewal_months=12,
        notice_period_days=30,
    )

    response = admin_client.get(admin_url(Agreement, "change", agreement.pk))

    shown = readonly_values(response)
    assert shown["act_by"] == (expires_on - datetime.timedelta(days=30)).isoformat()
    assert shown["term_end"] == expires_on.isoformat()


def test_agreement_list_tells_bilateral_from_multilateral(admin_client):
    bilateral = factories.agreement_with_parties()
    multilateral = factories.agreement_with_parties(
        factories.TechnopolisFactory(), factories.TechnopolisFactory(), factories.TechnopolisFactory()
    )

    response = admin_client.get(admin_url(Agreement, "changelist"))

    agreement_admin = admin.site._registry[Agreement]
    structure = {a.pk: str(agreement_admin.party_structure(a)) for a in response.context["cl"].result_list}
    assert structure == {bilateral.pk: "bilateral", multilateral.pk: "multilateral (3)"}


def test_missing_signing_date_lists_a_signed_agreement_under_what_to_complete(admin_client):
    incomplete = factories.agreement_with_parties(status=Agreement.Status.SIGNED, signed_on=None)
    complete = factories.agreement_with_parties(status=Agreement.Status.SIGNED, signed_on=datetime.date(2025, 12, 1))

    response = admin_client.get(admin_url(Agreement, "changelist"), {"missing": "signed_on"})

    listed = set(response.context["cl"].result_list)
    assert incomplete in listed
    assert complete not in listed


# --- Resident companies -----------------------------------------------------------------------


@pytest.fixture
def company_add(admin_client):
    data = admin_page_data(admin_client.get(admin_url(ResidentCompany, "add")))
    data.update(
        name="Microchip Design",
        legal_form=ResidentCompany.LegalForm.OOO,
        inn="7707083893",
        technopolis=factories.TechnopolisFactory().pk,
    )
    return data


def test_valid_resident_company_is_saved(admin_client, company_add):
    assert admin_client.post(admin_url(ResidentCompany, "add"), company_add).status_code == 302
    assert ResidentCompany.objects.filter(inn="7707083893").exists()


def test_invalid_inn_is_refused_on_the_inn_field(admin_client, company_add):
    company_add["inn"] = "7707083890"

    response = admin_client.post(admin_url(ResidentCompany, "add"), company_add)

    assert response.status_code == 200
    assert "check digits are wrong" in messages_of(response.context["adminform"].form.errors["inn"])
    assert not ResidentCompany.objects.exists()


def test_residency_ending_before_it_starts_is_refused(admin_client, company_add):
    company_add.update(residency_start="2024-05-01", residency_end="2023-05-01")

    response = admin_client.post(admin_url(ResidentCompany, "add"), company_add)

    assert response.status_code == 200
    assert "cannot end before it starts" in messages_of(response.context["adminform"].form.errors["residency_end"])
    assert not ResidentCompany.objects.exists()


# --- Parks ------------------------------------------------------------------------------------


def readonly_values(response) -> dict[str, str]:
    """The read-only fields of an admin change page, by name, as displayed."""
    return {
        field.field["name"]: str(field.contents())
        for fieldset in response.context["adminform"]
        for line in fieldset
        for field in line
        if field.is_readonly
    }


def test_park_page_shows_the_figures_counted_from_its_records(admin_client):
    today = timezone.localdate()
    park = factories.TechnopolisFactory()
    current = factories.ResidentCompanyFactory.create_batch(2, technopolis=park)
    former = factories.ResidentCompanyFactory(technopolis=park, residency_end=today - datetime.timedelta(days=30))
    factories.ProductFactory.create_batch(2, company=current[0])
    factories.ProductFactory(company=former)
    factories.IntellectualPropertyFactory(company=current[0])
    factories.IntellectualPropertyFactory(company=current[1], kind=IntellectualProperty.Kind.TRADEMARK)
    factories.IntellectualPropertyFactory(company=current[1], kind=IntellectualProperty.Kind.SOFTWARE)
    factories.KnowHowFactory(company=current[1])
    factories.ProductFactory(company__technopolis=factories.TechnopolisFactory())

    response = admin_client.get(admin_url(Technopolis, "change", park.pk))

    shown = readonly_values(response)
    assert ">2</a>" in shown["computed_resident_companies"]
    assert shown["computed_products"] == "3"
    assert shown["computed_patents_and_trademarks"] == "2"
    assert shown["computed_know_how"] == "1"


def test_park_figure_of_resident_companies_links_to_its_current_residents(admin_client):
    park = factories.TechnopolisFactory()
    current = factories.ResidentCompanyFactory(technopolis=park)
    factories.ResidentCompanyFactory(technopolis=park, residency_end=timezone.localdate() - datetime.timedelta(days=1))
    factories.ResidentCompanyFactory()
    shown = readonly_values(admin_client.get(admin_url(Technopolis, "change", park.pk)))
    link = re.search(r'href="([^"]+)"', shown["computed_resident_companies"]).group(1)

    response = admin_client.get(html.unescape(link))

    assert list(response.context["cl"].result_list) == [current]


def test_park_add_page_has_no_figures_yet(admin_client):
    response = admin_client.get(admin_url(Technopolis, "add"))

    assert "computed_products" not in readonly_values(response)


def test_party_count_is_not_multiplied_by_searching_parks_or_filtering_sectors(admin_client):
    first, second = factories.SectorFactory(), factories.SectorFactory()
    agreement = factories.agreement_with_parties(
        factories.TechnopolisFactory(name="Zelenograd North"), factories.TechnopolisFactory(name="Zelenograd South")
    )
    agreement.sectors.set([first, second])

    response = admin_client.get(admin_url(Agreement, "changelist"), {"q": "Zelenograd", "sectors__id__exact": first.pk})

    assert [a.party_count for a in response.context["cl"].result_list] == [2]
