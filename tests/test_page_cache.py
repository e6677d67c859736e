"""Kept page bodies (common.page_cache): served again while nothing changed, never to the wrong reader.

A kept body must never show a reader what their roles hide, nor another person's CSRF token, nor
yesterday's records after a change made through the portal.
"""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from agreements.models import AgreementDocument
from parks.models import Membership
from tests import factories

pytestmark = pytest.mark.django_db

LIST = reverse("agreements:list")


@pytest.fixture
def himgrad():
    return factories.TechnopolisFactory(name_en="Himgrad")


@pytest.fixture
def gousev():
    return factories.TechnopolisFactory(name_en="Gousev")


@pytest.fixture
def agreement(himgrad, gousev):
    return factories.agreement_with_parties(himgrad, gousev, reference="HIM-GOU-001", title_en="Joint programme")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_the_second_request_serves_the_same_page_with_only_the_personal_queries(himgrad, agreement):
    client = signed_in(factories.member(himgrad, Membership.Role.EDITOR))

    made, first = queries(client, LIST)
    kept, second = queries(client, LIST)

    assert "Joint programme" in second
    assert _without_tokens(first) == _without_tokens(second)
    # The session, the user with their roles, and the records' version: nothing else.
    assert (made, kept) == (8, 3)


def test_a_change_shows_on_the_next_request(himgrad, agreement):
    client = signed_in(factories.member(himgrad, Membership.Role.EDITOR))
    assertContains(client.get(LIST), "Joint programme")
    assertContains(client.get(reverse("parks:detail", args=[himgrad.slug])), "Himgrad")

    agreement.title_en = "Renamed programme"
    agreement.save()
    himgrad.name_en = "Himgrad Science City"
    himgrad.save()

    page = client.get(LIST)
    assertContains(page, "Renamed programme")
    assertNotContains(page, "Joint programme")
    assertContains(client.get(reverse("parks:detail", args=[himgrad.slug])), "Himgrad Science City")


def test_a_deleted_record_is_gone_on_the_next_request(himgrad, agreement):
    other = factories.agreement_with_parties(himgrad, factories.TechnopolisFactory(), title_en="Second programme")
    client = signed_in(factories.member(himgrad, Membership.Role.EDITOR))
    assertContains(client.get(LIST), "Second programme")

    other.delete()

    assertNotContains(client.get(LIST), "Second programme")


def test_a_page_kept_for_an_admin_never_shows_a_member_what_their_parks_do_not_see(himgrad, gousev, agreement):
    hidden = factories.agreement_with_parties(
        gousev, factories.TechnopolisFactory(), title_en="Confidential programme", is_public=False
    )
    assertContains(signed_in(factories.SuperuserFactory()).get(LIST), "Confidential programme")

    member_page = signed_in(factories.member(himgrad, Membership.Role.EDITOR)).get(LIST)

    assertNotContains(member_page, "Confidential programme")
    assertContains(member_page, "Joint programme")
    assert signed_in(factories.member(himgrad)).get(reverse("agreements:detail", args=[hidden.pk])).status_code == 404


def test_a_page_kept_for_an_editor_shows_a_viewer_no_editing_buttons(himgrad, agreement):
    edit_url = reverse("agreements:edit", args=[agreement.pk])
    editor_page = signed_in(factories.member(himgrad, Membership.Role.EDITOR)).get(
        reverse("agreements:detail", args=[agreement.pk])
    )
    assertContains(editor_page, edit_url)

    viewer_page = signed_in(factories.member(himgrad, Membership.Role.VIEWER)).get(
        reverse("agreements:detail", args=[agreement.pk])
    )

    assertNotContains(viewer_page, edit_url)
    assertContains(viewer_page, "HIM-GOU-001")


def test_each_reader_of_a_kept_page_gets_their_own_csrf_token_and_can_post_with_it(
    himgrad, agreement, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    url = reverse("agreements:detail", args=[agreement.pk])
    first = Client(enforce_csrf_checks=True)
    first.force_login(factories.member(himgrad, Membership.Role.EDITOR))
    second = Client(enforce_csrf_checks=True)
    second.force_login(factories.member(himgrad, Membership.Role.EDITOR))

    upload = reverse("agreements:document_upload", args=[agreement.pk])
    first_token = _token(first.get(url).content.decode(), upload)
    second_page = second.get(url).content.decode()
    second_token = _token(second_page, upload)

    assert "csrf-" not in second_page
    assert first_token != second_token
    response = second.post(
        upload,
        {
            "csrfmiddlewaretoken": second_token,
            "kind": AgreementDocument.Kind.ANNEX,
            "title": "Annex",
            "file": SimpleUploadedFile("annex.pdf", b"%PDF-1.4\n%%EOF\n"),
        },
    )
    assert response.status_code == 302
    assertContains(second.get(url), "Annex")


def test_the_page_is_kept_per_language(himgrad, agreement):
    client = signed_in(factories.member(himgrad, Membership.Role.EDITOR))
    assertContains(client.get(reverse("agreements:milestones")), "Milestones")

    client.post(reverse("accounts:set_language"), {"language": "ru", "next": "/"})

    assertContains(client.get(reverse("agreements:milestones")), "Срок")


def _token(page: str, action: str) -> str:
    """The CSRF token of the page's form posting to `action`."""
    form = re.search(rf'<form[^>]*action="{re.escape(action)}".*?</form>', page, re.DOTALL)
    assert form, "the page carries the form"
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.group(0)).group(1)


def _without_tokens(page: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)
