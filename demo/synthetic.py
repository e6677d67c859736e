"""Large synthetic data sets for load tests and benchmarks, clearly marked as synthetic.

Everything is written with bulk inserts in batches, so the large set (hundreds of thousands of
rows) takes minutes, not hours. Records carry `is_synthetic` (parks, companies, agreements) or
hang off synthetic records, names start with "Synthetic", and numbering continues after what
is already there, so running the generator twice adds a second batch instead of failing.
"""

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import transaction

from agreements.lifecycle import AgreementStatus
from agreements.models import Agreement, AgreementParty, Milestone
from notifications.models import Subscription
from parks.models import Membership, Person, Sector, Technopolis
from residents.models import IntellectualProperty, KnowHow, Product, ResidentCompany
from residents.validators import complete_inn

BATCH = 2000
# Milestones due longer ago than this are mostly done or cancelled, a few still overdue.
STALE_AFTER = datetime.timedelta(days=60)
# Synthetic INNs use prefixes from this number up, far from the demo and test ranges.
SYNTHETIC_INN_BASE = 900_000_000
STATUS_MIX = [
    AgreementStatus.DRAFT,
    AgreementStatus.NEGOTIATION,
    AgreementStatus.SIGNED,
    AgreementStatus.ACTIVE,
    AgreementStatus.ACTIVE,
    AgreementStatus.ACTIVE,
    AgreementStatus.COMPLETED,
    AgreementStatus.EXPIRED,
]


@dataclass(frozen=True)
class SyntheticCounts:
    parks: int
    residents: int
    products: int
    ip_records: int
    know_how: int
    agreements: int
    milestones: int
    subscriptions: int = 0
    park_managers: int = 0


def _synthetic_sectors() -> list[Sector]:
    sectors = list(Sector.objects.all())
    if sectors:
        return sectors
    return [Sector.objects.create(name=f"Synthetic sector {n}", slug=f"synthetic-sector-{n}") for n in range(1, 8)]


def _create_parks(count: int, rng: random.Random) -> list[Technopolis]:
    start = Technopolis.objects.filter(is_synthetic=True).count()
    parks = [
        Technopolis(
            name=f"Synthetic technopolis {start + n:05d}",
            short_name=f"Synthetic {start + n:05d}",
            slug=f"synthetic-{start + n:05d}",
            region=f"Synthetic region {rng.randint(1, 85)}",
            city=f"Synthetic city {rng.randint(1, 500)}",
            founded_year=rng.randint(1990, 2025),
            ownership=rng.choice(Technopolis.Ownership.values),
            receives_government_funding=rng.random() < 0.5,
            management_company=f"Synthetic management company {start + n:05d}",
            is_synthetic=True,
        )
        for n in range(1, count + 1)
    ]
    return Technopolis.objects.bulk_create(parks, batch_size=BATCH)


def _create_residents(parks, count: int, rng: random.Random, today: datetime.date) -> list[ResidentCompany]:
    start = ResidentCompany.objects.filter(is_synthetic=True).count()
    companies = []
    for n in range(start + 1, start + count + 1):
        begins = today - datetime.timedelta(days=rng.randint(30, 5000))
        left = rng.random() < 0.1
        companies.append(
            ResidentCompany(
                technopolis=rng.choice(parks),
                name=f"Synthetic company {n:06d}",
                legal_form=rng.choice(ResidentCompany.LegalForm.values),
                inn=complete_inn(f"{SYNTHETIC_INN_BASE + n:09d}"),
                residency_start=begins,
                residency_end=begins + datetime.timedelta(days=rng.randint(1, 2000)) if left else None,
                staff_count=rng.randint(1, 500),
                is_synthetic=True,
            )
        )
    return ResidentCompany.objects.bulk_create(companies, batch_size=BATCH)


