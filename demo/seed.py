"""The world of the seed document: the Himgrad-Gousev agreement signed at the St. Petersburg forum.

Every fact here comes from the press release in shared/seeds; where it is silent the field stays
empty (and the portal flags it as missing), with one exception the product asked for: a few
illustrative milestones, marked as such, dated relative to the day the demo is loaded.
Loading is idempotent: records are found by natural keys and never overwritten.
"""

import datetime

from django.db import transaction

from agreements.models import Agreement, AgreementParty, InnovationStage, Milestone, SigningEvent
from notifications.demo import load_demo_subscriptions
from parks.models import Facility, Person, ReportedFigures, Sector, Technopolis

SEED_SOURCE = "Press release: Himgrad and Technopolis Gousev sign an agreement at the St. Petersburg forum"
DEMO_AGREEMENT_REFERENCE = "HIM-GOU-001"
ILLUSTRATIVE = "Illustrative demo milestone: the press release names no milestones."

SECTORS = {
    "oil-field-high-tech": "Oil-field high tech",
    "low-tonnage-chemistry": "Low-tonnage chemistry",
    "polymer-processing-recycling": "Polymer processing and plastic recycling",
    "nanoindustry": "Nanoindustry",
    "energy-saving": "Energy saving",
    "medicine-pharmacology": "Medicine and pharmacology",
    "radio-electronics": "Radio electronics",
}

GOUSEV_FACILITIES = [
    (Facility.Kind.BUSINESS_INCUBATOR, "Business incubator"),
    (Facility.Kind.LAB_COMPLEX, "Lab complex"),
    (Facility.Kind.VENTURE_FUND, "Venture fund"),
    (Facility.Kind.DESIGN_BUREAU, "Design bureau"),
    (Facility.Kind.SOCIAL_COMMERCIAL_CENTRE, "Social and commercial center"),
    (Facility.Kind.RESIDENTIAL, "Cottage village"),
]


def _sectors() -> dict[str, Sector]:
    return {slug: Sector.objects.get_or_create(slug=slug, defaults={"name": name})[0] for slug, name in SECTORS.items()}


def _himgrad(sectors: dict[str, Sector]) -> Technopolis:
    himgrad, _created = Technopolis.objects.get_or_create(
        slug="himgrad",
        defaults={
            "name": 'Technopolis "Himgrad"',
            "short_name": "Himgrad",
            "region": "Republic of Tatarstan",
            "founded_year": 2006,
            "description": (
                "One of the largest sites in Tatarstan for innovations in high tech oil-field and "
                "low-tonnage chemistry enterprises, polymer processing and plastic recycling technologies, "
                "nanoindustry products manufacturing, energy saving, medicine and pharmacology."
            ),
        },
    )
    himgrad.sectors.add(*(sectors[slug] for slug in list(SECTORS)[:6]))
    ReportedFigures.objects.get_or_create(
        technopolis=himgrad,
        source=SEED_SOURCE,
        defaults={
            "quote": (
                "120 resident companies do business here, they have already entered in their assets over a "
                "hundred products, over 60 registered patents and trade marks, and 20 know-how."
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
            "name": "Technopolis Gousev",
            "short_name": "Gousev",
            "region": "Kaliningrad Region",
            "city": "Gousev",
            "founded_year": 2008,
            "ownership": Technopolis.Ownership.PRIVATE,
            "receives_government_funding": False,
            "management_company": 'OOO "Technopolis Gousev" Management Company',
            "cluster_focus": (
                "A radio electronic industry cluster in Gousev, the new federal level focus of innovation development."
            ),
            "description": (
                'Investment and development project "The Area of Scientific and Technological Development - '
                'Technopolis Gousev", the first private innovative project of its kind: 100% private, it does '
                "not receive government funding. It aims at an innovative environment for highly skilled "
                "specialists and scientists, with educational and residential infrastructure and public green spaces."
            ),
        },
    )
    gousev.sectors.add(sectors["radio-electronics"])
    for kind, name in GOUSEV_FACILITIES:
        Facility.objects.get_or_create(technopolis=gousev, name=name, defaults={"kind": kind})
    return gousev


def _person(full_name: str, **defaults) -> Person:
    return Person.objects.get_or_create(full_name=full_name, defaults=defaults)[0]


def _milestones(agreement: Agreement, himgrad, gousev, stoyanova, today: datetime.date) -> None:
    days = datetime.timedelta
    planned = [
        ("Appoint coordinators on both sides", himgrad, None, today - days(30), Milestone.Status.DONE),
        (
            "Joint list of upstream projects (business ideas, R&D) open to residents of both parks",
            gousev,
            None,
            today - days(3),
            Milestone.Status.IN_PROGRESS,
        ),
        ("First joint R&D project proposal", himgrad, None, today + days(12), Milestone.Status.PLANNED),
        (
            "Joint promotion of residents' products and technologies at the next forum",
            himgrad,
            stoyanova,
            today + days(75),
            Milestone.Status.PLANNED,
        ),
    ]
    for title, park, person, due_on, status in planned:
        Milestone.objects.get_or_create(
            agreement=agreement,
            title=title,
            defaults={
                "description": ILLUSTRATIVE,
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
    _person("Yana Stoyanova", position="Marketing Director", organisation='Technopolis "Himgrad"', technopolis=himgrad)
    stoyanova = Person.objects.get(full_name="Yana Stoyanova")
    liulin = _person(
        "Alexey Liulin",
        position="CEO",
        organisation='OOO "Technopolis Gousev" Management Company',
        technopolis=gousev,
    )
    zdunov = _person("Artem Zdunov", position="Deputy Minister of Economics")
    forum, _created = SigningEvent.objects.get_or_create(
        name="St. Petersburg International Innovation Forum", defaults={"city": "St. Petersburg"}
    )
    agreement, _created = Agreement.objects.get_or_create(
        reference=DEMO_AGREEMENT_REFERENCE,
        defaults={
            "title": "Agreement on collaboration and joint scientific, technical and innovation cooperation",
            "kind": Agreement.Kind.COOPERATION,
            "subject": (
                "Mutual help in meeting challenges on all levels of the innovation market: from "
                '"Upstream" (business idea, R&D) to "Downstream" (promotion of an innovative product '
                "or technology), as a result of negotiations on a mode of cooperation in innovation "
                "and modernization projects."
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
