"""The world of the seed document: the Himgrad-Gousev agreement signed at the St. Petersburg forum.

Every fact here comes from the press release in shared/seeds; where it is silent the field stays
empty (and the portal flags it as missing), with one exception the product asked for: a few
illustrative milestones, marked as such, dated relative to the day the demo is loaded.
Loading is idempotent: records are found by natural keys and never overwritten. Names and titles
come in English and in Russian (the parks are Russian, their partners abroad read English); records
are found by their English names, whatever the language the command runs in.
"""

import datetime

from django.db import transaction

from agreements.models import Agreement, AgreementParty, InnovationStage, Milestone, SigningEvent
from notifications.demo import load_demo_subscriptions
from parks.models import Facility, Person, ReportedFigures, Sector, Technopolis

SEED_SOURCE = "Press release: Himgrad and Technopolis Gousev sign an agreement at the St. Petersburg forum"
DEMO_AGREEMENT_REFERENCE = "HIM-GOU-001"
ILLUSTRATIVE = (
    "Illustrative demo milestone: the press release names no milestones.",
    "Пример этапа для демонстрации: в пресс-релизе этапы не названы.",
)

# slug: (English, Russian)
SECTORS = {
    "oil-field-high-tech": ("Oil-field high tech", "Высокие технологии нефтедобычи"),
    "low-tonnage-chemistry": ("Low-tonnage chemistry", "Малотоннажная химия"),
    "polymer-processing-recycling": (
        "Polymer processing and plastic recycling",
        "Переработка полимеров и вторичная переработка пластмасс",
    ),
    "nanoindustry": ("Nanoindustry", "Наноиндустрия"),
    "energy-saving": ("Energy saving", "Энергосбережение"),
    "medicine-pharmacology": ("Medicine and pharmacology", "Медицина и фармакология"),
    "radio-electronics": ("Radio electronics", "Радиоэлектроника"),
}

GOUSEV_FACILITIES = [
    (Facility.Kind.BUSINESS_INCUBATOR, "Business incubator", "Бизнес-инкубатор"),
    (Facility.Kind.LAB_COMPLEX, "Lab complex", "Лабораторный комплекс"),
    (Facility.Kind.VENTURE_FUND, "Venture fund", "Венчурный фонд"),
    (Facility.Kind.DESIGN_BUREAU, "Design bureau", "Конструкторское бюро"),
    (Facility.Kind.SOCIAL_COMMERCIAL_CENTRE, "Social and commercial center", "Социально-деловой центр"),
    (Facility.Kind.RESIDENTIAL, "Cottage village", "Коттеджный посёлок"),
]


def _both(field: str, english: str, russian: str) -> dict[str, str]:
    return {f"{field}_en": english, f"{field}_ru": russian}


def _sectors() -> dict[str, Sector]:
    return {
        slug: Sector.objects.get_or_create(slug=slug, defaults=_both("name", *names))[0]
        for slug, names in SECTORS.items()
    }


def _himgrad(sectors: dict[str, Sector]) -> Technopolis:
    himgrad, _created = Technopolis.objects.get_or_create(
        slug="himgrad",
        defaults={
            **_both("name", 'Technopolis "Himgrad"', "Технополис «Химград»"),
            **_both("short_name", "Himgrad", "Химград"),
            **_both("region", "Republic of Tatarstan", "Республика Татарстан"),
            "founded_year": 2006,
            **_both(
                "description",
                "One of the largest sites in Tatarstan for innovations in high tech oil-field and "
                "low-tonnage chemistry enterprises, polymer processing and plastic recycling technologies, "
                "nanoindustry products manufacturing, energy saving, medicine and pharmacology.",
                "Одна из крупнейших площадок Татарстана для инноваций предприятий высокотехнологичной "
                "нефтепромысловой и малотоннажной химии, технологий переработки полимеров и вторичной "
                "переработки пластмасс, производства продукции наноиндустрии, энергосбережения, медицины "
                "и фармакологии.",
            ),
        },
    )
    himgrad.sectors.add(*(sectors[slug] for slug in list(SECTORS)[:6]))
    ReportedFigures.objects.get_or_create(
        technopolis=himgrad,
        source=SEED_SOURCE,
        defaults={
            **_both(
                "quote",
                "120 resident companies do business here, they have already entered in their assets over a "
                "hundred products, over 60 registered patents and trade marks, and 20 know-how.",
                "Здесь ведут бизнес 120 компаний-резидентов, у них в активе уже более сотни продуктов, "
                "более 60 зарегистрированных патентов и товарных знаков и 20 ноу-хау.",
            ),
            "resident_companies": 120,
            "products": 100,
            "patents_and_trademarks": 60,
            "know_how": 20,
        },
    )
    return himgrad


def _gousev(sectors: dict[str, Sector]) -> Technopolis:
    gousev, _created = Technopolis.objects.get_or_create(
        slug="gousev",
        defaults={
            **_both("name", "Technopolis Gousev", "Технополис «Гусев»"),
            **_both("short_name", "Gousev", "Гусев"),
            **_both("region", "Kaliningrad Region", "Калининградская область"),
            **_both("city", "Gousev", "Гусев"),
            "founded_year": 2008,
            "ownership": Technopolis.Ownership.PRIVATE,
            "receives_government_funding": False,
            "management_company": 'OOO "Technopolis Gousev" Management Company',
            **_both(
                "cluster_focus",
                "A radio electronic industry cluster in Gousev, the new federal level focus of innovation development.",
                "Кластер радиоэлектронной промышленности в Гусеве — новая точка инновационного развития "
                "федерального уровня.",
            ),
            **_both(
                "description",
                'Investment and development project "The Area of Scientific and Technological Development - '
                'Technopolis Gousev", the first private innovative project of its kind: 100% private, it does '
                "not receive government funding. It aims at an innovative environment for highly skilled "
                "specialists and scientists, with educational and residential infrastructure and public green spaces.",
                "Инвестиционный проект развития «Территория научно-технического развития — Технополис «Гусев»», "
                "первый частный инновационный проект такого рода: на 100 % частный, он не получает "
                "государственного финансирования. Его цель — инновационная среда для высококвалифицированных "
                "специалистов и учёных, с образовательной и жилой инфраструктурой и общественными зелёными зонами.",
            ),
        },
    )
    gousev.sectors.add(sectors["radio-electronics"])
    for kind, english, russian in GOUSEV_FACILITIES:
        Facility.objects.get_or_create(technopolis=gousev, name_en=english, defaults={"kind": kind, "name_ru": russian})
    return gousev


