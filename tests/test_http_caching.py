"""Nothing the portal answers is kept by a browser's disk cache or a shared proxy: pages, downloads,
exports, PDFs and token links say `no-store, private`. The calendar feed alone may be kept a few minutes,
by the one calendar application that fetched it (`private`), since such applications poll."""

import pytest
from django.urls import reverse

from tests.support.permission_table import EXPECTATIONS, project_url_names
from tests.support.personas import build_world, log_in

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "viewer")
PRIVATELY_CACHED = {"portal:calendar_feed"}


def _pages_answered_200(role: str):
    return [
        row
        for row in EXPECTATIONS
        if row.method == "get" and row.expected[role] == 200 and row.name in project_url_names()
    ]


@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_person_opens_tells_caches_not_to_store_it(client, monkeypatch, role):
    world = build_world()
    log_in(client, world.user(role))
    rows = _pages_answered_200(role)
    assert len(rows) >= (3 if role == "anonymous" else 25)

    for row in rows:
        if row.prepare:
            row.prepare(world, monkeypatch)
        response = client.get(reverse(row.name, args=row.args(world) if row.args else None) + row.query)

        assert response.status_code == 200, row.id
        directives = {part.strip() for part in response.headers.get("Cache-Control", "").split(",")}
        expected = {"private"} if row.name in PRIVATELY_CACHED else {"no-store", "private"}
        assert expected <= directives, f"{row.id}: {response.headers.get('Cache-Control')}"


def test_the_login_page_is_not_stored_either(client):
    response = client.get(reverse("login"))

    assert "no-store" in response.headers["Cache-Control"]
