"""The missing-data banner links each missing item to the field that asks for it, for those who may edit."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from agreements.models import Agreement, AgreementParty
from parks.models import Membership
from tests import factories

pytestmark = pytest.mark.django_db


def banner_links(html: str) -> list[str]:
    banner = re.search(r'<div class="alert alert-warning" role="note">.*?</div>', html, re.S)
    assert banner, "no missing-data banner"
    return [link.replace("&amp;", "&") for link in re.findall(r'href="([^"]+)"', banner.group(0))]


def landing(client, link: str) -> bool:
    """Whether the page the link opens has the element its fragment names."""
    path, fragment = link.split("#")
    return f'id="{fragment}"' in client.get(path).content.decode()


@pytest.fixture
def unsigned(db):
    park, other = factories.TechnopolisFactory(), factories.TechnopolisFactory()
    agreement = factories.agreement_with_parties(park, other, status=Agreement.Status.SIGNED, signed_on=None)
    AgreementParty.objects.filter(agreement=agreement, technopolis=other).update(signatory=None)
    return park, agreement


def test_an_editor_follows_each_missing_item_of_an_agreement_to_its_field(client, unsigned):
    park, agreement = unsigned
    client.force_login(factories.member(park, Membership.Role.EDITOR))

    links = banner_links(client.get(reverse("agreements:detail", args=[agreement.pk])).content.decode())

    edit = reverse("agreements:edit", args=[agreement.pk])
    assert links == [f"{edit}#id_signed_on", f"{edit}#parties"]
    assert all(landing(client, link) for link in links)


def test_a_viewer_reads_what_is_missing_without_links(client, unsigned):
    park, agreement = unsigned
    client.force_login(factories.member(park, Membership.Role.VIEWER))

    html = client.get(reverse("agreements:detail", args=[agreement.pk])).content.decode()

    assert "signing date" in html
    assert banner_links(html) == []


def test_a_company_editor_follows_the_missing_legal_form_to_its_field(client):
    company = factories.ResidentCompanyFactory(legal_form="", residency_start=None)
    client.force_login(factories.member(company.technopolis, Membership.Role.EDITOR))

    links = banner_links(client.get(reverse("residents:detail", args=[company.pk])).content.decode())

    edit = reverse("residents:edit", args=[company.pk])
    assert links == [f"{edit}#id_legal_form", f"{edit}#id_residency_start"]
    assert all(landing(client, link) for link in links)


@pytest.mark.parametrize("language", ["en", "ru"])
def test_an_admin_follows_a_parks_missing_city_to_the_admin_field_in_any_language(admin_client, language):
    park = factories.TechnopolisFactory(city="", region="Tatarstan")
    admin_client.cookies["django_language"] = language

    with translation.override(language):
        links = banner_links(admin_client.get(reverse("parks:detail", args=[park.slug])).content.decode())

    change = reverse("admin:parks_technopolis_change", args=[park.pk])
    assert f"{change}#id_city" in links  # the reader's language's version, whichever it is
    assert all(landing(admin_client, link) for link in links)


def test_a_park_member_reads_the_parks_missing_data_without_admin_links(client):
    park = factories.TechnopolisFactory(city="")
    client.force_login(factories.member(park, Membership.Role.EDITOR))

    assert banner_links(client.get(reverse("parks:detail", args=[park.slug])).content.decode()) == []
