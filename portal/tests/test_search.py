"""The global search: parks, companies, IP records and the agreements the person may see."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from tests.factories import (
    IntellectualPropertyFactory,
    ResidentCompanyFactory,
    SuperuserFactory,
    TechnopolisFactory,
    UserFactory,
    agreement_with_parties,
    member,
)

URL = reverse("portal:search")


@pytest.fixture
def park_a(db):
    return TechnopolisFactory(name="Technopolis Khimgrad", short_name="Khimgrad", city="Kazan", region="Tatarstan")


@pytest.fixture
def park_b(db):
    return TechnopolisFactory(name="Technopolis Moscow", short_name="Moscow TP", city="Moscow", region="Moscow")


def search(client, user, query: str):
    client.force_login(user)
    return client.get(URL, {"q": query})


def test_anonymous_visitor_is_sent_to_log_in(client, db):
    response = client.get(URL, {"q": "x"})

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_empty_query_shows_just_the_form(client, park_a):
    response = search(client, member(park_a), "  ")

    assert response.status_code == 200
    assert response.context["results"] is None
    assertContains(response, 'name="q"')
    assertNotContains(response, "Nothing matches")


def test_no_match_shows_an_empty_state(client, park_a):
    response = search(client, member(park_a), "zzzz-nothing")

    assertContains(response, "Nothing matches “zzzz-nothing”.")


@pytest.mark.parametrize("query", ["khimgrad", "Kazan", "tatarstan"])
def test_finds_parks_by_name_short_name_city_and_region(client, park_a, park_b, query):
    response = search(client, member(park_b), query)

    assert [park.pk for park in response.context["results"].of("parks").rows] == [park_a.pk]
    assertContains(response, reverse("parks:detail", args=[park_a.slug]))


def test_finds_companies_by_name_and_inn_in_any_park(client, park_a, park_b):
    company = ResidentCompanyFactory(technopolis=park_a, name="Polymer Lab", inn="1655000005")

    by_name = search(client, member(park_b), "polymer")
    by_inn = search(client, member(park_b), "16550000")

    assert [c.pk for c in by_name.context["results"].of("companies").rows] == [company.pk]
    assert [c.pk for c in by_inn.context["results"].of("companies").rows] == [company.pk]
    assertContains(by_name, reverse("residents:detail", args=[company.pk]))


def test_finds_ip_records_by_registration_number_and_title(client, park_a, park_b):
    record = IntellectualPropertyFactory(
        company=ResidentCompanyFactory(technopolis=park_a), registration_number="RU2799999", title="Catalytic reactor"
    )

    by_number = search(client, member(park_b), "RU27999")
    by_title = search(client, member(park_b), "catalytic")

    assert [r.pk for r in by_number.context["results"].of("ip_records").rows] == [record.pk]
    assert [r.pk for r in by_title.context["results"].of("ip_records").rows] == [record.pk]
    assertContains(by_title, reverse("ip:detail", args=[record.pk]))


def test_finds_agreements_of_own_parks_by_reference_title_and_subject(client, park_a, park_b):
    agreement = agreement_with_parties(
        park_a, park_b, reference="KHM-2026-7", title="Joint pilot line", subject="Composite pipes"
    )
    user = member(park_a)

    for query in ["KHM-2026", "pilot line", "composite"]:
        response = search(client, user, query)
        assert [a.pk for a in response.context["results"].of("agreements").rows] == [agreement.pk], query
    assertContains(response, reverse("agreements:detail", args=[agreement.pk]))


def test_never_shows_a_confidential_agreement_of_other_parks(client, park_a, park_b):
    park_c = TechnopolisFactory()
    agreement_with_parties(park_b, park_c, reference="SECRET-9", title="Secret reactor deal")
    public = agreement_with_parties(park_b, park_c, reference="OPEN-9", title="Open reactor deal", is_public=True)

    response = search(client, member(park_a), "reactor deal")

    assert [a.pk for a in response.context["results"].of("agreements").rows] == [public.pk]
    assertNotContains(response, "SECRET-9")
    assertNotContains(response, "Secret reactor deal")


def test_person_without_parks_sees_only_public_agreements(client, park_a, park_b):
    agreement_with_parties(park_a, park_b, reference="SECRET-1", title="Deal one")
    agreement_with_parties(park_a, park_b, reference="OPEN-1", title="Deal two", is_public=True)

    response = search(client, UserFactory(), "deal")

    assert [a.reference for a in response.context["results"].of("agreements").rows] == ["OPEN-1"]


def test_admin_finds_confidential_agreements_too(client, park_a, park_b):
    agreement_with_parties(park_a, park_b, reference="SECRET-1", title="Deal one")

    response = search(client, SuperuserFactory(), "deal")

    assert [a.reference for a in response.context["results"].of("agreements").rows] == ["SECRET-1"]


def test_groups_stop_at_ten_rows_with_a_link_to_the_full_filtered_list(client, park_a):
    for index in range(12):
        ResidentCompanyFactory(technopolis=park_a, name=f"Widget Works {index:02d}")

    response = search(client, member(park_a), "widget")

    companies = response.context["results"].of("companies")
    assert (len(companies.rows), companies.total) == (10, 12)
    assertContains(response, f'href="{reverse("residents:list")}?q=widget"')
    assertContains(response, "All 12 in the list")


@pytest.mark.parametrize("rows", [5, 50])
def test_search_queries_do_not_grow_with_the_rows(client, park_a, park_b, django_assert_num_queries, rows):
    for index in range(rows):
        park = TechnopolisFactory(name=f"Alpha park {index}")
        company = ResidentCompanyFactory(technopolis=park, name=f"Alpha company {index}")
        IntellectualPropertyFactory(company=company, title=f"Alpha invention {index}")
        agreement_with_parties(park_a, park, title=f"Alpha agreement {index}")
    client.force_login(member(park_a))

    # session, user, the user's memberships; whether the words are found exactly anywhere (else the
    # search looks for names close to them); then one query: the first rows with their total of
    # each of the nine kinds (portal.search.KINDS: parks, agreements, milestones, companies,
    # products, IP records, know-how, people, documents) as JSON arrays on the reader's row.
    with django_assert_num_queries(5):
        response = client.get(URL, {"q": "alpha"})

    assert response.context["results"].total == 4 * rows


# --- What people type, on the seed's own world (issue 14, item 2) --------------------------------


@pytest.fixture
def demo(db):
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    from parks.models import Technopolis

    return {"himgrad": Technopolis.objects.get(slug="himgrad"), "gousev": Technopolis.objects.get(slug="gousev")}


def found(response, kind: str) -> list[str]:
    return [str(record) for record in response.context["results"].of(kind).rows]


@pytest.mark.parametrize("query", ["Gousev", "Химград", "гусев", "Innovation Forum", "Санкт-Петербург"])
def test_an_agreement_is_found_by_its_parties_and_its_signing_event(client, demo, query):
    response = search(client, member(demo["himgrad"]), query)

    assert any(reference.startswith("HIM-GOU-001") for reference in found(response, "agreements"))


def test_a_park_is_found_by_its_specialisation_and_facilities(client, demo):
    by_sector = search(client, member(demo["himgrad"]), "polymer")
    by_facility = search(client, member(demo["himgrad"]), "incubator")

    assert "Himgrad" in found(by_sector, "parks")
    assert "Gousev" in found(by_facility, "parks")


@pytest.mark.parametrize(
    ("query", "person"), [("Stoyanova", "Yana Stoyanova"), ("Liulin", "Alexey Liulin"), ("Люлин", "Alexey Liulin")]
)
def test_people_are_found_by_name_in_either_language(client, demo, query, person):
    response = search(client, member(demo["himgrad"]), query)

    assert any(name.startswith(person) for name in found(response, "people"))
    assertContains(
        response,
        f'href="{reverse("parks:detail", args=["gousev" if "Liulin" in person else "himgrad"])}#people-heading"',
    )


def test_milestones_are_found_by_title_and_link_to_their_agreement(client, demo):
    response = search(client, member(demo["himgrad"]), "upstream projects")

    assert found(response, "milestones")
    assertContains(response, "#milestones-heading")


def test_know_how_is_found_only_by_those_who_may_see_it(client, demo):
    from tests.factories import KnowHowFactory

    company = ResidentCompanyFactory(technopolis=demo["himgrad"], name="Polymer Systems")
    KnowHowFactory(company=company, title="Low-temperature catalyst recipe")

    own = search(client, member(demo["himgrad"]), "catalyst")
    other = search(client, member(demo["gousev"]), "catalyst")

    assert len(found(own, "know_how")) == 1
    assert found(other, "know_how") == []
    assertNotContains(other, "catalyst recipe")


def test_documents_are_found_only_on_agreements_the_reader_may_see(client, demo):
    from tests.factories import AgreementDocumentFactory

    secret = agreement_with_parties(demo["himgrad"], TechnopolisFactory(), is_public=False, reference="SECRET-9")
    AgreementDocumentFactory(agreement=secret, title="Roadmap of the joint laboratory")

    own = search(client, member(demo["himgrad"]), "roadmap")
    other = search(client, member(demo["gousev"]), "roadmap")

    assert len(found(own, "documents")) == 1
    assert found(other, "documents") == []
