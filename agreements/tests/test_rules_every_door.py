"""A rule holds whichever door a change comes through: the portal's form, Django admin, the API and
the importer. Here: a new term may not leave the agreement's milestones outside it."""

import datetime

import pytest
from rest_framework.test import APIClient

from agreements.models import Agreement
from exchange.services import import_preview
from tests import factories
from tests.support.agreement_pages import page_data
from tests.support.forms import admin_page_data, admin_url
from tests.support.spreadsheets import csv_bytes
from tests.support.twofactor import verified_login

pytestmark = pytest.mark.django_db

NEW_EXPIRY = "2026-06-30"  # before the milestone due on 2026-09-01


@pytest.fixture
def agreement(world):
    agreement = world.agreement
    agreement.milestones.all().delete()
    factories.MilestoneFactory(agreement=agreement, title="Joint report", due_on=datetime.date(2026, 9, 1))
    return agreement


def _unchanged(agreement: Agreement) -> bool:
    agreement.refresh_from_db()
    return agreement.expires_on == datetime.date(2028, 12, 31)


def test_the_portal_refuses_a_term_that_leaves_a_milestone_outside(editor_client, agreement):
    url = f"/agreements/{agreement.pk}/edit/"
    data = page_data(editor_client.get(url))
    data["expires_on"] = NEW_EXPIRY

    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert "cannot be due after the agreement expires (2026-06-30)" in response.content.decode()
    assert _unchanged(agreement)


def test_admin_refuses_a_term_that_leaves_a_milestone_outside(client, world, agreement):
    verified_login(client, world.admin)
    url = admin_url(Agreement, "change", agreement.pk)
    data = admin_page_data(client.get(url))
    data["expires_on"] = NEW_EXPIRY

    response = client.post(url, data)

    assert response.status_code == 200
    assert "cannot be due after the agreement expires (2026-06-30)" in response.content.decode()
    assert _unchanged(agreement)


def test_the_api_refuses_a_term_that_leaves_a_milestone_outside(world, agreement):
    api = APIClient()
    api.force_login(world.editor)

    response = api.patch(
        f"/api/v1/agreements/{agreement.pk}/", {"expires_on": NEW_EXPIRY, "version": agreement.version}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "expires_on": ["These milestones would fall outside the agreement's term: “Joint report” (2026-09-01)."]
    }
    assert _unchanged(agreement)


def test_the_importer_refuses_a_term_that_leaves_a_milestone_outside(world, agreement, tmp_path):
    path = tmp_path / "agreements.csv"
    header = ["Reference", "Title", "Status", "Expires on"]
    path.write_bytes(csv_bytes([header, [agreement.reference, agreement.title, agreement.status, NEW_EXPIRY]]))

    report = import_preview(user=world.editor, kind="agreements", path=path, filename=path.name)

    assert report.rows[0].errors == [
        ("Expires on", "These milestones would fall outside the agreement's term: “Joint report” (2026-09-01).")
    ]
    assert _unchanged(agreement)
