"""Creating and editing an agreement with its parties and milestones on one page: all or nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from agreements.models import Agreement, AgreementParty, Milestone
from agreements.services import agreement_create
from tests import factories
from tests.support.agreement_pages import add_rows, new_agreement_data, page_data


def two_milestones(world) -> list[dict[str, object]]:
    return [
        {"title": "Kick-off", "due_on": "2026-03-01", "status": "planned", "responsible_technopolis": world.park_a.pk},
        {"title": "First report", "due_on": "2026-12-01", "status": "planned", "description": "To both boards"},
    ]


def create(client, data):
    return client.post(reverse("agreements:create"), data)


def counts() -> tuple[int, int, int]:
    return Agreement.objects.count(), AgreementParty.objects.count(), Milestone.objects.count()


# --- Creating ---------------------------------------------------------------------------------


def test_an_agreement_is_created_with_two_parties_and_two_milestones(editor_client, world):
    data = add_rows(new_agreement_data(world.park_a, world.park_c), "milestones", two_milestones(world))

    response = create(editor_client, data)

    agreement = Agreement.objects.get(reference="NEW-001")
    assertRedirects(response, reverse("agreements:detail", args=[agreement.pk]), fetch_redirect_response=False)
    assert agreement.status == Agreement.Status.NEGOTIATION
    assert {party.technopolis for party in agreement.parties.all()} == {world.park_a, world.park_c}
    assert [milestone.title for milestone in agreement.milestones.order_by("due_on")] == ["Kick-off", "First report"]
    assert agreement.history.get().history_user == world.editor
    messages = [str(message) for message in editor_client.get(response.url).context["messages"]]
    assert messages == ["Agreement NEW-001 created."]


def test_an_editors_own_park_is_offered_as_the_first_party(editor_client, world):
    response = editor_client.get(reverse("agreements:create"))

    assert response.context["parties"].forms[0].initial["technopolis"] == world.park_a.pk


def test_a_draft_may_have_a_single_party(editor_client, world):
    create(editor_client, new_agreement_data(world.park_a, status=Agreement.Status.DRAFT))

    assert Agreement.objects.get(reference="NEW-001").parties.count() == 1


def test_an_agreement_may_be_recorded_after_signing(editor_client, world):
    create(editor_client, new_agreement_data(world.park_a, world.park_b, status="active", signed_on="2025-06-19"))

    assert Agreement.objects.get(reference="NEW-001").status == Agreement.Status.ACTIVE


INVALID_AGREEMENT = [
    ({"expires_on": "2025-01-01"}, "expires_on", "cannot expire before it takes effect"),
    ({"renewal": "automatic"}, "renewal_months", "needs the length of each renewal period"),
    ({"reference": "AB-001"}, "reference", "already exists"),
    ({"parent": "NO-SUCH"}, "parent", "No agreement you can see has this reference."),
    ({"parent": "BC-002"}, "parent_relation", "Say whether this agreement amends or supplements its parent."),
]


@pytest.mark.parametrize(("change", "field", "message"), INVALID_AGREEMENT, ids=[case[1] for case in INVALID_AGREEMENT])
def test_an_invalid_agreement_shows_the_error_by_the_field_and_saves_nothing(
    editor_client, world, change, field, message
):
    before = counts()
    data = add_rows(new_agreement_data(world.park_a, world.park_b, **change), "milestones", two_milestones(world))

    response = create(editor_client, data)

    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assertContains(response, "Nothing was saved.")
    # What the user typed is kept.
    assertContains(response, 'value="New cooperation agreement"')
    assertContains(response, 'value="First report"')
    assert counts() == before


def test_too_few_parties_past_draft_are_refused_above_the_parties(editor_client, world):
    before = counts()

    response = create(editor_client, new_agreement_data(world.park_a, status="signed"))

    errors = response.context["parties"].non_form_errors()
    assert errors == ["An agreement in status signed needs at least two parties (parks); it has 1."]
    assertContains(response, errors[0])
    assert counts() == before


def test_the_same_park_twice_is_refused(editor_client, world):
    before = counts()

    response = create(editor_client, new_agreement_data(world.park_a, world.park_a))

    parties = response.context["parties"]
    assert parties.non_form_errors() == ["The same park cannot be a party twice to one agreement."]
    assert parties.forms[1].errors["technopolis"] == ["Alpha is already a party to this agreement."]
    assert counts() == before


def test_an_editor_must_include_one_of_their_own_parks(editor_client, world):
    before = counts()

    response = create(editor_client, new_agreement_data(world.park_b, world.park_c))

    assert response.context["parties"].non_form_errors() == [
        "One of the parties must be a park you edit: you record agreements your park takes part in."
    ]
    assert counts() == before


def test_an_admin_records_agreements_of_any_parks(client, world):
    client.force_login(world.admin)

    create(client, new_agreement_data(world.park_b, world.park_c))

    assert Agreement.objects.filter(reference="NEW-001").exists()


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        ({"due_on": "2029-06-01"}, "due_on", "cannot be due after the agreement expires (2028-12-31)"),
        ({"due_on": "2025-06-01"}, "due_on", "cannot be due before the agreement takes effect (2026-01-01)"),
        ({"status": "done"}, "completed_on", "A done milestone needs the date it was completed."),
        ({"due_on": ""}, "due_on", "This field is required."),
    ],
)
def test_an_invalid_milestone_shows_the_error_by_the_field_and_saves_nothing(editor_client, world, row, field, message):
    before = counts()
    milestone = {"title": "Report", "due_on": "2026-06-01", "status": "planned", **row}
    data = add_rows(new_agreement_data(world.park_a, world.park_b), "milestones", [milestone])

    response = create(editor_client, data)

    assert any(message in error for error in response.context["milestones"].forms[0].errors[field])
    assert counts() == before


def test_the_service_saves_nothing_when_its_own_check_fails(world):
    before = counts()
    agreement = Agreement(reference="SVC-1", title="Half", status=Agreement.Status.SIGNED)

    with pytest.raises(ValidationError, match="at least two parties"):
        agreement_create(
            agreement=agreement,
            relations={"sectors": [factories.SectorFactory()]},
            parties=[AgreementParty(technopolis=world.park_a)],
            milestones=[Milestone(title="Lost", due_on=datetime.date(2026, 5, 1))],
            user=world.editor,
        )

    assert counts() == before


# --- Editing ----------------------------------------------------------------------------------


def edit_url(world) -> str:
    return reverse("agreements:edit", args=[world.agreement.pk])


def test_the_edit_page_has_no_status_field(editor_client, world):
    response = editor_client.get(edit_url(world))

    assert "status" not in response.context["form"].fields
    assert "know_how" in response.context["form"].fields


def test_editing_saves_the_agreement_its_parties_and_milestones_together(editor_client, world):
    data = page_data(editor_client.get(edit_url(world)))
    data["title"] = "Renamed"
    data["parties-0-role"] = "initiator"
    data["milestones-0-DELETE"] = "on"
    add_rows(data, "milestones", [{"title": "Added", "due_on": "2027-01-15", "status": "in_progress"}])
    add_rows(data, "parties", [{"technopolis": world.park_c.pk, "role": "host"}])

    response = editor_client.post(edit_url(world), data)

    assertRedirects(response, reverse("agreements:detail", args=[world.agreement.pk]))
    world.agreement.refresh_from_db()
    assert world.agreement.title == "Renamed"
    assert world.agreement.parties.get(technopolis=world.park_a).role == "initiator"
    assert world.agreement.parties.count() == 3
    assert [milestone.title for milestone in world.agreement.milestones.all()] == ["Added"]


def test_a_posted_status_is_ignored_when_editing(editor_client, world):
    data = page_data(editor_client.get(edit_url(world)))
    data["status"] = "active"

    editor_client.post(edit_url(world), data)

    world.agreement.refresh_from_db()
    assert world.agreement.status == Agreement.Status.NEGOTIATION


def test_removing_a_party_below_two_past_draft_is_refused(editor_client, world):
    data = page_data(editor_client.get(edit_url(world)))
    data["parties-1-DELETE"] = "on"
    data["title"] = "Should not be saved"

    response = editor_client.post(edit_url(world), data)

    assert "needs at least two parties" in response.context["parties"].non_form_errors()[0]
    world.agreement.refresh_from_db()
    assert world.agreement.title == "Alpha and Beta joint laboratory"
    assert world.agreement.parties.count() == 2


def test_an_editor_cannot_drop_their_own_park_from_the_parties(editor_client, world):
    data = page_data(editor_client.get(edit_url(world)))
    data["parties-0-technopolis"] = str(world.park_c.pk)

    response = editor_client.post(edit_url(world), data)

    assert "One of the parties must be a park you edit" in response.context["parties"].non_form_errors()[0]
    assert set(world.agreement.parties.values_list("technopolis", flat=True)) == {world.park_a.pk, world.park_b.pk}


def test_shortening_the_term_refuses_a_milestone_left_outside_it(editor_client, world):
    data = page_data(editor_client.get(edit_url(world)))
    data["expires_on"] = "2027-01-31"

    response = editor_client.post(edit_url(world), data)

    assert "cannot be due after the agreement expires (2027-01-31)" in str(
        response.context["milestones"].forms[0].errors["due_on"]
    )
    world.agreement.refresh_from_db()
    assert world.agreement.expires_on == datetime.date(2028, 12, 31)


def test_related_records_are_chosen_among_the_parties_records(editor_client, world):
    own = factories.ResidentCompanyFactory(technopolis=world.park_a)
    partner = factories.ResidentCompanyFactory(technopolis=world.park_b)
    unrelated = factories.ResidentCompanyFactory(technopolis=world.park_c)

    offered = editor_client.get(edit_url(world)).context["form"].fields["resident_companies"].queryset

    assert set(offered) == {own, partner}
    assert unrelated not in offered


def test_know_how_the_editor_may_not_see_stays_linked_after_saving(editor_client, world):
    theirs = factories.KnowHowFactory(company__technopolis=world.park_b, title="Beta secret")
    ours = factories.KnowHowFactory(company__technopolis=world.park_a, title="Alpha recipe")
    world.agreement.know_how.add(theirs)
    response = editor_client.get(edit_url(world))
    assert theirs not in response.context["form"].fields["know_how"].queryset
    data = page_data(response)
    data["know_how"] = [str(ours.pk)]

    editor_client.post(edit_url(world), data)

    assert set(world.agreement.know_how.all()) == {theirs, ours}


def test_the_parent_is_given_by_its_reference(editor_client, world):
    data = page_data(editor_client.get(edit_url(world)))
    data["parent"] = "BC-002"
    data["parent_relation"] = "supplement"

    editor_client.post(edit_url(world), data)
    world.agreement.refresh_from_db()

    assert world.agreement.parent == world.public
    assert editor_client.get(edit_url(world)).context["form"]["parent"].value() == "BC-002"
