"""The IP registry: every park's patents and trademarks, filtered and searched; know-how stays out."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from residents.models import IntellectualProperty
from tests.factories import (
    IntellectualPropertyFactory,
    KnowHowFactory,
    ResidentCompanyFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ["viewer", "editor", "other_editor", "admin"]
Kind = IntellectualProperty.Kind
Status = IntellectualProperty.Status


@pytest.fixture
def record(park):
    company = ResidentCompanyFactory(technopolis=park, name="Polymer Lab")
    return IntellectualPropertyFactory(company=company, registration_number="RU2751234", title="Recycling method")


def signed_in(client, user):
    client.force_login(user)
    return client


def listed_numbers(response) -> list[str]:
    return [record.registration_number for record in response.context["page_obj"]]


# --- Login and access -------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, record):
    for url in (reverse("ip:list"), reverse("ip:detail", args=[record.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("role", ROLES)
def test_every_signed_in_user_sees_the_registry_and_the_record(client, users, record, role):
    signed_in(client, users[role])

    assertContains(client.get(reverse("ip:list")), "RU2751234")
    detail = client.get(reverse("ip:detail", args=[record.pk]))
    assertContains(detail, "Recycling method")
    assertContains(detail, "Polymer Lab")
    assertContains(detail, reverse("residents:detail", args=[record.company.pk]))


def test_unknown_record_is_404(client, users):
    signed_in(client, users["viewer"])

    assert client.get(reverse("ip:detail", args=[999999])).status_code == 404


@pytest.mark.parametrize(
    ("role", "shown"), [("viewer", False), ("editor", True), ("other_editor", False), ("admin", True)]
)
def test_edit_link_only_for_those_who_may_edit_the_company(client, users, record, role, shown):
    signed_in(client, users[role])

    response = client.get(reverse("ip:detail", args=[record.pk]))

    assert (reverse("residents:edit", args=[record.company.pk]) in response.content.decode()) is shown


def test_know_how_is_not_part_of_the_registry(client, users, record):
    KnowHowFactory(company=record.company, title="Catalyst recipe")
    signed_in(client, users["admin"])

    assertNotContains(client.get(reverse("ip:list")), "Catalyst recipe")


# --- Filters, search, sorting -----------------------------------------------------------------


@pytest.fixture
def registry(park, other_park):
    today = timezone.localdate()
    himgrad_company = ResidentCompanyFactory(technopolis=park, name="Polymer Lab")
    gousev_company = ResidentCompanyFactory(technopolis=other_park, name="Oil Tech")
    IntellectualPropertyFactory(
        company=himgrad_company, kind=Kind.INVENTION_PATENT, registration_number="RU100", title="Recycling method"
    )
    IntellectualPropertyFactory(
        company=himgrad_company,
        kind=Kind.TRADEMARK,
        registration_number="TM200",
        title="POLYLAB",
        expires_on=today + datetime.timedelta(days=30),
    )
    IntellectualPropertyFactory(
        company=gousev_company,
        kind=Kind.UTILITY_MODEL,
        registration_number="UM300",
        title="Drill bit",
        status=Status.FILED,
        expires_on=today + datetime.timedelta(days=181),
    )
    IntellectualPropertyFactory(
        company=gousev_company,
        kind=Kind.INVENTION_PATENT,
        registration_number="RU400",
        title="Old pump",
        status=Status.EXPIRED,
        expires_on=today - datetime.timedelta(days=1),
    )


@pytest.mark.parametrize(
    ("params", "numbers"),
    [
        ({"kind": Kind.INVENTION_PATENT}, ["RU100", "RU400"]),
        ({"status": Status.FILED}, ["UM300"]),
        ({"expiring": "on"}, ["TM200"]),
        ({"q": "drill"}, ["UM300"]),
        ({"q": "TM2"}, ["TM200"]),
        ({"q": "oil tech"}, ["RU400", "UM300"]),
        ({"sort": "-number"}, ["UM300", "TM200", "RU400", "RU100"]),
    ],
)
def test_registry_filters_searches_and_sorts(client, users, registry, params, numbers):
    signed_in(client, users["viewer"])

    assert listed_numbers(client.get(reverse("ip:list"), params)) == numbers


def test_registry_filters_by_park(client, users, registry, park):
    signed_in(client, users["viewer"])

    assert listed_numbers(client.get(reverse("ip:list"), {"park": park.pk})) == ["RU100", "TM200"]


def test_registry_marks_records_expiring_soon(client, users, registry):
    signed_in(client, users["viewer"])

    response = client.get(reverse("ip:list"))

    soon = {record.registration_number for record in response.context["page_obj"] if record.expires_soon}
    assert soon == {"TM200"}


def test_registry_paginates(client, users, record):
    IntellectualPropertyFactory.create_batch(30, company=record.company)
    signed_in(client, users["viewer"])

    assert len(client.get(reverse("ip:list")).context["page_obj"]) == 25
    assert len(client.get(reverse("ip:list"), {"page": 2}).context["page_obj"]) == 6


# --- Query budgets ----------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [5, 50])
def test_registry_runs_a_fixed_number_of_queries(client, users, park, rows, django_assert_num_queries):
    for company in ResidentCompanyFactory.create_batch(rows, technopolis=park):
        IntellectualPropertyFactory(company=company)
    signed_in(client, users["viewer"])

    # session, user, park choices (filter form), count, the page of records with company and park,
    # the user's park roles (navigation).
    with django_assert_num_queries(6):
        response = client.get(reverse("ip:list"))
    assert response.status_code == 200


def test_record_page_runs_a_fixed_number_of_queries(client, users, record, django_assert_num_queries):
    signed_in(client, users["viewer"])

    # session, user, the record with company and park, the user's park roles; its change history
    # (the latest rows with their predecessors' ids, then those rows).
    with django_assert_num_queries(5):
        client.get(reverse("ip:detail", args=[record.pk]))