def _create_holdings(companies, ip_count: int, rng: random.Random, sectors) -> tuple[int, int, int]:
    products = [
        Product(
            company=company,
            name=f"Synthetic product {company.pk}-{k}",
            sector=rng.choice(sectors),
            year_launched=rng.randint(2000, 2026),
        )
        for company in companies
        for k in range(rng.randint(0, 2))
    ]
    Product.objects.bulk_create(products, batch_size=BATCH)
    start = IntellectualProperty.objects.filter(registration_number__startswith="SYN-").count()
    ip_records = []
    for n in range(start + 1, start + ip_count + 1):
        registered = datetime.date(2000, 1, 1) + datetime.timedelta(days=rng.randint(0, 9000))
        ip_records.append(
            IntellectualProperty(
                company=rng.choice(companies),
                kind=rng.choice(IntellectualProperty.Kind.values),
                registration_number=f"SYN-{n:07d}",
                title=f"Synthetic IP record {n}",
                filed_on=registered - datetime.timedelta(days=rng.randint(30, 700)),
                registered_on=registered,
                expires_on=registered + datetime.timedelta(days=365 * rng.choice([10, 20])),
                status=rng.choice(IntellectualProperty.Status.values),
            )
        )
    IntellectualProperty.objects.bulk_create(ip_records, batch_size=BATCH)
    know_how = [
        KnowHow(company=company, title=f"Synthetic know-how of company {company.pk}")
        for company in companies
        if rng.random() < 0.2
    ]
    KnowHow.objects.bulk_create(know_how, batch_size=BATCH)
    return len(products), len(ip_records), len(know_how)


def _create_agreements(parks, count: int, rng: random.Random, today: datetime.date) -> list[Agreement]:
    start = Agreement.objects.filter(is_synthetic=True).count()
    agreements = []
    for n in range(start + 1, start + count + 1):
        status = rng.choice(STATUS_MIX)
        effective = today - datetime.timedelta(days=rng.randint(-180, 3000))
        signed = status in (
            AgreementStatus.SIGNED,
            AgreementStatus.ACTIVE,
            AgreementStatus.COMPLETED,
            AgreementStatus.EXPIRED,
        )
        agreements.append(
            Agreement(
                reference=f"SYN-{n:06d}",
                title=f"Synthetic cooperation agreement {n}",
                kind=rng.choice(Agreement.Kind.values),
                subject="Synthetic agreement for load tests.",
                status=status,
                is_public=rng.random() < 0.5,
                signed_on=effective if signed else None,
                effective_from=effective,
                expires_on=effective + datetime.timedelta(days=rng.choice([365, 730, 1095, 1825])),
                is_synthetic=True,
            )
        )
    agreements = Agreement.objects.bulk_create(agreements, batch_size=BATCH)
    parties = []
    for agreement in agreements:
        first, second = rng.sample(parks, 2)
        parties.append(AgreementParty(agreement=agreement, technopolis=first, role="initiator"))
        parties.append(AgreementParty(agreement=agreement, technopolis=second, role="partner"))
    AgreementParty.objects.bulk_create(parties, batch_size=BATCH)
    return agreements


def _create_milestones(agreements, parks_of, count: int, rng: random.Random, today: datetime.date) -> int:
    milestones = []
    for n in range(count):
        agreement = agreements[n % len(agreements)]
        span = (agreement.expires_on - agreement.effective_from).days
        due = agreement.effective_from + datetime.timedelta(days=rng.randint(0, span))
        status = rng.choice(Milestone.Status.values)
        if due >= today and status == Milestone.Status.DONE:
            status = Milestone.Status.PLANNED
        elif due < today - STALE_AFTER and rng.random() < 0.95:
            # As in a network that keeps its records up to date: old milestones are mostly settled.
            status = rng.choice([Milestone.Status.DONE, Milestone.Status.DONE, Milestone.Status.CANCELLED])
        milestones.append(
            Milestone(
                agreement=agreement,
                title=f"Synthetic milestone {n + 1}",
                due_on=due,
                responsible_technopolis_id=rng.choice(parks_of[agreement.pk]),
                status=status,
                completed_on=due if status == Milestone.Status.DONE else None,
            )
        )
        if len(milestones) >= BATCH:
            Milestone.objects.bulk_create(milestones)
            milestones = []
    Milestone.objects.bulk_create(milestones)
    return count


