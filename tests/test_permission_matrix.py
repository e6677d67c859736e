"""The permission matrix: every URL of the portal × every kind of person, with the exact outcome.

The rows come from one explicit table (tests/support/permission_table.py), and a test
walks the project's URL configuration so that a new view fails the suite until someone writes
down who may open it. Each row names the objects of the fixture world it is opened on:

- park A is the reader's park (the viewer and the editor belong to it), park B belongs to the
  "outsider" (an editor of another park), park C is a third park;
- `ac` is a confidential agreement between A and C: A is a party, B is not;
- `bc_secret` is a confidential agreement between B and C: it does not exist for A's people;
- `bc_public` is a public agreement between B and C: everyone sees it, only B's editor changes it;
- each has a milestone, a document and a digest subscription following it; companies in A and B
  each have a patent and a know-how record.

Outcomes: LOGIN is a redirect to the login page, 302 any other redirect (the action was done),
and every refusal (LOGIN, 403, 404, 405) leaves every record as it was.
"""

import pytest
from django.urls import reverse

from tests.support.permission_table import AUTH_VIEWS, EXPECTATIONS, LOGIN, Row, project_url_names
from tests.support.personas import ROLES, build_world, log_in, open_partner_page, snapshot


def test_every_url_of_the_project_has_expected_outcomes():
    """A new view must be added to EXPECTATIONS, with the outcome for each kind of person."""
    missing = project_url_names() - {row.name for row in EXPECTATIONS}
    assert not missing, f"add rows to EXPECTATIONS for: {sorted(missing)}"


def test_every_row_gives_an_outcome_for_every_role():
    for row in EXPECTATIONS:
        assert set(row.expected) == set(ROLES), row.id
        assert row.method in ("get", "post"), row.id


def test_the_excluded_auth_views_exist():
    """The exclusion list names real views, so it cannot hide a portal URL by a typo."""
    for name in AUTH_VIEWS:
        assert reverse(name, kwargs={"uidb64": "x", "token": "y"} if name == "password_reset_confirm" else None)


# --- the matrix ---------------------------------------------------------------------------------------


def _cases():
    for row in EXPECTATIONS:
        for role in ROLES:
            yield pytest.param(row, role, id=f"{row.id}-{role}")


@pytest.mark.parametrize(("row", "role"), list(_cases()))
def test_permission_matrix(client, db, monkeypatch, row: Row, role: str):
    if row.name not in project_url_names():
        pytest.fail(f"{row.name} is in the expectations but not in the URL configuration: remove the row")
    world = build_world()
    if row.prepare:
        row.prepare(world, monkeypatch)
    url = reverse(row.name, args=row.args(world) if row.args else None) + row.query
    log_in(client, world.user(role))
    if role == "partner":
        open_partner_page(client, world)
    expected = row.expected[role]
    before = snapshot()

    send = client.post if row.method == "post" else client.get
    response = send(url, row.data(world) if row.data else {})

    if expected == LOGIN:
        assert response.status_code == 302, f"{row.id} as {role}: {response.status_code}"
        assert response.url.startswith(reverse("login")), response.url
    else:
        assert response.status_code == expected, f"{row.id} as {role}: {response.status_code}"
        if expected == 302:
            assert not response.url.startswith(reverse("login")), response.url
    if expected in (LOGIN, 403, 404, 405):
        assert snapshot() == before, f"{row.id} as {role} was refused but changed records"


def test_the_matrix_size():
    """Documents the size of the matrix: URL names × roles (and rows, with variants, × roles)."""
    names = {row.name for row in EXPECTATIONS}
    assert len(names) >= 40
    assert len(EXPECTATIONS) * len(ROLES) >= 300


# Actions change records: a GET (a prefetching browser, a crawler, a link in an e-mail) must not.
# Those that ask first answer a GET with their confirmation page, which changes nothing either.
ASKING_FIRST = {
    "accounts:staff_remove",
    "agreements:archive",
    "agreements:restore",
    "agreements:change_status",
    "agreements:milestone_done",
}
# Pages whose form posts back to them: a GET shows the page.
PAGES_WITH_A_FORM = {"partners:request", "partners:staff_milestone"}
POST_ONLY = sorted({row.name for row in EXPECTATIONS if row.method == "post"} - ASKING_FIRST - PAGES_WITH_A_FORM)


@pytest.mark.parametrize("name", sorted(ASKING_FIRST))
def test_a_get_of_an_action_that_asks_first_changes_nothing(client, db, name):
    world = build_world()
    row = next(row for row in EXPECTATIONS if row.name == name and row.method == "post")
    client.force_login(world.admin)
    before = snapshot()

    response = client.get(reverse(name, args=row.args(world) if row.args else None), {"status": "draft"})

    assert response.status_code == 200
    assert snapshot() == before


@pytest.mark.parametrize("name", POST_ONLY)
def test_actions_refuse_a_get_even_for_an_admin(client, db, monkeypatch, name):
    if name not in project_url_names():
        pytest.fail(f"{name} is in the expectations but not in the URL configuration: remove the row")
    world = build_world()
    row = next(row for row in EXPECTATIONS if row.name == name and row.method == "post")
    if row.prepare:
        row.prepare(world, monkeypatch)
    client.force_login(world.admin)
    before = snapshot()

    response = client.get(reverse(name, args=row.args(world) if row.args else None))

    assert response.status_code == 405
    assert snapshot() == before
