"""Pages in Russian and in English: labels, names and titles in the reader's language, dates as it writes them.

A Russian page shows no English (a scan of its text, titles and labels); a name not translated
yet shows in the other language rather than not at all.
"""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from agreements.models import Agreement
from parks.models import Membership, Person
from tests.factories import (
    FacilityFactory,
    MilestoneFactory,
    PersonFactory,
    ReportedFiguresFactory,
    ResidentCompanyFactory,
    TechnopolisFactory,
    agreement_with_parties,
    member,
)
from tests.support.i18n_text import english_left

pytestmark = pytest.mark.django_db

# Names that stay as they are in any language: formats, product names, the language switcher.
NOT_ENGLISH = {
    "CSV", "XLSX", "PDF", "API", "REST", "HTML", "INN", "Outlook", "Google", "Apple", "Thunderbird",
    "FreeOTP", "Aegis", "Word", "OpenDocument", "Excel", "RTF", "PNG", "JPEG", "English", "EN", "RU",
}  # fmt: skip


@pytest.fixture
def world():
    himgrad = TechnopolisFactory(
        name_en='Technopolis "Himgrad"', name_ru="Технополис «Химград»", short_name_en="Himgrad",
        short_name_ru="Химград", region_en="Republic of Tatarstan", region_ru="Республика Татарстан",
        city_en="Kazan", city_ru="Казань", management_company="УК «Химград»", slug="himgrad",
        cluster_focus_en="Low-tonnage chemistry", cluster_focus_ru="Малотоннажная химия",
        description_en="One of the largest sites in Tatarstan", description_ru="Одна из крупнейших площадок Татарстана",
    )  # fmt: skip
    ReportedFiguresFactory(
        technopolis=himgrad, source="Пресс-релиз", resident_companies=120,
        quote_en="120 resident companies do business here", quote_ru="Здесь ведут бизнес 120 компаний-резидентов",
    )  # fmt: skip
    gousev = TechnopolisFactory(
        name_en="Technopolis Gousev", name_ru="Технополис «Гусев»", short_name_en="Gousev", short_name_ru="Гусев",
        region_en="Kaliningrad Region", region_ru="Калининградская область", city_en="Gousev", city_ru="Гусев",
        management_company="УК «Гусев»", slug="гусев",
    )  # fmt: skip
    FacilityFactory(technopolis=gousev, name_en="Business incubator", name_ru="Бизнес-инкубатор")
    ResidentCompanyFactory(technopolis=himgrad, name_en="Polymer Systems", name_ru="Полимерные системы")
    person = PersonFactory(
        full_name_en="Yana Stoyanova", full_name_ru="Яна Стоянова", position_en="Marketing Director",
        position_ru="директор по маркетингу", organisation_en="Himgrad", organisation_ru="Химград",
        email="yana@example.org",
    )  # fmt: skip
    agreement = agreement_with_parties(
        himgrad, gousev, reference="HIM-GOU-001", status=Agreement.Status.SIGNED,
        title_en="Agreement on joint innovation cooperation",
        title_ru="Соглашение о совместной инновационной деятельности",
        subject_en="Mutual help on all levels of the innovation market",
        subject_ru="Взаимопомощь на всех уровнях инновационного рынка",
        signed_on=datetime.date(2026, 11, 5), effective_from=datetime.date(2026, 11, 5),
        expires_on=datetime.date(2028, 12, 31),
    )  # fmt: skip
    # The factory's signatories (English only) make way for the Russian-speaking one.
    agreement.parties.update(signatory=person)
    Person.objects.exclude(pk=person.pk).delete()
    MilestoneFactory(
        agreement=agreement, title_en="Appoint coordinators", title_ru="Назначить координаторов",
        description_en="Each park names its coordinator", description_ru="Каждый парк называет координатора",
        due_on=datetime.date(2027, 3, 15), responsible_technopolis=himgrad, responsible_person=person,
    )  # fmt: skip
    editor = member(himgrad, Membership.Role.EDITOR, username="editor", first_name="Анна", last_name="Иванова")
    return {"himgrad": himgrad, "gousev": gousev, "agreement": agreement, "editor": editor, "person": person}


def in_language(client, language: str):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_agreement_page_in_russian_has_russian_labels_title_and_dates(client, world):
    client.force_login(world["editor"])
    html = page(in_language(client, "ru"), reverse("agreements:detail", args=[world["agreement"].pk]))

    assert '<html lang="ru">' in html
    assert "Соглашение о совместной инновационной деятельности" in html
    assert "Agreement on joint innovation cooperation" not in html
    for label in (
        "Стороны", "Этапы", "Подписант", "Назначить координаторов", "Яна Стоянова", "Химград",
        "Взаимопомощь на всех уровнях инновационного рынка", "Каждый парк называет координатора",
    ):  # fmt: skip
        assert label in html
    # Russian dates: the long form for the signing, the short one in the timeline.
    assert "5 ноября 2026 г." in html and "15.03.2027" in html


