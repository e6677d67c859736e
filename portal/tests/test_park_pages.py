"""The park pages: every park's public profile, its figures beside the reported ones, its agreements."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from parks.models import Facility, Membership
from residents.models import IntellectualProperty
from tests.factories import (
    FacilityFactory,
    IntellectualPropertyFactory,
    KnowHowFactory,
    PersonFactory,
    ProductFactory,
    ReportedFiguresFactory,
    ResidentCompanyFactory,
    SectorFactory,
    SuperuserFactory,
    TechnopolisFactory,
    UserFactory,
    agreement_with_parties,
    member,
)

pytestmark = pytest.mark.django_db

ROLES = ["viewer", "editor", "other_editor", "admin"]


@pytest.fixture
def park():
    return TechnopolisFactory(name='Technopolis "Himgrad"', short_name="Himgrad", slug="himgrad")


@pytest.fixture
def other_park():
    return TechnopolisFactory(name='Technopolis "Gousev"', short_name="Gousev", slug="gousev")


@pytest.fixture
def users(park, other_park):
    return {
        "viewer": member(park, Membership.Role.VIEWER),
        "editor": member(park, Membership.Role.EDITOR),
        "other_editor": member(other_park, Membership.Role.EDITOR),
        "admin": SuperuserFactory(),
    }


def signed_in(client, user):
    client.force_login(user)
    return client


def detail_url(park) -> str:
    return reverse("parks:detail", args=[park.slug])


# --- Login and access -------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, park):
    for url in (reverse("parks:list"), detail_url(park)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("role", ROLES)
def test_every_signed_in_user_sees_every_park(client, users, park, other_park, role):
    signed_in(client, users[role])

    listing = client.get(reverse("parks:list"))

    assertContains(listing, "Technopolis &quot;Himgrad&quot;")
    assertContains(listing, "Technopolis &quot;Gousev&quot;")
    assert client.get(detail_url(park)).status_code == 200
    assert client.get(detail_url(other_park)).status_code == 200


def test_unknown_park_is_404(client, users):
    signed_in(client, users["viewer"])

    assert client.get(reverse("parks:detail", args=["nowhere"])).status_code == 404


# --- The list ---------------------------------------------------------------------------------


def test_list_shows_profile_and_computed_figures(client, users, park):
    park.sectors.add(SectorFactory(name="Nanoindustry"))
    company = ResidentCompanyFactory(technopolis=park)
    ProductFactory.create_batch(2, company=company)
    signed_in(client, users["viewer"])

    response = client.get(reverse("parks:list"))

    listed = {p.slug: p for p in response.context["page_obj"]}
    assert (listed["himgrad"].figure_resident_companies, listed["himgrad"].figure_products) == (1, 2)
    assertContains(response, "Nanoindustry")
    assertContains(response, "Republic of Tatarstan")
    assertContains(response, "private")


def test_list_sorts_by_name_both_ways(client, users, park, other_park):
    signed_in(client, users["viewer"])

    ascending = client.get(reverse("parks:list"), {"sort": "name"})
    descending = client.get(reverse("parks:list"), {"sort": "-name"})

    assert [p.slug for p in ascending.context["page_obj"]] == ["gousev", "himgrad"]
    assert [p.slug for p in descending.context["page_obj"]] == ["himgrad", "gousev"]


def test_list_ignores_an_unknown_sort(client, users, park, other_park):
    signed_in(client, users["viewer"])

    response = client.get(reverse("parks:list"), {"sort": "password"})

    assert [p.slug for p in response.context["page_obj"]] == ["gousev", "himgrad"]


def test_list_paginates_over_50_parks(client, users):
    TechnopolisFactory.create_batch(50)
    signed_in(client, users["viewer"])

    response = client.get(reverse("parks:list"))

    assert response.context["page_obj"].paginator.num_pages == 2
    assert len(response.context["page_obj"]) == 50


# --- The park's page --------------------------------------------------------------------------


def test_page_shows_the_profile_with_unknowns_said(client, users):
    park = TechnopolisFactory(
        slug="vague",
        receives_government_funding=None,
        management_company="",
        cluster_focus="Oil-field chemistry",
        website="https://example.org/park",
        description="A park on the Kama.",
    )
    signed_in(client, users["viewer"])

    response = client.get(detail_url(park))

    assertContains(response, "Oil-field chemistry")
    assertContains(response, "https://example.org/park")
    assertContains(response, "A park on the Kama.")
    assertContains(response, "not known", count=2)
    # The missing data note, from the park's completeness rules.
    assertContains(response, "<strong>Missing data:</strong>\n  government funding, management company.")


def test_page_lists_facilities_and_people(client, users, park):
    FacilityFactory(
        technopolis=park, kind=Facility.Kind.LAB_COMPLEX, name="Lab complex", status="operating", year_opened=2010
    )
    PersonFactory(technopolis=park, full_name="Ivan Petrov", position="General director")
    signed_in(client, users["viewer"])

    response = client.get(detail_url(park))

    assertContains(response, "lab complex")
    assertContains(response, "Lab complex")
    assertContains(response, "operating")
    assertContains(response, "2010")
    assertContains(response, "Ivan Petrov")
    assertContains(response, "General director")
    assertNotContains(response, "Missing data")


def test_page_figures_match_the_records_and_reported_figures_show(client, users, park):
    today = timezone.localdate()
    current = ResidentCompanyFactory(technopolis=park)
    ResidentCompanyFactory(technopolis=park, residency_end=today - datetime.timedelta(days=1))
    ProductFactory.create_batch(3, company=current)
    IntellectualPropertyFactory.create_batch(2, company=current)
    IntellectualPropertyFactory(company=current, kind=IntellectualProperty.Kind.SOFTWARE)
    KnowHowFactory(company=current)
    ReportedFiguresFactory(
        technopolis=park,
        source="Forum press release",
        quote="120 resident companies do business here",
        resident_companies=120,
        products=100,
        patents_and_trademarks=60,
        know_how=20,
    )
    signed_in(client, users["viewer"])

    response = client.get(detail_url(park))

    shown = response.context["park"]
    assert (
        shown.figure_resident_companies,
        shown.figure_products,
        shown.figure_patents_and_trademarks,
        shown.figure_know_how,
    ) == (1, 3, 2, 1)
    assertContains(response, "Forum press release")
    assertContains(response, "120 resident companies do business here")
    for reported in ("120", "100", "60", "20"):
        assertContains(response, f'<td class="text-end">{reported}</td>', html=True)


def test_page_lists_current_residents_only_and_links_to_the_full_list(client, users, park):
    today = timezone.localdate()
    ResidentCompanyFactory(technopolis=park, name="Current Co")
    ResidentCompanyFactory(technopolis=park, name="Gone Co", residency_end=today - datetime.timedelta(days=1))
    signed_in(client, users["viewer"])

    response = client.get(detail_url(park))

    assertContains(response, "Current Co")
    assertNotContains(response, "Gone Co")
    assertContains(response, f"/residents/?park={park.pk}")


def test_page_lists_at_most_20_residents(client, users, park):
    ResidentCompanyFactory.create_batch(25, technopolis=park)
    signed_in(client, users["viewer"])

    response = client.get(detail_url(park))

    assert len(response.context["residents"]) == 20


def test_page_lists_the_agreements_the_user_may_see(client, users, park, other_park):
    third = TechnopolisFactory()
    own = agreement_with_parties(park, other_park, title="Joint polymer lab")
    public = agreement_with_parties(other_park, third, title="Public forum accord", is_public=True)
    agreement_with_parties(other_park, third, title="Confidential licence")
    unrelated = agreement_with_parties(park, third, title="Himgrad only")
    signed_in(client, users["viewer"])

    response = client.get(detail_url(other_park))

    assert {a.pk for a in response.context["agreements"]} == {own.pk, public.pk}
    assertContains(response, "Joint polymer lab")
    assertContains(response, "Public forum accord")
    assertNotContains(response, "Confidential licence")
    assertNotContains(response, unrelated.title)


def test_admin_sees_every_agreement_of_the_park(client, users, other_park):
    agreement_with_parties(other_park, TechnopolisFactory(), title="Confidential licence")
    signed_in(client, users["admin"])

    assertContains(client.get(detail_url(other_park)), "Confidential licence")


def test_page_lists_at_most_20_agreements_each_once(client, users, park, other_park):
    for _ in range(22):
        agreement_with_parties(park, other_park)
    signed_in(client, users["viewer"])

    response = client.get(detail_url(park))

    shown = [a.pk for a in response.context["agreements"]]
    assert len(shown) == len(set(shown)) == 20
    assert response.context["more_agreements"] is True


# --- Query budgets ----------------------------------------------------------------------------


def fill_parks(count: int) -> None:
    sector = SectorFactory()
    for park in TechnopolisFactory.create_batch(count):
        park.sectors.add(sector)
        ProductFactory(company=ResidentCompanyFactory(technopolis=park))


@pytest.mark.parametrize("rows", [5, 50])
def test_park_list_runs_a_fixed_number_of_queries(client, users, rows, django_assert_num_queries):
    fill_parks(rows)
    signed_in(client, users["viewer"])

    # session, user, count, the page of parks with their figures, their sectors,
    # the user's park roles (navigation), the sectors offered by the filter.
    with django_assert_num_queries(6):
        response = client.get(reverse("parks:list"))
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [5, 50])
def test_park_page_runs_a_fixed_number_of_queries(client, users, park, other_park, rows, django_assert_num_queries):
    park.sectors.add(*SectorFactory.create_batch(3))
    for index in range(rows):
        FacilityFactory(technopolis=park)
        PersonFactory(technopolis=park)
        ReportedFiguresFactory(technopolis=park, products=index)
        company = ResidentCompanyFactory(technopolis=park)
        ProductFactory(company=company)
        agreement_with_parties(park, other_park, is_public=True)
    signed_in(client, users["other_editor"])

    # session, user, the park (figures, missing data, and its sectors, facilities, reported figures
    # and people as JSON arrays), current residents, the user's park roles, whether an agreement
    # makes the reader a partner (for people's addresses), agreements, their parties with parks, and
    # its milestones per quarter (the track record).
    with django_assert_num_queries(9):
        response = client.get(detail_url(park))
    assert response.status_code == 200


# --- Change history -----------------------------------------------------------------------------


def test_history_lists_changes_of_the_park_its_facilities_and_people_newest_first(client, users, park):
    park.city = "Naberezhnye Chelny"
    park.save()
    FacilityFactory(technopolis=park, name="Incubator One")
    PersonFactory(technopolis=park, full_name="Maria Stoyanova")
    signed_in(client, users["viewer"])

    page = client.get(detail_url(park))
    assertContains(page, f'href="{reverse("parks:history", args=[park.slug])}"')
    response = client.get(reverse("parks:history", args=[park.slug]))

    subjects = [entry.subject for entry in response.context["history"]]
    assert subjects[:3] == ["Person: Maria Stoyanova", "Facility: Incubator One", "Park"]
    city_change = response.context["history"][2].changes
    assert [(change.label, change.new) for change in city_change] == [("city", "Naberezhnye Chelny")]
    assertContains(response, "Maria Stoyanova")


def test_admin_changes_to_a_person_show_who_made_them(admin_client, park):
    person = PersonFactory(technopolis=park, full_name="Artem Zdunov", position="")
    form = admin_client.get(reverse("admin:parks_person_change", args=[person.pk])).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(full_name="Artem Zdunov", position="Director", technopolis=park.pk, language="en")

    admin_client.post(reverse("admin:parks_person_change", args=[person.pk]), data)

    entry = client_history(admin_client, park)[0]
    assert entry.subject == "Person: Artem Zdunov"
    assert ("position", "Director") in [(change.label, change.new) for change in entry.changes]
    assert entry.user is not None and entry.user.is_superuser


def client_history(client, park):
    return client.get(reverse("parks:history", args=[park.slug])).context["history"]


# --- Contacts' addresses ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reader", "partners", "sees"),
    [
        ("viewer", False, True),  # the park's own staff
        ("other_editor", True, True),  # the staff of a park that has an agreement with it
        ("other_editor", False, False),  # another park's staff, no agreement between them
        ("nobody", True, False),  # signed in, in no park
        ("admin", False, True),
    ],
)
def test_peoples_addresses_are_for_the_park_its_partners_and_admins(
    client, users, park, other_park, reader, partners, sees
):
    PersonFactory(technopolis=park, full_name="Maria Stoyanova", email="maria@himgrad.example.org", phone="+7 843 000")
    if partners:
        agreement_with_parties(park, other_park, is_public=True)
    user = UserFactory() if reader == "nobody" else users[reader]
    signed_in(client, user)

    response = client.get(detail_url(park))

    assertContains(response, "Maria Stoyanova")
    assert ("maria@himgrad.example.org" in response.content.decode()) is sees
    assert ("+7 843 000" in response.content.decode()) is sees


def test_the_history_keeps_an_address_change_from_those_who_may_not_read_addresses(client, users, park):
    person = PersonFactory(technopolis=park, full_name="Maria Stoyanova", email="old@himgrad.example.org")
    person.email = "new@himgrad.example.org"
    person.position = "Chief engineer"
    person.save()

    outsider = client_history(signed_in(client, UserFactory()), park)[0]
    colleague = client_history(signed_in(client, users["viewer"]), park)[0]

    assert [change.label for change in outsider.changes] == ["position"]
    assert {change.label for change in colleague.changes} == {"position", "e-mail"}


def test_history_times_are_valid_html_datetimes_without_microseconds(client, users, park):
    park.city = "Elabuga"
    park.save()

    html = signed_in(client, users["viewer"]).get(reverse("parks:history", args=[park.slug])).content.decode()

    stamps = re.findall(r'<time datetime="([^"]+)"', html)
    assert stamps
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", stamp) for stamp in stamps), stamps
