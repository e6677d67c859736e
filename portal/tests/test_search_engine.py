"""Search by meaning in both languages (issue 15): stemmed words in English and Russian, names typed
in part or misspelt, best matches first, a snippet with the words found, nothing of the stored text
taken as HTML. PostgreSQL (the SQLite quick run matches substrings, see tests/test_sqlite_quick_run)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from agreements.models import Milestone
from parks.models import Membership
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("portal:search")


@pytest.fixture
def himgrad():
    return factories.TechnopolisFactory(
        name_en="Technopolis Himgrad",
        name_ru="Технополис «Химград»",
        short_name_en="Himgrad",
        short_name_ru="Химград",
        description_en="A chemical park. Its residents make polymers and composite materials.",
        description_ru="Химический парк. Резиденты производят полимеры и композиционные материалы.",
    )


@pytest.fixture
def gousev():
    return factories.TechnopolisFactory(
        name_en="Technopolis Gousev", name_ru="Технополис «Гусев»", short_name_en="Gousev"
    )


@pytest.fixture
def client(client, himgrad):
    client.force_login(factories.member(himgrad, Membership.Role.EDITOR))
    return client


def made(client, query: str):
    """The search page made afresh (not its kept body, common.page_cache), so that its results can be read."""
    cache.clear()
    return client.get(URL, {"q": query})


def found(client, query: str, kind: str) -> list[str]:
    response = made(client, query)
    assert response.status_code == 200
    return [str(record) for record in response.context["results"].of(kind).rows]


def test_the_search_runs_on_postgresql():
    assert connection.vendor == "postgresql"


@pytest.mark.parametrize("query", ["Gusev", "Gousev", "gousev", "Гусев", "Gusev technopolis"])
def test_a_name_typed_misspelt_or_in_the_other_language_is_found(client, gousev, himgrad, query):
    assert found(client, query, "parks") == ["Gousev"]


@pytest.mark.parametrize("query", ["химгра", "Химград", "himgr", "Himgrad"])
def test_a_name_typed_in_part_is_found(client, himgrad, gousev, query):
    assert found(client, query, "parks") == ["Himgrad"]


def test_words_are_found_whatever_their_form_in_english_and_in_russian(client, himgrad):
    agreement = factories.agreement_with_parties(
        himgrad,
        factories.TechnopolisFactory(),
        title_en="Joint research programme",
        title_ru="Совместная исследовательская программа",
        subject_en="The parties will train engineers and organise internships.",
        subject_ru="Стороны будут обучать инженеров и организовывать стажировки.",
    )
    for query in ["internship", "training engineer", "стажировка", "инженеры", "программы"]:
        assert found(client, query, "agreements") == [str(agreement)], query


def test_all_the_words_must_be_found(client, himgrad):
    factories.agreement_with_parties(himgrad, factories.TechnopolisFactory(), title_en="Robotics laboratory")
    assert found(client, "robotics laboratory", "agreements") != []
    assert found(client, "robotics kindergarten", "agreements") == []


def test_registration_numbers_and_inn_are_found_in_part(client, himgrad):
    company = factories.ResidentCompanyFactory(technopolis=himgrad, name_en="Polymer Plant", inn="1650123456")
    factories.IntellectualPropertyFactory(company=company, registration_number="RU2791234", title="Catalyst")
    assert found(client, "650123", "companies") == ["Polymer Plant"]
    assert [record.registration_number for record in made(client, "2791").context["results"].of("ip_records").rows] == [
        "RU2791234"
    ]


def test_the_best_match_comes_first(client, himgrad):
    for name in ["Polymer Composites", "Chemical Polymer Polymer Works", "Advanced Materials"]:
        factories.ResidentCompanyFactory(technopolis=himgrad, name_en=name)
    factories.ResidentCompanyFactory(technopolis=himgrad, name_en="Polymer")
    assert found(client, "polymer", "companies")[0] == "Polymer"
    assert "Advanced Materials" not in found(client, "polymer", "companies")


def test_a_snippet_shows_the_words_found_marked_and_nothing_else_as_html(client, himgrad):
    agreement = factories.agreement_with_parties(
        himgrad,
        factories.TechnopolisFactory(),
        title_en="Pilot line",
        subject_en="Build a <script>alert(1)</script> line where cost < 5 & yield > 90 for recycled polymers.",
    )
    response = client.get(URL, {"q": "recycled"})
    body = response.content.decode()
    assert found(client, "recycled", "agreements") == [str(agreement)]
    assert "<mark>recycled</mark>" in body
    assert "cost &lt; 5 &amp; yield &gt; 90" in body
    assert "<script>alert(1)" not in body


def test_a_milestone_is_found_by_its_description_with_a_snippet(client, himgrad):
    agreement = factories.agreement_with_parties(himgrad, factories.TechnopolisFactory())
    factories.MilestoneFactory(
        agreement=agreement,
        title_en="First intake",
        description_en="The first intake of startups into the accelerator is planned for March.",
        status=Milestone.Status.PLANNED,
    )
    response = client.get(URL, {"q": "startups accelerator"})
    assert [record.title for record in response.context["results"].of("milestones").rows] == ["First intake"]
    assert "<mark>startups</mark>" in response.content.decode()


@pytest.mark.parametrize(
    ("model", "searched", "fuzzy", "index"),
    [
        ("residents.ResidentCompany", "COMPANY_SEARCH", False, "residents_residentcompany_search"),
        ("agreements.Milestone", "MILESTONE_SEARCH", False, "agreements_milestone_search"),
        ("residents.IntellectualProperty", "IP_SEARCH", False, "residents_intellectualproperty_search"),
        ("residents.ResidentCompany", "COMPANY_SEARCH", True, "company_s1"),
        ("agreements.Milestone", "MILESTONE_SEARCH", True, "milestone_s1"),
    ],
)
def test_the_gin_indexes_serve_the_search(model, searched, fuzzy, index):
    """The stored words' index serves an exact search, the names' trigram indexes a fuzzy one, so
    PostgreSQL can answer from them instead of reading every row (seq scans are switched off to ask
    whether it can)."""
    from importlib import import_module

    from django.apps import apps

    from common.search import Query

    model = apps.get_model(model)
    spec = getattr(import_module(model.__module__), searched)
    query = Query("polymer", fuzzy=frozenset({"polymer"}) if fuzzy else frozenset())
    sql, params = model.objects.filter(spec.match(query)).order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert f"Bitmap Index Scan on {index}" in plan, plan


def test_a_query_matches_exactly_when_a_word_is_found_and_closely_only_when_none_is(client, gousev, himgrad):
    from common.search import Query

    assert Query.of("Gousev").fuzzy == frozenset()
    assert Query.of("Gusev").fuzzy == {"Gusev"}
    assert Query.of("Gusev technopolis").fuzzy == {"Gusev"}
    assert Query.of("").fuzzy == frozenset()


def test_each_word_is_matched_its_own_way(client, gousev, himgrad):
    """ "technopolis" is a word of both parks' names, "Gusev" of none: the first is matched as a word,
    the second by closeness, and both must match."""
    assert found(client, "technopolis Gusev", "parks") == ["Gousev"]
    assert found(client, "technopolis himgrd", "parks") == ["Himgrad"]


def test_the_stored_words_follow_every_change_of_the_record(client, himgrad):
    """A trigger keeps the words: a renamed company is found by its new name, not by its old one."""
    company = factories.ResidentCompanyFactory(technopolis=himgrad, name_en="Catalyst Works")
    assert found(client, "catalysts", "companies") == ["Catalyst Works"]
    company.name_en = "Membrane Systems"
    company.save()
    assert found(client, "membranes", "companies") == ["Membrane Systems"]
    assert found(client, "catalysts", "companies") == []


def test_an_agreement_is_found_by_its_parties_names_not_by_what_their_descriptions_say(client, himgrad, gousev):
    agreement = factories.agreement_with_parties(himgrad, gousev, title_en="Joint programme", subject_en="Training.")
    assert found(client, "Himgrad", "agreements") == [str(agreement)]
    # "polymers" is in Himgrad's description only: the park is found, its agreements are not.
    assert found(client, "polymers", "parks") == ["Himgrad"]
    assert found(client, "polymers", "agreements") == []


def test_the_snippet_marks_the_words_found_in_a_russian_text(client, himgrad):
    client.post(reverse("accounts:set_language"), {"language": "ru", "next": "/"})
    # Another form of the word than the text's: found by its stem, and marked as the text writes it.
    response = client.get(URL, {"q": "полимер"})
    assert found(client, "полимер", "parks") == ["Химград"]
    assert "<mark>полимеры</mark>" in response.content.decode()
