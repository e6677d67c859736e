"""Each e-mail in its reader's language, whatever the language of whoever runs the sweep.

Partner contacts and the people responsible for milestones have a language for their e-mails,
portal users the one of their profile; Russian plurals (1 день, 3 дня, 21 день), Russian dates and
the Russian names of records; non-ASCII names and subjects are encoded on the wire.
"""

import datetime

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from accounts.models import Profile
from agreements.models import Agreement
from notifications.delivery import outbox_deliver
from notifications.digests import digests_plan
from notifications.models import OutgoingEmail, Subscription
from notifications.planning import reminders_plan
from parks.models import Membership
from tests.factories import MilestoneFactory, PersonFactory, TechnopolisFactory, agreement_with_parties, member

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2027, 3, 15)
NOW = timezone.make_aware(datetime.datetime(2027, 3, 15, 7, 0))
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://portal.example.org"


@pytest.fixture
def parks():
    return (
        TechnopolisFactory(name_en='Technopolis "Himgrad"', name_ru="Технополис «Химград»",
                           short_name_en="Himgrad", short_name_ru="Химград"),
        TechnopolisFactory(name_en="Technopolis Gousev", name_ru="Технополис «Гусев»",
                           short_name_en="Gousev", short_name_ru="Гусев"),
    )  # fmt: skip


@pytest.fixture
def agreement(parks):
    return agreement_with_parties(
        *parks, reference="HIM-GOU-001", status=Agreement.Status.ACTIVE,
        title_en="Joint innovation cooperation", title_ru="Совместная инновационная деятельность",
    )  # fmt: skip


def contact(name_en: str, name_ru: str, language: str, email: str):
    return PersonFactory(full_name_en=name_en, full_name_ru=name_ru, language=language, email=email)


def milestone(agreement, days_ahead: int, **fields):
    return MilestoneFactory(
        agreement=agreement, title_en="Appoint coordinators", title_ru="Назначить координаторов",
        due_on=MONDAY + days_ahead * DAY, reminder_days=str(days_ahead), **fields,
    )  # fmt: skip


def subjects_to(address: str) -> list[str]:
    return list(OutgoingEmail.objects.filter(recipient_address=address).values_list("subject", flat=True))


@pytest.mark.parametrize(
    ("days", "russian", "english"),
    [
        (1, "Срок через 1 день", "Due in 1 day"),
        (3, "Срок через 3 дня", "Due in 3 days"),
        (5, "Срок через 5 дней", "Due in 5 days"),
        (21, "Срок через 21 день", "Due in 21 days"),
    ],
)
def test_a_reminder_speaks_its_readers_language_with_its_plurals(agreement, parks, days, russian, english):
    yana = contact("Yana Stoyanova", "Яна Стоянова", "ru", "yana@example.org")
    ann = contact("Ann Partner", "Энн Партнёр", "en", "ann@example.org")
    milestone(agreement, days, responsible_person=yana)
    milestone(agreement, days, responsible_person=ann)

    # Whoever runs the sweep, in whatever language, each reader gets their own.
    with translation.override("ru"):
        reminders_plan(today=MONDAY, now=NOW)

    assert subjects_to("yana@example.org") == [f"{russian}: Назначить координаторов"]
    assert subjects_to("ann@example.org") == [f"{english}: Appoint coordinators"]
    russian_text = OutgoingEmail.objects.get(recipient_address="yana@example.org").text_body
    assert "Совместная инновационная деятельность" in russian_text and "Здравствуйте" in russian_text
    with translation.override("ru"):
        assert date_format(MONDAY + days * DAY) in russian_text  # e.g. "5 апреля 2027 г."


