"""After creation, an agreement's parties, signatories, witnesses, the records it concerns and who
follows it are read and changed through the API, with the portal's rules and the version check."""

import pytest
from rest_framework.test import APIClient

from agreements.models import AgreementParty
from notifications.models import Subscription
from parks.models import Membership
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def park():
    return factories.TechnopolisFactory(name="Innopolis Alpha", slug="alpha")


@pytest.fixture
def partner():
    return factories.TechnopolisFactory(name="Technopolis Beta", slug="beta")


@pytest.fixture
def editor(park):
    return factories.member(park, Membership.Role.EDITOR, username="editor", email="editor@alpha.example.org")


@pytest.fixture
def client(editor):
    client = APIClient()
    client.force_login(editor)
    return client


@pytest.fixture
def agreement(park, partner):
    return factories.agreement_with_parties(park, partner, reference="AB-1", status="negotiation")


def _url(agreement, tail=""):
    return f"/api/v1/agreements/{agreement.pk}/{tail}"


def test_an_editor_names_signatories_and_witnesses_after_creation(client, agreement, park, partner):
    ours = factories.PersonFactory(technopolis=park, full_name="Anna Director")
    theirs = factories.PersonFactory(technopolis=partner, full_name="Boris Head")
    minister = factories.PersonFactory(full_name="Deputy Minister")
    response = client.patch(
        _url(agreement),
        {
            "version": agreement.version,
            "parties": [
                {"technopolis": park.pk, "role": "initiator", "signatory": ours.pk},
                {"technopolis": partner.pk, "signatory": theirs.pk, "witnesses": [minister.pk]},
            ],
            "witnesses": [minister.pk],
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert [(row["technopolis"], row["role"], row["signatory"], row["witnesses"]) for row in body["parties"]] == [
        (park.pk, "initiator", ours.pk, []),
        (partner.pk, "", theirs.pk, [minister.pk]),
    ]
    assert body["witnesses"] == [minister.pk]
    assert body["version"] == agreement.version + 1
    party = AgreementParty.objects.get(agreement=agreement, technopolis=partner)
    assert party.signatory == theirs
    assert list(party.witnesses.all()) == [minister]
    assert party.history.latest().history_user.username == "editor"


def test_a_signatory_of_another_park_is_refused_naming_the_row_and_field(client, agreement, park, partner):
    theirs = factories.PersonFactory(technopolis=partner, full_name="Boris Head")
    response = client.patch(
        _url(agreement),
        {
            "version": agreement.version,
            "parties": [{"technopolis": park.pk, "signatory": theirs.pk}, {"technopolis": partner.pk}],
        },
        format="json",
    )
    assert response.status_code == 400
    # Rows with errors, by position (a PATCH: DRF names only the rows at fault).
    assert response.json()["parties"] == {
        "0": {
            "signatory": [
                f"Boris Head is one of {partner}'s people: choose the signatory among the people of this row's park."
            ]
        }
    }
    assert AgreementParty.objects.get(agreement=agreement, technopolis=park).signatory.full_name != "Boris Head"


def test_a_party_left_out_stops_being_a_party_and_a_new_one_joins(client, agreement, park, partner):
    third = factories.TechnopolisFactory(name="Gamma Park")
    response = client.patch(
        _url(agreement),
        {"version": agreement.version, "parties": [{"technopolis": park.pk}, {"technopolis": third.pk}]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert set(agreement.parties.values_list("technopolis__name", flat=True)) == {"Innopolis Alpha", "Gamma Park"}


def test_the_same_park_twice_or_none_of_ones_own_is_refused_and_nothing_changes(client, agreement, park, partner):
    twice = client.patch(
        _url(agreement),
        {"version": agreement.version, "parties": [{"technopolis": partner.pk}, {"technopolis": partner.pk}]},
        format="json",
    )
    assert twice.status_code == 400
    assert twice.json() == {"parties": [f"{partner} is named twice: a park is a party once."]}
    third = factories.TechnopolisFactory(name="Gamma Park")
    not_ours = client.patch(
        _url(agreement),
        {"version": agreement.version, "parties": [{"technopolis": partner.pk}, {"technopolis": third.pk}]},
        format="json",
    )
    assert not_ours.status_code == 400
    assert "park you edit" in str(not_ours.json())
    assert set(agreement.parties.values_list("technopolis_id", flat=True)) == {park.pk, partner.pk}
    agreement.refresh_from_db()
    assert agreement.version == 1


def test_parties_sent_as_stored_make_no_new_version(client, agreement, park, partner):
    stored = client.get(_url(agreement)).json()["parties"]
    response = client.patch(
        _url(agreement),
        {"version": agreement.version, "parties": [{**row, "technopolis_name": "ignored"} for row in stored]},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["version"] == agreement.version


def test_parties_sent_over_a_newer_version_are_refused_409(client, agreement, park, partner):
    agreement.title = "Changed meanwhile"
    agreement.version += 1
    agreement.save()
    response = client.patch(
        _url(agreement),
        {"version": 1, "parties": [{"technopolis": park.pk, "role": "host"}, {"technopolis": partner.pk}]},
        format="json",
    )
    assert response.status_code == 409
    assert not AgreementParty.objects.filter(agreement=agreement, role="host").exists()


def test_the_records_it_concerns_are_those_of_the_parties_parks(client, agreement, park, partner):
    facility = factories.FacilityFactory(technopolis=park, name="Incubator")
    company = factories.ResidentCompanyFactory(technopolis=partner)
    ip_record = factories.IntellectualPropertyFactory(company=company)
    know_how = factories.KnowHowFactory(company=factories.ResidentCompanyFactory(technopolis=park))
    response = client.patch(
        _url(agreement),
        {
            "version": agreement.version,
            "facilities": [facility.pk],
            "resident_companies": [company.pk],
            "ip_records": [ip_record.pk],
            "know_how": [know_how.pk],
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["facilities"], body["resident_companies"], body["ip_records"], body["know_how"]) == (
        [facility.pk],
        [company.pk],
        [ip_record.pk],
        [know_how.pk],
    )
    elsewhere = factories.FacilityFactory(name="Someone else's lab")
    refused = client.patch(_url(agreement), {"version": body["version"], "facilities": [elsewhere.pk]}, format="json")
    assert refused.status_code == 400
    assert refused.json() == {"facilities": [f"{elsewhere.pk}: not a record of one of the parties' parks."]}
    assert list(agreement.facilities.all()) == [facility]


def test_know_how_a_reader_may_not_see_is_neither_listed_nor_dropped(agreement, park, partner):
    theirs = factories.KnowHowFactory(company=factories.ResidentCompanyFactory(technopolis=partner))
    agreement.know_how.add(theirs)
    ours = factories.KnowHowFactory(company=factories.ResidentCompanyFactory(technopolis=park))
    client = APIClient()
    client.force_login(factories.member(park, Membership.Role.EDITOR))
    read = client.get(_url(agreement)).json()
    assert read["know_how"] == []
    saved = client.patch(_url(agreement), {"version": read["version"], "know_how": [ours.pk]}, format="json")
    assert saved.status_code == 200, saved.json()
    assert saved.json()["know_how"] == [ours.pk]
    assert set(agreement.know_how.all()) == {ours, theirs}
    hidden = client.patch(_url(agreement), {"version": saved.json()["version"], "know_how": [theirs.pk]}, format="json")
    assert hidden.status_code == 400
    assert "does not exist" in hidden.json()["know_how"][0]


def test_staff_of_a_party_list_add_and_remove_who_follows_it(client, agreement, editor, park):
    contact = factories.PersonFactory(full_name="Partner Contact", email="contact@beta.example.org")
    added = client.post(
        _url(agreement, "subscriptions/"), {"person": contact.pk, "delivery": "each_event"}, format="json"
    )
    assert added.status_code == 201, added.json()
    assert added.json()["recipient_address"] == "contact@beta.example.org"
    mine = client.post(_url(agreement, "subscriptions/"), {"myself": True, "frequency": "daily"}, format="json")
    assert mine.status_code == 201, mine.json()
    park_wide = factories.SubscriptionFactory()
    park_wide.parks.add(park)
    listed = client.get(_url(agreement, "subscriptions/")).json()
    assert [(row["recipient_name"], row["delivery"], row["through_park"]) for row in listed] == [
        ("Partner Contact", "each_event", False),
        (editor.get_username(), "digest", False),
        (park_wide.person.full_name, "digest", True),
    ]
    again = client.post(_url(agreement, "subscriptions/"), {"person": contact.pk}, format="json")
    assert again.status_code == 400
    assert "already follows" in again.json()["person"][0]
    removed = client.delete(_url(agreement, f"subscriptions/{added.json()['id']}/"))
    assert removed.status_code == 204
    assert Subscription.objects.get(pk=added.json()["id"]).unsubscribed_at is not None
    through_park = client.delete(_url(agreement, f"subscriptions/{park_wide.pk}/"))
    assert through_park.status_code == 403


def test_who_follows_an_agreement_is_for_its_parties_staff_only(agreement, partner):
    factories.SubscriptionFactory().agreements.add(agreement)
    outsider = factories.member(factories.TechnopolisFactory(), Membership.Role.EDITOR)
    client = APIClient()
    client.force_login(outsider)
    agreement.is_public = True
    agreement.save()
    assert client.get(_url(agreement)).status_code == 200
    assert client.get(_url(agreement, "subscriptions/")).status_code == 403
    viewer = APIClient()
    viewer.force_login(factories.member(partner, Membership.Role.VIEWER))
    assert len(viewer.get(_url(agreement, "subscriptions/")).json()) == 1
    contact = factories.PersonFactory()
    assert viewer.post(_url(agreement, "subscriptions/"), {"person": contact.pk}, format="json").status_code == 403


def test_the_delivery_log_lists_the_agreements_e_mails_for_its_parties_staff(client, agreement):
    factories.OutgoingEmailFactory(agreement=agreement, subject="Reminder: report due")
    factories.OutgoingEmailFactory(subject="Someone else's digest")
    log = client.get(_url(agreement, "deliveries/"))
    assert log.status_code == 200
    assert [row["subject"] for row in log.json()] == ["Reminder: report due"]
    outsider = APIClient()
    outsider.force_login(factories.member(factories.TechnopolisFactory(), Membership.Role.EDITOR))
    agreement.is_public = True
    agreement.save()
    assert outsider.get(_url(agreement, "deliveries/")).status_code == 403
