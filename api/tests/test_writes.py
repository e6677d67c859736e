"""Writing through the API: the portal's services and rules apply, errors are clear (400, 409)."""

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone, translation
from rest_framework.test import APIClient

from agreements.models import Agreement, AgreementParty, Milestone
from parks.models import Membership
from residents.models import IntellectualProperty, ResidentCompany
from tests import factories
from tests.support.forms import admin_page_data, admin_url
from tests.support.twofactor import verified_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def park():
    return factories.TechnopolisFactory(name="Innopolis Alpha", slug="alpha")


@pytest.fixture
def partner():
    return factories.TechnopolisFactory(name="Technopolis Beta", slug="beta")


@pytest.fixture
def editor(park):
    return factories.member(park, Membership.Role.EDITOR, username="editor")


@pytest.fixture
def client(editor):
    client = APIClient()
    client.force_login(editor)
    return client


@pytest.fixture
def agreement(park, partner):
    return factories.agreement_with_parties(park, partner, reference="AB-1", status="negotiation")


def test_an_editor_creates_an_agreement_with_its_parties_and_history(client, editor, park, partner):
    sector = factories.SectorFactory(slug="robotics")
    response = client.post(
        "/api/v1/agreements/",
        {
            "reference": "AB-2",
            "title": "Joint robotics lab",
            "status": "negotiation",
            "sectors": ["robotics"],
            "parties": [{"technopolis": park.pk, "role": "initiator"}, {"technopolis": partner.pk}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["reference"] == "AB-2"
    assert body["version"] == 1
    assert [party["technopolis_name"] for party in body["parties"]] == ["Innopolis Alpha", "Technopolis Beta"]
    agreement = Agreement.objects.get(reference="AB-2")
    assert list(agreement.sectors.all()) == [sector]
    assert agreement.history.get().history_user == editor


def test_bad_input_is_answered_400_naming_each_field(client, park):
    response = client.post(
        "/api/v1/agreements/",
        {
            "reference": "AB-3",
            "title": "",
            "kind": "marriage",
            "effective_from": "2027-01-01",
            "expires_on": "2026-01-01",
            "parties": [{"technopolis": park.pk}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"title", "kind"}
    # The model's own rules come next, with the model's messages.
    response = client.post(
        "/api/v1/agreements/",
        {
            "reference": "AB-3",
            "title": "T",
            "effective_from": "2027-01-01",
            "expires_on": "2026-01-01",
            "parties": [{"technopolis": park.pk}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"expires_on": ["The agreement cannot expire before it takes effect (2027-01-01)."]}
    assert not Agreement.objects.filter(reference="AB-3").exists()


def test_an_agreement_past_draft_needs_two_parties(client, park):
    response = client.post(
        "/api/v1/agreements/",
        {"reference": "AB-4", "title": "T", "status": "signed", "parties": [{"technopolis": park.pk}]},
        format="json",
    )
    assert response.status_code == 400
    assert "at least two parties" in response.json()["non_field_errors"][0]
    assert not Agreement.objects.filter(reference="AB-4").exists()


def test_an_update_without_the_version_read_is_refused(client, agreement):
    response = client.patch(f"/api/v1/agreements/{agreement.pk}/", {"title": "New title"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"version": ["Send the version you read to update this record."]}


def test_a_stale_update_is_answered_409_with_what_changed(client, agreement, park):
    other = factories.member(park, Membership.Role.EDITOR, username="colleague")
    colleague = APIClient()
    colleague.force_login(other)
    first = colleague.patch(f"/api/v1/agreements/{agreement.pk}/", {"title": "Theirs", "version": 1}, format="json")
    assert first.status_code == 200
    assert first.json()["version"] == 2
    response = client.patch(f"/api/v1/agreements/{agreement.pk}/", {"title": "Mine", "version": 1}, format="json")
    assert response.status_code == 409
    body = response.json()
    assert "saved this record after you opened it" in body["detail"]
    assert body["changed_by"] == "colleague"
    assert {"field": "title", "before": agreement.title, "after": "Theirs"}.items() <= body["changes"][0].items()
    assert Agreement.objects.get(pk=agreement.pk).title == "Theirs"


def test_the_status_moves_only_along_the_lifecycle(client, agreement):
    url = f"/api/v1/agreements/{agreement.pk}/status/"
    refused = client.post(url, {"status": "completed", "expected_status": "negotiation"}, format="json")
    assert refused.status_code == 400
    assert "cannot go from negotiation to completed" in refused.json()["status"][0]
    unsigned = client.post(url, {"status": "signed", "expected_status": "negotiation"}, format="json")
    assert unsigned.status_code == 400
    assert "needs the signing date" in unsigned.json()["status"][0]
    Agreement.objects.filter(pk=agreement.pk).update(signed_on="2026-11-05")
    moved = client.post(url, {"status": "signed", "expected_status": "negotiation"}, format="json")
    assert moved.status_code == 200
    assert moved.json()["status"] == "signed"
    # Someone who still believes it is in negotiation is told it moved on.
    stale = client.post(url, {"status": "draft", "expected_status": "negotiation"}, format="json")
    assert stale.status_code == 409
    assert "to “signed”" in stale.json()["detail"]
    patched = client.patch(
        f"/api/v1/agreements/{agreement.pk}/", {"status": "active", "version": moved.json()["version"]}, format="json"
    )
    assert patched.status_code == 400
    assert Agreement.objects.get(pk=agreement.pk).status == "signed"


def test_milestones_are_added_changed_and_ticked_off(client, agreement, today):
    created = client.post(
        "/api/v1/milestones/",
        {"agreement": agreement.pk, "title": "Lab opens", "due_on": "2027-03-01"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    milestone = Milestone.objects.get(title="Lab opens")
    changed = client.patch(f"/api/v1/milestones/{milestone.pk}/", {"due_on": "2027-04-01", "version": 1}, format="json")
    assert changed.status_code == 200
    assert changed.json()["version"] == 2
    stale = client.post(f"/api/v1/milestones/{milestone.pk}/done/", {"version": 1}, format="json")
    assert stale.status_code == 409
    done = client.post(f"/api/v1/milestones/{milestone.pk}/done/", {"version": 2}, format="json")
    assert done.status_code == 200
    assert done.json()["status"] == "done"
    assert Milestone.objects.get(pk=milestone.pk).completed_on is not None


def test_a_milestone_outside_the_agreement_term_is_refused(client, agreement):
    response = client.post(
        "/api/v1/milestones/", {"agreement": agreement.pk, "title": "Late", "due_on": "2035-01-01"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"due_on": ["The milestone cannot be due after the agreement expires (2028-12-31)."]}


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_an_implausible_date_is_refused_naming_the_field_and_nothing_changes(client, agreement, day):
    milestone = factories.MilestoneFactory(agreement=agreement, due_on=datetime.date(2027, 3, 1))

    changed = client.patch(f"/api/v1/milestones/{milestone.pk}/", {"due_on": day, "version": 1}, format="json")
    created = client.post(
        "/api/v1/agreements/", {"reference": "EDGE-1", "title": "Edge", "expires_on": day}, format="json"
    )

    assert changed.status_code == 400
    assert "Enter a date in the years 1900 to 2100." in changed.json()["due_on"]
    assert created.status_code == 400
    assert "Enter a date in the years 1900 to 2100." in created.json()["expires_on"]
    assert Milestone.objects.get(pk=milestone.pk).due_on == datetime.date(2027, 3, 1)
    assert not Agreement.objects.filter(reference="EDGE-1").exists()


def test_a_stale_milestone_change_is_answered_409(client, agreement):
    milestone = factories.MilestoneFactory(agreement=agreement, due_on=datetime.date(2027, 3, 1))
    first = client.patch(f"/api/v1/milestones/{milestone.pk}/", {"title": "A", "version": 1}, format="json")
    assert first.status_code == 200
    response = client.patch(f"/api/v1/milestones/{milestone.pk}/", {"title": "B", "version": 1}, format="json")
    assert response.status_code == 409
    assert Milestone.objects.get(pk=milestone.pk).title == "A"


def test_a_milestone_saved_unchanged_in_the_russian_admin_is_no_conflict_for_an_api_client(client, agreement):
    """An English-only title, saved as shown from a Russian admin page: no new version, so no false 409."""
    with translation.override("en"):
        milestone = factories.MilestoneFactory(agreement=agreement, title="Sign the work plan")
    admin = Client()
    verified_login(admin, factories.SuperuserFactory())
    admin.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    url = admin_url(Milestone, "change", milestone.pk)
    assert admin.post(url, admin_page_data(admin.get(url))).status_code == 302

    response = client.patch(f"/api/v1/milestones/{milestone.pk}/", {"title": "B", "version": 1}, format="json")

    assert response.status_code == 200, response.json()
    assert (response.json()["version"], milestone.history.count()) == (2, 2)


def test_companies_are_registered_in_the_editors_parks_only(client, park, partner):
    response = client.post(
        "/api/v1/companies/", {"technopolis": partner.pk, "name": "Elsewhere", "inn": "7707083893"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"technopolis": ["You can only place companies in parks you edit."]}
    bad_inn = client.post(
        "/api/v1/companies/", {"technopolis": park.pk, "name": "Alpha AI", "inn": "7707083894"}, format="json"
    )
    assert bad_inn.status_code == 400
    assert list(bad_inn.json()) == ["inn"]
    created = client.post(
        "/api/v1/companies/", {"technopolis": park.pk, "name": "Alpha AI", "inn": "7707083893"}, format="json"
    )
    assert created.status_code == 201, created.json()
    assert created.json()["product_count"] == 0
    assert ResidentCompany.objects.get(inn="7707083893").name == "Alpha AI"


def test_ip_is_recorded_for_a_company_of_the_editors_park(client, park):
    company = factories.ResidentCompanyFactory(technopolis=park)
    created = client.post(
        "/api/v1/ip/",
        {"company": company.pk, "kind": "trademark", "registration_number": "TM-1", "title": "Alpha"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    record = IntellectualProperty.objects.get(registration_number="TM-1")
    response = client.patch(
        f"/api/v1/ip/{record.pk}/",
        {"registered_on": "2026-01-01", "expires_on": "2025-01-01", "version": 1},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"expires_on": ["Protection must expire after registration."]}


def test_parties_are_not_changed_through_an_update(client, agreement, park):
    response = client.patch(
        f"/api/v1/agreements/{agreement.pk}/", {"parties": [{"technopolis": park.pk}], "version": 1}, format="json"
    )
    assert response.status_code == 400
    assert AgreementParty.objects.filter(agreement=agreement).count() == 2


def test_archived_agreements_leave_the_list_but_stay_readable_by_id(client, agreement, editor):
    Agreement.objects.filter(pk=agreement.pk).update(archived_at=timezone.now(), archived_by=editor)
    assert client.get("/api/v1/agreements/").json()["count"] == 0
    archived = client.get("/api/v1/agreements/?archived=yes").json()["results"]
    assert [row["reference"] for row in archived] == ["AB-1"]
    assert client.get(f"/api/v1/agreements/{agreement.pk}/").json()["archived"] is True


def test_an_unknown_filter_value_is_answered_400_naming_the_filter(client):
    response = client.get("/api/v1/agreements/?status=bogus")
    assert response.status_code == 400
    assert list(response.json()) == ["status"]


def test_an_agreement_is_archived_and_restored_with_its_version(client, agreement):
    url = f"/api/v1/agreements/{agreement.pk}"

    stale = client.post(f"{url}/archive/", {"version": agreement.version + 5}, format="json")
    archived = client.post(f"{url}/archive/", {"version": agreement.version}, format="json")
    hidden = client.get("/api/v1/agreements/", {"q": agreement.reference}).json()["count"]
    restored = client.post(f"{url}/restore/", {"version": archived.json()["version"]}, format="json")

    assert stale.status_code == 409
    assert archived.status_code == 200 and hidden == 0
    assert restored.status_code == 200
    agreement.refresh_from_db()
    assert agreement.archived_at is None
    assert client.post(f"{url}/restore/", {"version": agreement.version}, format="json").status_code == 400


def test_a_milestone_is_done_on_the_day_given_with_a_note(client, agreement):
    today = timezone.localdate()
    milestone = factories.MilestoneFactory(agreement=agreement, due_on=datetime.date(2027, 1, 1))
    url = f"/api/v1/milestones/{milestone.pk}/done/"
    day = today - datetime.timedelta(days=2)

    future = client.post(
        url, {"version": 1, "completed_on": (today + datetime.timedelta(days=1)).isoformat()}, format="json"
    )
    done = client.post(
        url, {"version": 1, "completed_on": day.isoformat(), "note": "Signed off by both"}, format="json"
    )

    assert future.status_code == 400 and "completed_on" in future.json()
    assert done.status_code == 200
    milestone.refresh_from_db()
    assert (milestone.completed_on, milestone.completion_note) == (day, "Signed off by both")
