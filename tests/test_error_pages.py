"""403, 404, 400 and 500 are pages in the portal's layout, in the reader's language, saying what
happened and what to do; the 500 page needs neither the request's user nor the database."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views.defaults import bad_request, server_error

from parks.models import Membership
from tests import factories


@pytest.fixture
def viewer(client, db):
    park = factories.TechnopolisFactory()
    client.force_login(factories.member(park, Membership.Role.VIEWER))
    return park


@pytest.mark.parametrize(
    "language, heading, advice",
    [
        ("en", "Page not found", "Check the address, or find the record from the dashboard"),
        ("ru", "Страница не найдена", "Проверьте адрес или найдите запись"),
    ],
)
def test_a_missing_page_says_so_in_the_layout_with_a_way_back(client, viewer, language, heading, advice):
    response = client.get("/agreements/999999/", HTTP_ACCEPT_LANGUAGE=language)

    page = response.content.decode()
    assert response.status_code == 404
    assert f'<h1 class="h3">{heading}</h1>' in page and advice in page
    assert f'href="{reverse("portal:dashboard")}"' in page
    assert 'id="main-nav"' in page  # the signed-in navigation, not the server's plain text


def test_a_refused_page_says_what_the_role_allows(client, viewer):
    company = factories.ResidentCompanyFactory(technopolis=viewer)

    response = client.get(reverse("residents:edit", args=[company.pk]))

    page = response.content.decode()
    assert response.status_code == 403
    assert '<h1 class="h3">Not allowed</h1>' in page
    assert "ask an administrator of your park to change your role" in page


def test_a_bad_request_is_a_page_that_offers_a_signed_out_visitor_to_log_in(db):
    response = bad_request(RequestFactory().get("/"), exception=None)

    page = response.content.decode()
    assert response.status_code == 400
    assert '<h1 class="h3">Bad request</h1>' in page
    assert f'href="{reverse("login")}"' in page


@pytest.mark.parametrize(
    "language, heading",
    [("en", "Something went wrong"), ("ru", "Что-то пошло не так")],
)
def test_the_server_error_page_renders_without_the_database(language, heading):
    # No `db` fixture: pytest-django refuses any database access in this test.
    with translation.override(language):
        response = server_error(RequestFactory().get("/agreements/"))

    page = response.content.decode()
    assert response.status_code == 500
    assert f'<html lang="{language}">' in page
    assert f'<h1 class="h3">{heading}</h1>' in page
    assert f'href="{reverse("portal:dashboard")}"' in page


def test_pages_name_their_icon_and_the_conventional_address_leads_to_it(client, viewer):
    page = client.get(reverse("portal:dashboard")).content.decode()
    icon = client.get("/favicon.ico")

    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in page
    assert (icon.status_code, icon["Location"]) == (301, "/static/img/favicon.svg")
    assert finders.find("img/favicon.svg")  # the file collectstatic ships


@pytest.mark.parametrize(
    ("language", "words"), [("en", "Cooperation between technology parks"), ("ru", "Сотрудничество технопарков")]
)
def test_the_login_page_describes_the_portal_for_search_engines(client, db, language, words):
    client.cookies["django_language"] = language

    html = client.get(reverse("login")).content.decode()

    assert re.search(rf'<meta name="description" content="{words}[^"]+">', html)
