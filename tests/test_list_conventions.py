"""One way across every list: `?sort=` with one sort header, and both export buttons behind one definition."""

import re

import pytest
from django.urls import reverse

from parks.models import Membership
from tests import factories

pytestmark = pytest.mark.django_db

# Each list, a column it sorts by, and the kind its export buttons download (None: no export).
LISTS = [
    ("agreements:list", "reference", "agreements"),
    ("agreements:milestones", "due_on", "milestones"),
    ("residents:list", "name", "companies"),
    ("ip:list", "title", "ip"),
    ("parks:list", "name", None),
]


@pytest.fixture
def signed_in(client):
    park = factories.TechnopolisFactory(name="Alpha")
    # One row in each list, so that each shows its table.
    factories.MilestoneFactory(agreement=factories.agreement_with_parties(park))
    factories.IntellectualPropertyFactory(company=factories.ResidentCompanyFactory(technopolis=park))
    client.force_login(factories.member(park, Membership.Role.EDITOR))
    return client


@pytest.mark.parametrize("url_name, field, kind", LISTS)
def test_every_list_sorts_by_sort_and_its_header_says_how(signed_in, url_name, field, kind):
    ascending = signed_in.get(reverse(url_name), {"sort": field}).content.decode()
    descending = signed_in.get(reverse(url_name), {"sort": f"-{field}"}).content.decode()

    assert ascending.count('aria-sort="ascending"') == 1
    assert f'href="?sort=-{field}"' in ascending
    assert descending.count('aria-sort="descending"') == 1
    assert f'href="?sort={field}"' in descending
    assert "?o=" not in ascending


@pytest.mark.parametrize("url_name, field, kind", [row for row in LISTS if row[2]])
def test_both_export_buttons_download_the_lists_records_with_its_filters_and_sort(signed_in, url_name, field, kind):
    page = signed_in.get(reverse(url_name), {"sort": f"-{field}", "page": "1"}).content.decode()

    links = set(re.findall(r'href="(/[^"]*/export/[^"]*)"', page))

    expected = {
        reverse("exchange:export", args=[kind, file_format]) + f"?sort=-{field}" for file_format in ("csv", "xlsx")
    }
    assert expected <= {link.replace("&amp;", "&") for link in links}


def test_the_park_list_sorts_by_its_residents_figure(signed_in):
    busy, quiet = factories.TechnopolisFactory(name="Busy"), factories.TechnopolisFactory(name="Quiet")
    factories.ResidentCompanyFactory.create_batch(3, technopolis=busy)
    factories.ResidentCompanyFactory.create_batch(2, technopolis=quiet)

    response = signed_in.get(reverse("parks:list"), {"sort": "-residents"})

    figures = [(park.name, park.figure_resident_companies) for park in response.context["page_obj"]]
    assert figures[:3] == [("Busy", 3), ("Quiet", 2), ("Alpha", 1)], figures


# Each list with a filter that matches nothing, what it says then, and what it says when nothing is recorded.
EMPTY_LISTS = [
    ("agreements:list", {"q": "nothing-like-this"}, "No agreement matches these filters.", "No agreements you may see"),
    ("agreements:milestones", {"agreement": "nothing-like"}, "No milestone matches these filters.", "No milestones"),
    ("residents:list", {"q": "nothing-like-this"}, "No company matches these filters.", "No resident companies are"),
    ("ip:list", {"q": "nothing-like-this"}, "No IP record matches these filters.", "No IP records are recorded"),
]


@pytest.mark.parametrize("url_name, narrowing, filtered, empty", EMPTY_LISTS)
def test_an_empty_list_blames_the_filters_only_when_some_are_set(client, url_name, narrowing, filtered, empty):
    client.force_login(factories.member(factories.TechnopolisFactory(), Membership.Role.EDITOR))

    unfiltered = client.get(reverse(url_name), {"sort": "-pk", "page": "1"}).content.decode()
    narrowed = client.get(reverse(url_name), narrowing).content.decode()

    assert empty in unfiltered
    assert "matches these filters" not in unfiltered
    assert filtered in narrowed
    assert f'<a href="{reverse(url_name)}">Show all</a>' in narrowed


def test_the_park_list_has_the_same_filter_bar_as_every_list(signed_in):
    factories.TechnopolisFactory(name_en="Technopolis Gousev", name_ru="Технополис «Гусев»", city="Gousev")

    by_russian_name = signed_in.get(reverse("parks:list"), {"q": "гусев"}).content.decode()
    nothing = signed_in.get(reverse("parks:list"), {"q": "nothing-like-this"}).content.decode()

    assert 'class="card card-body mb-3 filter-form"' in by_russian_name
    assert "Technopolis Gousev" in by_russian_name and "Alpha" not in by_russian_name
    assert "1 park" in by_russian_name
    assert "No park matches these filters." in nothing