def test_a_portal_user_receives_reminders_in_the_language_of_their_profile(agreement, parks):
    editor = member(parks[0], Membership.Role.EDITOR, username="anna", email="anna@example.org")
    Profile.objects.create(user=editor, language="ru")
    member(parks[0], Membership.Role.EDITOR, username="bob", email="bob@example.org")
    milestone(agreement, 3, responsible_technopolis=parks[0])

    reminders_plan(today=MONDAY, now=NOW)

    assert subjects_to("anna@example.org") == ["Срок через 3 дня: Назначить координаторов"]
    assert subjects_to("bob@example.org") == ["Due in 3 days: Appoint coordinators"]


def test_a_digest_goes_in_the_subscribers_language(agreement, parks):
    for name_en, name_ru, language, email in [
        ("Partner abroad", "Зарубежный партнёр", "en", "abroad@example.org"),
        ("Park contact", "Контакт парка", "ru", "park@example.org"),
    ]:
        subscription = Subscription.objects.create(
            person=contact(name_en, name_ru, language, email), language=language, frequency="weekly"
        )
        subscription.agreements.add(agreement)
    MilestoneFactory(agreement=agreement, title_en="First joint proposal", title_ru="Первое совместное предложение",
                     due_on=MONDAY + 12 * DAY, responsible_technopolis=parks[0])  # fmt: skip

    with translation.override("ru"):
        digests_plan(today=MONDAY, now=NOW)

    russian = OutgoingEmail.objects.get(recipient_address="park@example.org")
    english = OutgoingEmail.objects.get(recipient_address="abroad@example.org")
    assert russian.subject == "Ваша еженедельная сводка по соглашениям, 15 марта 2027 г."
    assert "Первое совместное предложение — 27 марта 2027 г. (Химград)" in russian.text_body
    assert "Скоро срок:" in russian.text_body and "Отписаться" in russian.text_body
    assert english.subject == "Your weekly agreements digest, 15 March 2027"
    assert "First joint proposal — 27 March 2027 (Himgrad)" in english.text_body


@pytest.mark.parametrize("planned_in", ["en", "ru"])
def test_an_e_mail_greets_its_reader_by_the_name_in_their_language(agreement, parks, planned_in):
    for name_en, name_ru, language, email in [
        ("Partner abroad", "Зарубежный партнёр", "en", "abroad@example.org"),
        ("Park contact", "Контакт парка", "ru", "park@example.org"),
    ]:
        subscription = Subscription.objects.create(
            person=contact(name_en, name_ru, language, email), language=language, frequency="weekly"
        )
        subscription.agreements.add(agreement)
    MilestoneFactory(agreement=agreement, due_on=MONDAY + 12 * DAY, responsible_technopolis=parks[0])

    with translation.override(planned_in):  # whichever language the worker runs in
        digests_plan(today=MONDAY, now=NOW)

    russian = OutgoingEmail.objects.get(recipient_address="park@example.org")
    english = OutgoingEmail.objects.get(recipient_address="abroad@example.org")
    assert russian.recipient_name == "Контакт парка" and "Контакт парка" in russian.text_body
    assert english.recipient_name == "Partner abroad" and "Partner abroad" in english.text_body


def test_a_russian_e_mail_arrives_with_encoded_headers_and_readable_parts(agreement, smtp):
    yana = contact("Yana Stoyanova", "Яна Стоянова", "ru", "yana@example.org")
    milestone(agreement, 3, responsible_person=yana)
    reminders_plan(today=MONDAY, now=NOW)

    assert outbox_deliver(now=NOW).sent == 1

    [message] = smtp.messages
    assert message["Subject"].strip() == "Срок через 3 дня: Назначить координаторов"
    assert message["To"] == "Яна Стоянова <yana@example.org>"
    raw_headers = smtp.raw[0].split(b"\r\n\r\n", 1)[0].replace(b"\r\n ", b" ")
    subject_line = next(line for line in raw_headers.splitlines() if line.startswith(b"Subject:"))
    assert subject_line.isascii() and b"=?utf-8?" in subject_line
    html = message.get_body(("html",)).get_content()
    assert message.get_body(("plain",)).get_content_charset() == "utf-8"
    assert "Назначить координаторов" in html and "Совместная инновационная деятельность" in html
