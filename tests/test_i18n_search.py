"""Search by a name in either language, lists sorted as the reader's language sorts, CSV for Excel."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from agreements.models import Agreement
from parks.models import Membership, Technopolis
from residents.models import ResidentCompany
from tests.factories import ResidentCompanyFactory, TechnopolisFactory, agreement_with_parties, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def himgrad():
    return TechnopolisFactory(
        name_en='Technopolis "Himgrad"', name_ru="Технополис «Химград»", short_name_en="Himgrad",
        short_name_ru="Химград", city_en="Kazan", city_ru="Казань",
    )  # fmt: skip


@pytest.fixture
def reader(himgrad):
    return member(himgrad, Membership.Role.VIEWER, username="reader")


def get(client, url: str, language: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("query", ["Химград", "химгр", "Himgrad", "Казань", "kazan"])
def test_the_global_search_finds_a_park_by_its_name_or_city_in_either_language(client, reader, language, query):
    client.force_login(reader)
    html = get(client, reverse("portal:search") + f"?q={query}", language)

    expected = "Технополис «Химград»" if language == "ru" else "Technopolis &quot;Himgrad&quot;"
    assert expected in html


@pytest.mark.parametrize("language", ["en", "ru"])
def test_companies_and_agreements_are_found_by_either_language_in_their_lists(client, himgrad, reader, language):
    ResidentCompanyFactory(technopolis=himgrad, name_en="Polymer Systems", name_ru="Полимерные системы")
    ResidentCompanyFactory(technopolis=himgrad, name_en="Other Company", name_ru="Другая компания")
    agreement_with_parties(
        himgrad, TechnopolisFactory(), title_en="Radio electronics cluster", title_ru="Кластер радиоэлектроники",
        status=Agreement.Status.SIGNED, is_public=True,
    )  # fmt: skip
    client.force_login(reader)

    for query in ("полимер", "Polymer"):
        html = get(client, reverse("residents:list") + f"?q={query}", language)
        assert ("Полимерные системы" if language == "ru" else "Polymer Systems") in html
        assert "Другая компания" not in html and "Other Company" not in html
    for query in ("радиоэлектрон", "electronics"):
        html = get(client, reverse("agreements:list") + f"?q={query}", language)
        assert ("Кластер радиоэлектроники" if language == "ru" else "Radio electronics cluster") in html


NAMES_RU = ["Ёлка", "Елена", "Ежевика", "алмаз", "Жук", "Apple", "zebra"]


def test_russian_lists_sort_as_russian_does_and_english_lists_as_english_does():
    for position, name in enumerate(NAMES_RU):
        TechnopolisFactory(name_en=None, name_ru=name, slug=f"park-{position}")

    with translation.override("ru"):
        russian = [park.name for park in Technopolis.objects.all()]
    with translation.override("en"):
        english = [park.name for park in Technopolis.objects.all()]

    # Russian: Cyrillic first, ё sorted with е, capitals beside small letters; Latin after.
    assert russian == ["алмаз", "Ежевика", "Елена", "Ёлка", "Жук", "Apple", "zebra"]
    assert english == ["Apple", "zebra", "алмаз", "Ежевика", "Елена", "Ёлка", "Жук"]


def test_a_list_sorts_by_the_readers_language_with_the_other_one_filling_gaps(client, himgrad, reader):
    ResidentCompanyFactory(technopolis=himgrad, name_en="Alpha", name_ru="Яхонт")
    ResidentCompanyFactory(technopolis=himgrad, name_en="Zenith", name_ru="Аврора")
    ResidentCompanyFactory(technopolis=himgrad, name_en="Beta", name_ru=None)

    with translation.override("ru"):
        assert [c.name for c in ResidentCompany.objects.all()] == ["Аврора", "Яхонт", "Beta"]
    with translation.override("en"):
        assert [c.name for c in ResidentCompany.objects.all()] == ["Alpha", "Beta", "Zenith"]
    client.force_login(reader)
    html = get(client, reverse("residents:list") + "?sort=-name", "ru")
    assert html.index("Beta") < html.index("Яхонт") < html.index("Аврора")


def test_the_csv_export_is_excel_ready_utf8_with_the_readers_names(client, himgrad, reader):
    ResidentCompanyFactory(technopolis=himgrad, name_en="Polymer Systems", name_ru="Полимерные системы")
    client.force_login(reader)

    russian = get(client, reverse("exchange:export", args=["companies", "csv"]), "ru")
    english = get(client, reverse("exchange:export", args=["companies", "csv"]), "en")

    assert russian.startswith("\ufeff") and english.startswith("\ufeff")
    header, row = russian.removeprefix("\ufeff").splitlines()[:2]
    russian_row = dict(zip(header.split(","), row.split(","), strict=True))
    assert russian_row["Название"] == "Полимерные системы"
    assert russian_row["Парк"] == "Технополис «Химград»"  # the park's full name, which the importer reads back
    header, row = english.removeprefix("\ufeff").splitlines()[:2]
    assert dict(zip(header.split(","), row.split(","), strict=True))["Name"] == "Polymer Systems"
