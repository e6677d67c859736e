"""Who may open and use each agreements page: anonymous, viewer, editor, editor of another park, admin.

The agreement under test is confidential between parks A and B. The viewer and the editor belong
to A; the "outsider" edits park C, so for them the agreement does not exist (404, not 403).
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.urls import reverse

from agreements.access import get_editable_agreement
from agreements.models import Agreement, AgreementDocument, Milestone
from tests import factories
from tests.support.agreement_pages import ROLES, log_in


def _get(client, world, role, url):
    return log_in(client, world.user(role)).get(url)


def _assert_login_redirect(response):
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


READ_PAGES = {
    "detail": lambda w: reverse("agreements:detail", args=[w.agreement.pk]),
    "download": lambda w: reverse("agreements:document_download", args=[w.agreement.pk, w.document.pk]),
}
EXPECTED_READ = {"anonymous": 302, "viewer": 200, "editor": 200, "outsider": 404, "admin": 200}


@pytest.mark.parametrize("page", READ_PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_a_confidential_agreement_is_seen_by_its_parties_members_and_admins_only(client, world, role, page):
    response = _get(client, world, role, READ_PAGES[page](world))

    if role == "anonymous":
        _assert_login_redirect(response)
    else:
        assert response.status_code == EXPECTED_READ[role]


EXPECTED_EDIT = {"anonymous": 302, "viewer": 403, "editor": 200, "outsider": 404, "admin": 200}


@pytest.mark.parametrize("role", ROLES)
def test_the_edit_page_opens_for_editors_of_a_party_and_admins(client, world, role):
    response = _get(client, world, role, reverse("agreements:edit", args=[world.agreement.pk]))

    if role == "anonymous":
        _assert_login_redirect(response)
    else:
        assert response.status_code == EXPECTED_EDIT[role]


@pytest.mark.parametrize("role", ROLES)
def test_the_new_agreement_page_opens_for_anyone_who_edits_some_park(client, world, role):
    response = _get(client, world, role, reverse("agreements:create"))

    expected = {"anonymous": 302, "viewer": 403, "editor": 200, "outsider": 200, "admin": 200}
    if role == "anonymous":
        _assert_login_redirect(response)
    else:
        assert response.status_code == expected[role]


@pytest.mark.parametrize("role", ["viewer", "editor", "outsider", "admin"])
def test_an_agreement_to_change_is_hidden_from_outsiders_and_refused_to_viewers(world, role):
    # The one check behind every page that changes an agreement (its own pages and its notifications).
    refusal = {"viewer": PermissionDenied, "outsider": Http404}.get(role)

    if refusal is None:
        assert get_editable_agreement(world.user(role), world.agreement.pk) == world.agreement
    else:
        with pytest.raises(refusal):
            get_editable_agreement(world.user(role), world.agreement.pk)


# Refused roles change nothing; the editor and the admin are redirected back to the agreement.
EXPECTED_POST = {"anonymous": 302, "viewer": 403, "editor": 302, "outsider": 404, "admin": 302}


def _state(world) -> tuple:
    world.agreement.refresh_from_db()
    world.milestone.refresh_from_db()
    return world.agreement.status, world.milestone.status, AgreementDocument.objects.count()


@pytest.mark.parametrize("role", ROLES)
def test_only_editors_of_a_party_and_admins_change_the_status(client, world, role):
    before = _state(world)
    response = log_in(client, world.user(role)).post(
        reverse("agreements:change_status", args=[world.agreement.pk]),
        {"status": Agreement.Status.DRAFT, "current_status": Agreement.Status.NEGOTIATION},
    )

    assert response.status_code == EXPECTED_POST[role]
    if role in ("editor", "admin"):
        assert _state(world)[0] == Agreement.Status.DRAFT
    else:
        assert _state(world) == before


@pytest.mark.parametrize("role", ROLES)
def test_only_editors_of_a_party_and_admins_mark_a_milestone_done(client, world, role):
    before = _state(world)
    response = log_in(client, world.user(role)).post(
        reverse("agreements:milestone_done", args=[world.agreement.pk, world.milestone.pk]),
        {"completed_on": datetime.date.today().isoformat()},
    )

    assert response.status_code == EXPECTED_POST[role]
    if role in ("editor", "admin"):
        assert _state(world)[1] == Milestone.Status.DONE
    else:
        assert _state(world) == before


@pytest.mark.parametrize("role", ROLES)
def test_only_editors_of_a_party_and_admins_upload_documents(client, world, role):
    before = _state(world)
    response = log_in(client, world.user(role)).post(
        reverse("agreements:document_upload", args=[world.agreement.pk]),
        {"kind": AgreementDocument.Kind.ANNEX, "title": "Annex", "file": SimpleUploadedFile("annex.pdf", b"%PDF-1.4")},
    )

    assert response.status_code == EXPECTED_POST[role]
    if role in ("editor", "admin"):
        assert _state(world)[2] == before[2] + 1
    else:
        assert _state(world) == before


@pytest.mark.parametrize("role", ROLES)
def test_only_editors_of_a_party_and_admins_save_the_edit_page(client, world, role):
    response = log_in(client, world.user(role)).post(
        reverse("agreements:edit", args=[world.agreement.pk]), {"title": "Hijacked"}
    )

    expected = {"anonymous": 302, "viewer": 403, "editor": 200, "outsider": 404, "admin": 200}
    assert response.status_code == expected[role]
    world.agreement.refresh_from_db()
    assert world.agreement.title == "Alpha and Beta joint laboratory"


# The lists' exports are exchange's (one definition behind both buttons), in the kind's columns.
_EXPORTS = {"export": ["agreements", "csv"], "milestone_export": ["milestones", "csv"]}


def _list_url(name: str, args=()) -> str:
    if name in _EXPORTS:
        return reverse("exchange:export", args=_EXPORTS[name])
    return reverse(f"agreements:{name}", args=args)


@pytest.mark.parametrize(
    "name", ["list", "export", "milestones", "milestone_export", "create", "detail", "edit", "document_download"]
)
def test_every_page_needs_login(client, world, name):
    args = {
        "detail": [world.agreement.pk],
        "edit": [world.agreement.pk],
        "document_download": [world.agreement.pk, world.document.pk],
    }.get(name, [])

    _assert_login_redirect(client.get(_list_url(name, args)))


def test_an_upload_answers_only_to_post(client, world):
    client.force_login(world.editor)

    assert client.get(reverse("agreements:document_upload", args=[world.agreement.pk])).status_code == 405


@pytest.mark.parametrize("name", ["change_status", "milestone_done", "archive", "restore"])
def test_consequential_actions_ask_first_and_a_get_changes_nothing(client, world, name):
    args = [world.agreement.pk, world.milestone.pk] if name == "milestone_done" else [world.agreement.pk]
    client.force_login(world.editor)
    before = _state(world)

    response = client.get(reverse(f"agreements:{name}", args=args), {"status": "draft"})

    assert response.status_code == 200
    assert f'action="{reverse(f"agreements:{name}", args=args)}"' in response.content.decode() or (
        '<form method="post"' in response.content.decode()
    )
    assert _state(world) == before


def test_a_public_agreement_of_other_parks_is_seen_but_not_changed(client, world):
    client.force_login(world.editor)
    public = world.public

    assert client.get(reverse("agreements:detail", args=[public.pk])).status_code == 200
    assert client.get(reverse("agreements:edit", args=[public.pk])).status_code == 403
    response = client.post(
        reverse("agreements:change_status", args=[public.pk]),
        {"status": Agreement.Status.NEGOTIATION, "current_status": Agreement.Status.DRAFT},
    )
    assert response.status_code == 403
    public.refresh_from_db()
    assert public.status == Agreement.Status.DRAFT


def test_the_detail_page_shows_editing_buttons_to_editors_only(client, world):
    edit_url = reverse("agreements:edit", args=[world.agreement.pk])

    client.force_login(world.viewer)
    viewer_page = client.get(reverse("agreements:detail", args=[world.agreement.pk])).content.decode()
    client.force_login(world.editor)
    editor_page = client.get(reverse("agreements:detail", args=[world.agreement.pk])).content.decode()

    for fragment in (edit_url, "Mark done", "Upload a document", "Change status"):
        assert fragment not in viewer_page
        assert fragment in editor_page


def test_the_new_agreement_button_shows_to_editors_only(client, world):
    create_url = reverse("agreements:create")

    client.force_login(world.viewer)
    assert create_url not in client.get(reverse("agreements:list")).content.decode()
    client.force_login(world.editor)
    assert create_url in client.get(reverse("agreements:list")).content.decode()


def test_a_confidential_agreement_of_other_parks_is_missing_from_lists_and_exports(client, world):
    client.force_login(world.outsider)

    listed = client.get(reverse("agreements:list")).content.decode()
    exported = b"".join(client.get(reverse("exchange:export", args=["agreements", "csv"])).streaming_content).decode()
    milestones = client.get(reverse("agreements:milestones")).content.decode()
    milestones_csv = b"".join(
        client.get(reverse("exchange:export", args=["milestones", "csv"])).streaming_content
    ).decode()

    assert "BC-002" in listed and "BC-002" in exported
    for page in (listed, exported, milestones, milestones_csv):
        assert "AB-001" not in page
        assert world.milestone.title not in page


def test_a_document_of_another_agreement_is_not_found(client, world):
    client.force_login(world.editor)
    other_document = factories.AgreementDocumentFactory(agreement=world.public)

    url = reverse("agreements:document_download", args=[world.agreement.pk, other_document.pk])
    assert client.get(url).status_code == 404


def test_a_milestone_of_another_agreement_is_not_found(client, world):
    client.force_login(world.admin)
    other = factories.MilestoneFactory(agreement=world.public)

    response = client.post(reverse("agreements:milestone_done", args=[world.agreement.pk, other.pk]))

    assert response.status_code == 404
    other.refresh_from_db()
    assert other.status == Milestone.Status.PLANNED


@pytest.mark.parametrize("name", ["list", "export", "milestones", "milestone_export"])
@pytest.mark.parametrize("role", ROLES)
def test_lists_and_exports_open_for_everyone_signed_in(client, world, role, name):
    response = _get(client, world, role, _list_url(name))

    if role == "anonymous":
        _assert_login_redirect(response)
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("role", ["viewer", "editor", "admin"])
def test_members_of_a_party_and_admins_find_the_confidential_agreement_in_lists(client, world, role):
    client.force_login(world.user(role))

    listed = client.get(reverse("agreements:list")).content.decode()
    exported = b"".join(client.get(reverse("exchange:export", args=["agreements", "csv"])).streaming_content).decode()
    milestones = client.get(reverse("agreements:milestones")).content.decode()

    assert "AB-001" in listed and "AB-001" in exported
    assert world.milestone.title in milestones