def _person(full_name: tuple[str, str], *, position=("", ""), organisation=("", ""), **defaults) -> Person:
    # The parks' people read Russian.
    defaults |= {
        "full_name_ru": full_name[1],
        "language": "ru",
        **_both("position", *position),
        **_both("organisation", *organisation),
    }
    return Person.objects.get_or_create(full_name_en=full_name[0], defaults=defaults)[0]


def _milestones(agreement: Agreement, himgrad, gousev, stoyanova, today: datetime.date) -> None:
    days = datetime.timedelta
    planned = [
        (
            ("Appoint coordinators on both sides", "Назначить координаторов с обеих сторон"),
            himgrad,
            None,
            today - days(30),
            Milestone.Status.DONE,
        ),
        (
            (
                "Joint list of upstream projects (business ideas, R&D) open to residents of both parks",
                "Общий список проектов начала инновационной цепочки (бизнес-идеи, НИОКР) для резидентов обоих парков",
            ),
            gousev,
            None,
            today - days(3),
            Milestone.Status.IN_PROGRESS,
        ),
        (
            ("First joint R&D project proposal", "Первое предложение совместного проекта НИОКР"),
            himgrad,
            None,
            today + days(12),
            Milestone.Status.PLANNED,
        ),
        (
            (
                "Joint promotion of residents' products and technologies at the next forum",
                "Совместное продвижение продуктов и технологий резидентов на следующем форуме",
            ),
            himgrad,
            stoyanova,
            today + days(75),
            Milestone.Status.PLANNED,
        ),
    ]
    for (english, russian), park, person, due_on, status in planned:
        Milestone.objects.get_or_create(
            agreement=agreement,
            title_en=english,
            defaults={
                "title_ru": russian,
                **_both("description", *ILLUSTRATIVE),
                "due_on": due_on,
                "responsible_technopolis": park,
                "responsible_person": person,
                "status": status,
                "completed_on": due_on - days(2) if status == Milestone.Status.DONE else None,
            },
        )


@transaction.atomic
def load_seed_world(*, today: datetime.date) -> Agreement:
    """Creates what is missing of the seed's world and returns the demo agreement."""
    sectors = _sectors()
    himgrad = _himgrad(sectors)
    gousev = _gousev(sectors)
    stoyanova = _person(
        ("Yana Stoyanova", "Яна Стоянова"),
        position=("Marketing Director", "директор по маркетингу"),
        organisation=('Technopolis "Himgrad"', "Технополис «Химград»"),
        technopolis=himgrad,
    )
    liulin = _person(
        ("Alexey Liulin", "Алексей Люлин"),
        position=("CEO", "генеральный директор"),
        organisation=(
            'OOO "Technopolis Gousev" Management Company',
            "ООО «Управляющая компания „Технополис Гусев“»",
        ),
        technopolis=gousev,
    )
    zdunov = _person(
        ("Artem Zdunov", "Артём Здунов"), position=("Deputy Minister of Economics", "заместитель министра экономики")
    )
    forum, _created = SigningEvent.objects.get_or_create(
        name_en="St. Petersburg International Innovation Forum",
        defaults={
            "name_ru": "Петербургский международный инновационный форум",
            **_both("city", "St. Petersburg", "Санкт-Петербург"),
        },
    )
    agreement, _created = Agreement.objects.get_or_create(
        reference=DEMO_AGREEMENT_REFERENCE,
        defaults={
            **_both(
                "title",
                "Agreement on collaboration and joint scientific, technical and innovation cooperation",
                "Соглашение о сотрудничестве и совместной научно-технической и инновационной деятельности",
            ),
            "kind": Agreement.Kind.COOPERATION,
            **_both(
                "subject",
                "Mutual help in meeting challenges on all levels of the innovation market: from "
                '"Upstream" (business idea, R&D) to "Downstream" (promotion of an innovative product '
                "or technology), as a result of negotiations on a mode of cooperation in innovation "
                "and modernization projects.",
                "Взаимопомощь в решении задач на всех уровнях инновационного рынка: от «Upstream» "
                "(бизнес-идея, НИОКР) до «Downstream» (продвижение инновационного продукта или технологии) "
                "по итогам переговоров о формате сотрудничества в инновационных и модернизационных проектах.",
            ),
            "status": Agreement.Status.SIGNED,
            "is_public": True,
            "signing_event": forum,
        },
    )
    agreement.scope.add(*InnovationStage.objects.all())
    agreement.witnesses.add(zdunov)
    # The press release names Gousev's signatory only; Himgrad's stays empty and is flagged.
    AgreementParty.objects.get_or_create(agreement=agreement, technopolis=himgrad)
    AgreementParty.objects.get_or_create(agreement=agreement, technopolis=gousev, defaults={"signatory": liulin})
    _milestones(agreement, himgrad, gousev, stoyanova, today)
    load_demo_subscriptions(agreement=agreement)
    return agreement