def test_the_agreement_page_in_english_has_english_labels_title_and_unambiguous_dates(client, world):
    client.force_login(world["editor"])
    html = page(in_language(client, "en"), reverse("agreements:detail", args=[world["agreement"].pk]))

    assert "Agreement on joint innovation cooperation" in html
    assert "Соглашение" not in html
    for label in (
        "Parties", "Milestones", "Signatory", "Appoint coordinators", "Yana Stoyanova", "Himgrad",
        "Mutual help on all levels of the innovation market", "Each park names its coordinator",
    ):  # fmt: skip
        assert label in html
    assert "5 November 2026" in html and "15 Mar 2027" in html
    assert "11/05/2026" not in html and "03/15/2027" not in html


PAGES = [
    ("portal:dashboard", None),
    ("parks:list", None),
    ("parks:detail", lambda w: [w["gousev"].slug]),
    ("parks:detail", lambda w: [w["himgrad"].slug]),
    ("residents:list", None),
    ("ip:list", None),
    ("agreements:list", None),
    ("agreements:milestones", None),
    ("agreements:detail", lambda w: [w["agreement"].pk]),
    ("agreements:edit", lambda w: [w["agreement"].pk]),
    ("agreements:create", None),
    ("residents:create", None),
    ("portal:profile", None),
]


@pytest.mark.parametrize(("name", "args"), PAGES, ids=[f"{name}-{i}" for i, (name, _a) in enumerate(PAGES)])
def test_a_russian_page_has_no_english_left(client, world, name, args):
    client.force_login(world["editor"])
    html = page(in_language(client, "ru"), reverse(name, args=args(world) if args else None))

    allowed = NOT_ENGLISH | {"HIM", "GOU", "editor", "yana", "example", "org"}
    assert english_left(html, allowed=allowed) == []


def test_search_pages_in_russian_have_no_english_left(client, world):
    client.force_login(world["editor"])
    html = page(in_language(client, "ru"), reverse("portal:search") + "?q=Хим")
    assert "Технополис «Химград»" in html
    assert english_left(html, allowed=NOT_ENGLISH | {"HIM", "GOU", "editor"}) == []


def test_a_name_not_translated_yet_shows_in_the_other_language(client, world):
    english_only = agreement_with_parties(
        world["himgrad"], world["gousev"], title_en="English-only memorandum", title_ru=None
    )
    russian_only = agreement_with_parties(
        world["himgrad"], world["gousev"], title_en=None, title_ru="Меморандум только по-русски"
    )
    client.force_login(world["editor"])

    russian_page = page(in_language(client, "ru"), reverse("agreements:list"))
    english_page = page(in_language(client, "en"), reverse("agreements:list"))

    assert english_only.title_ru is None and "English-only memorandum" in russian_page
    assert russian_only.title_en is None and "Меморандум только по-русски" in english_page
    assert "Соглашение о совместной инновационной деятельности" in russian_page
    assert "Agreement on joint innovation cooperation" in english_page


def test_the_profile_page_shows_and_changes_the_language(client, world):
    client.force_login(world["editor"])
    html = page(client, reverse("portal:profile"))
    assert '<option value="en" lang="en" selected>English</option>' in html
    assert '<option value="ru" lang="ru">Русский</option>' in html

    client.post(reverse("accounts:set_language"), {"language": "ru", "next": reverse("portal:profile")})

    html = page(client, reverse("portal:profile"))
    assert "Язык страниц портала и ваших писем" in html
    assert '<option value="ru" lang="ru" selected>Русский</option>' in html


def test_a_park_with_a_cyrillic_slug_has_its_page(client, world):
    client.force_login(world["editor"])
    url = reverse("parks:detail", args=["гусев"])
    assert url == "/parks/%D0%B3%D1%83%D1%81%D0%B5%D0%B2/"
    assert "Технополис «Гусев»" in page(in_language(client, "ru"), url)


@pytest.mark.parametrize(("language", "expected"), [("ru", "Размер файла 1,5 МБ"), ("en", "The file is 1.5 MB")])
def test_numbers_in_messages_follow_the_language(settings, language, expected):
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import translation

    from agreements.validators import validate_document_size

    settings.DOCUMENT_MAX_UPLOAD_MB = 1
    scan = SimpleUploadedFile("скан договора.pdf", b"%PDF-1.4\n" + b"0" * (1536 * 1024 - 9))
    with translation.override(language), pytest.raises(ValidationError) as refused:
        validate_document_size(scan)
    assert refused.value.messages[0].startswith(expected)


@pytest.mark.parametrize(
    ("language", "shown", "hidden"),
    [
        (
            "ru",
            ["Одна из крупнейших площадок Татарстана", "Малотоннажная химия", "Здесь ведут бизнес 120"],
            ["largest"],
        ),
        (
            "en",
            ["One of the largest sites in Tatarstan", "Low-tonnage chemistry", "120 resident companies do"],
            ["Одна"],
        ),
    ],
)
def test_a_parks_description_focus_and_quoted_figures_read_in_the_readers_language(
    client, world, language, shown, hidden
):
    client.force_login(world["editor"])
    html = page(in_language(client, language), reverse("parks:detail", args=[world["himgrad"].slug]))

    assert [text for text in shown if text not in html] == []
    assert [text for text in hidden if text in html] == []


def test_a_persons_name_is_headed_as_a_persons_name_in_russian(client, world):
    client.force_login(world["editor"])
    html = page(in_language(client, "ru"), reverse("portal:profile"))

    assert "ФИО</dt>" in html
    assert "Название</dt>" not in html