def _create_park_managers(parks) -> int:
    """One manager per park, with an address: the reminders of its milestones have someone to go to."""
    no_password = make_password(None)  # unusable: they never sign in
    users = User.objects.bulk_create(
        [
            User(username=f"{park.slug}-manager", email=f"{park.slug}-manager@synthetic.invalid", password=no_password)
            for park in parks
        ],
        batch_size=BATCH,
    )
    Membership.objects.bulk_create(
        [
            Membership(user=user, technopolis=park, role=Membership.Role.MANAGER)
            for user, park in zip(users, parks, strict=True)
        ],
        batch_size=BATCH,
    )
    return len(users)


def _create_subscriptions(parks, agreements, count: int, rng: random.Random) -> int:
    """Partner contacts' digests: two in three follow a park, the others a few chosen agreements."""
    start = Person.objects.filter(email__endswith="@synthetic.invalid").count()
    people = Person.objects.bulk_create(
        [
            Person(
                full_name=f"Synthetic contact {start + n:06d}",
                organisation="Synthetic partner",
                email=f"contact{start + n:06d}@synthetic.invalid",
            )
            for n in range(1, count + 1)
        ],
        batch_size=BATCH,
    )
    subscriptions = Subscription.objects.bulk_create(
        [
            Subscription(
                person=person,
                delivery=Subscription.Delivery.DIGEST,
                frequency=Subscription.Frequency.DAILY if rng.random() < 0.3 else Subscription.Frequency.WEEKLY,
            )
            for person in people
        ],
        batch_size=BATCH,
    )
    park_rows, agreement_rows = [], []
    for subscription in subscriptions:
        if not agreements or rng.random() < 2 / 3:
            park_rows.append(Subscription.parks.through(subscription=subscription, technopolis=rng.choice(parks)))
        else:
            agreement_rows += [
                Subscription.agreements.through(subscription=subscription, agreement=agreement)
                for agreement in rng.sample(agreements, min(3, len(agreements)))
            ]
    Subscription.parks.through.objects.bulk_create(park_rows, batch_size=BATCH)
    Subscription.agreements.through.objects.bulk_create(agreement_rows, batch_size=BATCH)
    return len(subscriptions)


@transaction.atomic
def generate_synthetic(
    *,
    parks: int,
    residents: int,
    ip_records: int,
    agreements: int,
    milestones: int,
    seed: int,
    today: datetime.date,
    subscriptions: int = 0,
) -> SyntheticCounts:
    """Adds a synthetic data set of the given size; all or nothing."""
    if parks < 2 and agreements:
        raise ValueError("agreements need at least two parks")
    rng = random.Random(seed)  # noqa: S311 -- repeatable test data, not secrets
    sectors = _synthetic_sectors()
    new_parks = _create_parks(parks, rng)
    managers = _create_park_managers(new_parks)
    for park in new_parks:
        park.sectors.add(*rng.sample(sectors, min(2, len(sectors))))
    companies = _create_residents(new_parks, residents, rng, today) if new_parks else []
    products, ip_made, know_how = _create_holdings(companies, ip_records, rng, sectors) if companies else (0, 0, 0)
    new_agreements = _create_agreements(new_parks, agreements, rng, today) if agreements else []
    parks_of: dict[int, list[int]] = {}
    for agreement_id, park_id in AgreementParty.objects.filter(agreement__in=new_agreements).values_list(
        "agreement_id", "technopolis_id"
    ):
        parks_of.setdefault(agreement_id, []).append(park_id)
    milestones_made = _create_milestones(new_agreements, parks_of, milestones, rng, today) if new_agreements else 0
    subscriptions_made = (
        _create_subscriptions(new_parks, new_agreements, subscriptions, rng) if subscriptions and new_parks else 0
    )
    return SyntheticCounts(
        parks=len(new_parks),
        residents=len(companies),
        products=products,
        ip_records=ip_made,
        know_how=know_how,
        agreements=len(new_agreements),
        milestones=milestones_made,
        subscriptions=subscriptions_made,
        park_managers=managers,
    )
