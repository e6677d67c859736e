"""Person pickers list the people of the park they belong with, refuse a person of another park, and
rows are added without losing what was typed (issue 14, item 10). The browser side is in
tests/test_e2e_people_pickers.py."""

import re

from django.urls import reverse

from agreements.models import Agreement
from tests import factories
from tests.support.agreement_pages import new_agreement_data, page_data


def edit_url(world) -> str:
    return reverse("agreements:edit", args=[world.agreement.pk])


def options_of(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{re.escape(name)}"[^>]*>(.*?)</select>', html, re.S)
    assert select, name
    return re.findall(r'<option value="(\d+)"', select.group(1))


def test_a_partys_signatory_is_chosen_among_its_parks_people(editor_client, world):
    alpha_people = factories.PersonFactory.create_batch(2, technopolis=world.park_a)
    factories.PersonFactory.create_batch(30, technopolis=world.park_c)  # the rest of the directory
    row = next(i for i, party in enumerate(world.agreement.parties.order_by("pk")) if party.technopolis == world.park_a)

    html = editor_client.get(edit_url(world)).content.decode()

    offered = set(options_of(html, f"parties-{row}-signatory"))
    signatory = world.agreement.parties.get(technopolis=world.park_a).signatory
    assert offered == {str(person.pk) for person in alpha_people} | {str(signatory.pk)} - {"None"}
    assert f'data-people-of="id_parties-{row}-technopolis"' in html
    assert f'data-park="{world.park_a.pk}"' in html


def test_a_signatory_of_another_park_is_refused_by_the_field(editor_client, world):
    stranger = factories.PersonFactory(technopolis=world.park_c, full_name="Gamma's director")
    data = page_data(editor_client.get(edit_url(world)))
    row = next(
        key.split("-")[1] for key, value in data.items() if key.endswith("-technopolis") and value == world.park_a.pk
    )
    data[f"parties-{row}-signatory"] = stranger.pk

    response = editor_client.post(edit_url(world), data)

    assert response.status_code == 200
    errors = response.context["parties"].forms[int(row)].errors["signatory"]
    assert errors == [
        "Gamma's director is one of Gamma's people: choose the signatory among the people of this row's park."
    ]
    assert world.agreement.parties.get(technopolis=world.park_a).signatory != stranger


def test_a_responsible_person_of_another_park_is_refused(client, world):
    client.force_login(world.admin)
    stranger = factories.PersonFactory(technopolis=world.park_c, full_name="Gamma's engineer")
    data = new_agreement_data(world.park_a, world.park_b, status=Agreement.Status.DRAFT)
    data.update(
        {
            "milestones-TOTAL_FORMS": "1",
            "milestones-0-title": "Open the lab",
            "milestones-0-due_on": "2027-03-01",
            "milestones-0-status": "planned",
            "milestones-0-responsible_technopolis": world.park_a.pk,
            "milestones-0-responsible_person": stranger.pk,
        }
    )

    response = client.post(reverse("agreements:create"), data)

    assert response.status_code == 200
    assert (
        "Gamma's engineer is one of Gamma's people"
        in response.context["milestones"].forms[0].errors["responsible_person"][0]
    )
    assert not Agreement.objects.filter(reference="NEW-001").exists()


def test_add_a_milestone_without_the_script_shows_one_more_row_and_keeps_what_was_typed(editor_client, world):
    data = page_data(editor_client.get(edit_url(world)))
    data["title"] = "Typed but not saved"
    rows = int(data["milestones-TOTAL_FORMS"])

    response = editor_client.post(edit_url(world), {**data, "add_row": "milestones"})

    assert response.status_code == 200
    assert len(response.context["milestones"].forms) == rows + 1
    assert 'value="Typed but not saved"' in response.content.decode()
    assert "A new empty row is added below; nothing was saved yet." in response.content.decode()
    world.agreement.refresh_from_db()
    assert world.agreement.title != "Typed but not saved"


def test_the_page_carries_an_empty_row_for_the_script_and_the_scripts(editor_client, world):
    html = editor_client.get(edit_url(world)).content.decode()

    assert '<template data-formset-empty-row="milestones">' in html
    assert 'name="milestones-__prefix__-title"' in html
    assert '<script src="/static/js/formset-rows.js"></script>' in html
    assert '<script src="/static/js/people-pickers.js"></script>' in html
