"""The same proposal from the command line and from the REST API."""

import json

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from parks.models import Membership, Technopolis
from tests.factories import member

from .conftest import SEED

pytestmark = pytest.mark.django_db


def _command(*args) -> dict:
    from io import StringIO

    out = StringIO()
    call_command("extract_agreement", *args, stdout=out)
    return json.loads(out.getvalue())


def test_the_command_prints_the_seed_proposal_as_json(seed_world):
    proposal = _command(str(SEED))
    assert proposal["parties"] == ["Technopolis «Himgrad»", "Technopolis Gousev"]
    assert proposal["kind"] == "agreement"
    assert proposal["signed_on"] is None
    assert proposal["event"] == "St. Petersburg International Innovation Forum"
    assert proposal["city"] == "St. Petersburg"
    assert proposal["signatories"] == [
        {
            "name": "Alexey Liulin",
            "position": "CEO",
            "organisation": "OOO “Technopolis Gousev” Management Company",
            "party": "Technopolis Gousev",
        }
    ]
    assert proposal["witnesses"] == [{"name": "Artem Zdunov", "position": "Deputy Minister of Economics"}]
    assert proposal["milestones"] == []
    assert proposal["facts"]["Technopolis «Himgrad»"]["residents"] == 120
    start, end = proposal["sources"]["witnesses[0]"]
    assert SEED.read_text(encoding="utf-8")[start:end].startswith("Artem Zdunov, the Deputy Minister")
    assert proposal["matches"]["parties[0]"]["id"] == Technopolis.objects.get(slug="himgrad").pk


def test_the_command_says_what_is_wrong_with_a_file(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n")
    with pytest.raises(CommandError, match="The release is empty"):
        _command(str(empty))
    with pytest.raises(CommandError, match="no such file"):
        _command(str(tmp_path / "missing.txt"))


def test_the_api_answers_the_same_proposal(seed_world):
    editor = member(Technopolis.objects.get(slug="himgrad"), Membership.Role.EDITOR, username="erika")
    client = APIClient()
    client.force_login(editor)
    response = client.post("/api/v1/agreements/extract/", {"text": SEED.read_text(encoding="utf-8")}, format="json")
    assert response.status_code == 200
    answer, printed = response.json(), _command(str(SEED))
    # Matches to people depend on whose contacts the reader may see (the command sees everyone's).
    assert {key: value for key, value in answer.items() if key != "matches"} == {
        key: value for key, value in printed.items() if key != "matches"
    }
    assert {key: value for key, value in answer["matches"].items() if not key.startswith("people")} == {
        key: value for key, value in printed["matches"].items() if not key.startswith("people")
    }


def test_the_api_refuses_bad_input_and_viewers(seed_world):
    himgrad = Technopolis.objects.get(slug="himgrad")
    client = APIClient()
    client.force_login(member(himgrad, Membership.Role.EDITOR, username="erika"))
    response = client.post("/api/v1/agreements/extract/", {"text": ""}, format="json")
    assert response.status_code == 400
    assert "The release is empty" in json.dumps(response.json())
    response = client.post("/api/v1/agreements/extract/", {"text": "Nothing was signed today."}, format="json")
    assert response.status_code == 400
    viewer = APIClient()
    viewer.force_login(member(himgrad, Membership.Role.VIEWER, username="viktor"))
    assert viewer.post("/api/v1/agreements/extract/", {"text": "x"}, format="json").status_code == 403
