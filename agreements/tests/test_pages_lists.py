"""The agreement and milestone lists: filters, search, sorting, pagination, CSV exports, query budgets."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from agreements.models import Agreement, Milestone
from parks.models import Membership
from tests import factories


def references(response) -> list[str]:
    return [agreement.reference for agreement in response.context["page_obj"].object_list]


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


# --- Agreements -------------------------------------------------------------------------------


def test_the_list_shows_what_the_user_may_see(client, world):
    client.force_login(world.viewer)

    response = client.get(reverse("agreements:list"))

    assert sorted(references(response)) == ["AB-001", "BC-002"]
    assert "Alpha, Beta" in response.content.decode()


def test_the_list_searches_reference_title_and_subject(client, world):
    factories.agreement_with_parties(
        world.park_a, world.park_b, reference="SUB-9", title="Other", subject="Photonics cluster", is_public=True
    )
    client.force_login(world.viewer)

    assert references(client.get(reverse("agreements:list"), {"q": "ab-0"})) == ["AB-001"]
    assert references(client.get(reverse("agreements:list"), {"q": "memorandum"})) == ["BC-002"]
    assert references(client.get(reverse("agreements:list"), {"q": "photonics"})) == ["SUB-9"]


def test_the_list_filters_by_status_park_kind_year_and_sector(client, world):
    sector = factories.SectorFactory(name="Photonics")
    licensing = factories.agreement_with_parties(
        world.park_a,
        world.park_c,
        reference="LIC-1",
        kind=Agreement.Kind.LICENSING,
        signed_on=datetime.date(2024, 6, 20),
        is_public=True,
    )
    licensing.sectors.add(sector)
    client.force_login(world.viewer)
    url = reverse("agreements:list")

    assert references(client.get(url, {"status": "negotiation"})) == ["AB-001"]
    assert sorted(references(client.get(url, {"park": world.park_c.pk}))) == ["BC-002", "LIC-1"]
    assert references(client.get(url, {"kind": "licensing"})) == ["LIC-1"]
    assert references(client.get(url, {"year": "2024"})) == ["LIC-1"]
    assert references(client.get(url, {"sector": sector.pk})) == ["LIC-1"]
    assert references(client.get(url, {"status": "active"})) == []


def test_the_year_filter_offers_only_years_of_visible_agreements(client, world):
    factories.agreement_with_parties(world.park_b, world.park_c, signed_on=datetime.date(2019, 5, 1))
    factories.agreement_with_parties(world.park_a, world.park_b, signed_on=datetime.date(2021, 5, 1))
    client.force_login(world.viewer)

    choices = client.get(reverse("agreements:list")).context["filter"].form.fields["year"].choices

    assert [value for value, _label in choices if value] == [2021]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("reference", ["A-1", "B-2", "C-3"]),
        ("-reference", ["C-3", "B-2", "A-1"]),
        ("title", ["C-3", "A-1", "B-2"]),
        ("-title", ["B-2", "A-1", "C-3"]),
        ("signed_on", ["B-2", "A-1", "C-3"]),
        ("-signed_on", ["A-1", "B-2", "C-3"]),
        ("expires_on", ["B-2", "A-1", "C-3"]),
        ("-expires_on", ["A-1", "B-2", "C-3"]),
        ("status", ["A-1", "C-3", "B-2"]),
        ("-status", ["B-2", "C-3", "A-1"]),
    ],
)
def test_the_list_sorts_by_each_column_both_ways_with_empty_dates_last(client, db, sort, expected):
    admin = factories.SuperuserFactory()
    factories.AgreementFactory(
        reference="A-1", title="Beta", signed_on=datetime.date(2025, 1, 1), expires_on=datetime.date(2030, 1, 1)
    )
    factories.AgreementFactory(
        reference="B-2",
        title="Gamma",
        status=Agreement.Status.SIGNED,
        signed_on=datetime.date(2024, 1, 1),
        expires_on=datetime.date(2029, 1, 1),
    )
    factories.AgreementFactory(
        reference="C-3", title="Alpha", status=Agreement.Status.NEGOTIATION, signed_on=None, expires_on=None
    )
    client.force_login(admin)

    assert references(client.get(reverse("agreements:list"), {"sort": sort})) == expected


def test_column_headers_link_to_sorting_and_keep_the_filters(client, world):
    client.force_login(world.viewer)

    page = client.get(reverse("agreements:list"), {"status": "negotiation", "sort": "title"}).content.decode()

    assert 'href="?status=negotiation&amp;sort=-title"' in page
    assert 'href="?status=negotiation&amp;sort=reference"' in page
    assert 'aria-sort="ascending"' in page


def test_the_list_pages_by_25_and_keeps_the_filters_in_the_page_links(client, db):
    admin = factories.SuperuserFactory()
    factories.AgreementFactory.create_batch(30, status=Agreement.Status.DRAFT)
    client.force_login(admin)

    first = client.get(reverse("agreements:list"), {"status": "draft"})
    second = client.get(reverse("agreements:list"), {"status": "draft", "page": 2})

    assert len(references(first)) == 25
    assert len(references(second)) == 5
    assert set(references(first)).isdisjoint(references(second))
    assert 'href="?status=draft&amp;page=2"' in first.content.decode()


def test_the_list_shows_overdue_milestones_and_the_next_one(client, world):
    today = datetime.date.today()
    factories.MilestoneFactory(agreement=world.agreement, due_on=today - datetime.timedelta(days=3))
    factories.MilestoneFactory(agreement=world.agreement, due_on=today + datetime.timedelta(days=10))
    world.milestone.delete()
    client.force_login(world.viewer)

    row = next(a for a in client.get(reverse("agreements:list")).context["page_obj"] if a.reference == "AB-001")

    assert row.overdue_milestones == 1
    assert row.next_milestone_on == today + datetime.timedelta(days=10)


def test_the_export_honours_the_filters_and_translates_its_header(client, world):
    client.force_login(world.viewer)

    rows = csv_rows(client.get(reverse("exchange:export", args=["agreements", "csv"]), {"q": "AB-001"}))

    assert rows[0][:5] == ["Reference", "Title", "Kind", "Status", "Parties"]
    assert [row[0] for row in rows[1:]] == ["AB-001"]
    assert rows[1][3] == "negotiation"
    assert rows[1][4] == "Innopolis Alpha; Technopolis Beta"  # full names, which import again


def test_the_export_link_keeps_the_filters(client, world):
    client.force_login(world.viewer)

    page = client.get(reverse("agreements:list"), {"status": "draft", "page": "1"}).content.decode()

    assert f'href="{reverse("exchange:export", args=["agreements", "csv"])}?status=draft"' in page


# --- Milestones -------------------------------------------------------------------------------


@pytest.fixture
def milestones(world):
    """Milestones of the A-B agreement around a fixed today, plus one of the B-C public agreement."""
    make = factories.MilestoneFactory
    return {
        "late": make(agreement=world.agreement, title="Late", due_on=datetime.date(2026, 3, 1)),
        "done": make(
            agreement=world.agreement,
            title="Done",
            due_on=datetime.date(2026, 2, 1),
            status=Milestone.Status.DONE,
            completed_on=datetime.date(2026, 2, 1),
        ),
        "soon": make(
            agreement=world.agreement,
            title="Soon",
            due_on=datetime.date(2026, 12, 1),
            responsible_technopolis=world.park_b,
        ),
        "public": make(agreement=world.public, title="Public one", due_on=datetime.date(2027, 1, 1)),
    }


@pytest.fixture
def frozen_today(monkeypatch, today):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: today)
    return today


def titles(response) -> list[str]:
    return [row.milestone.title for row in response.context["rows"]]


def test_the_milestones_list_filters_overdue_status_park_dates_and_agreement(client, world, milestones, frozen_today):
    client.force_login(world.viewer)
    url = reverse("agreements:milestones")
    world.milestone.delete()

    assert titles(client.get(url)) == ["Done", "Late", "Soon", "Public one"]
    assert titles(client.get(url, {"overdue": "yes"})) == ["Late"]
    assert titles(client.get(url, {"overdue": "no"})) == ["Done", "Soon", "Public one"]
    assert titles(client.get(url, {"status": "done"})) == ["Done"]
    assert titles(client.get(url, {"park": world.park_b.pk})) == ["Soon"]
    assert titles(client.get(url, {"due_from": "2026-02-15", "due_to": "2026-12-31"})) == ["Late", "Soon"]
    assert titles(client.get(url, {"agreement": "memorandum"})) == ["Public one"]
    assert titles(client.get(url, {"sort": "-due_on"})) == ["Public one", "Soon", "Late", "Done"]


def test_overdue_milestones_stand_out_in_the_list(client, world, milestones, frozen_today):
    client.force_login(world.viewer)

    page = client.get(reverse("agreements:milestones"), {"overdue": "yes"}).content.decode()

    assert 'class="table-danger"' in page
    assert "overdue" in page


def test_the_milestones_export_honours_the_filters(client, world, milestones, frozen_today):
    client.force_login(world.viewer)

    rows = csv_rows(client.get(reverse("exchange:export", args=["milestones", "csv"]), {"overdue": "yes"}))

    assert rows[0][:3] == ["Agreement reference", "Title", "Due on"]
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert (row["Agreement reference"], row["Title"], row["Due on"], row["Status"]) == (
        "AB-001",
        "Late",
        "2026-03-01",
        "planned",
    )
    assert (row["Agreement title"], row["Overdue"], row["Completed on"]) == (
        "Alpha and Beta joint laboratory",
        "yes",
        "",
    )


def test_the_milestones_list_pages_by_25(client, world):
    factories.MilestoneFactory.create_batch(30, agreement=world.agreement)
    client.force_login(world.viewer)

    response = client.get(reverse("agreements:milestones"), {"page": 2})

    assert len(response.context["rows"]) == 31 - 25


# --- Query budgets ----------------------------------------------------------------------------


def _agreements_of_park(park, partner, count: int) -> None:
    for _ in range(count):
        agreement = factories.agreement_with_parties(park, partner, signed_on=datetime.date(2025, 1, 1))
        agreement.sectors.add(factories.SectorFactory())
        factories.MilestoneFactory(agreement=agreement, due_on=datetime.date(2020, 1, 1))
        factories.MilestoneFactory(agreement=agreement, due_on=datetime.date(2027, 1, 1))


# session, the user with their park roles, the years for the year filter, the count, the page of
# agreements (with next milestone and overdue count as subqueries, and their parties with parks as
# JSON in each row), the parks and the sectors offered by the filters; the records' version
# (common.page_cache).
LIST_QUERIES = 8


@pytest.mark.parametrize("count", [5, 50])
def test_the_list_runs_a_fixed_number_of_queries(client, db, django_assert_num_queries, count):
    park, partner = factories.TechnopolisFactory(), factories.TechnopolisFactory()
    _agreements_of_park(park, partner, count)
    client.force_login(factories.member(park, Membership.Role.EDITOR))

    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(reverse("agreements:list"), {"sort": "-signed_on"})

    assert len(response.context["page_obj"].object_list) == min(count, 25)


# session, the user with their park roles, the count, the page of milestones with their agreement and
# responsible park and person, the parks offered by the filter; the records' version.
MILESTONE_LIST_QUERIES = 6


@pytest.mark.parametrize("count", [5, 50])
def test_the_milestones_list_runs_a_fixed_number_of_queries(client, db, django_assert_num_queries, count):
    park, partner = factories.TechnopolisFactory(), factories.TechnopolisFactory()
    agreement = factories.agreement_with_parties(park, partner)
    factories.MilestoneFactory.create_batch(
        count, agreement=agreement, responsible_technopolis=park, responsible_person=factories.PersonFactory()
    )
    client.force_login(factories.member(park))

    with django_assert_num_queries(MILESTONE_LIST_QUERIES):
        response = client.get(reverse("agreements:milestones"), {"overdue": "no"})

    assert len(response.context["rows"]) == min(count, 25)


def test_the_exports_run_a_fixed_number_of_queries(client, django_assert_num_queries, db):
    park, partner = factories.TechnopolisFactory(), factories.TechnopolisFactory()
    _agreements_of_park(park, partner, 50)
    client.force_login(factories.member(park))

    # session, user, memberships, years of the filter; then agreements, parties, sectors.
    with django_assert_num_queries(6):
        assert len(csv_rows(client.get(reverse("exchange:export", args=["agreements", "csv"])))) == 51
    # session, user, memberships, then the milestones with their agreements.
    with django_assert_num_queries(3):
        assert len(csv_rows(client.get(reverse("exchange:export", args=["milestones", "csv"])))) == 101
