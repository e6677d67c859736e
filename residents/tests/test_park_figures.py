"""The park figures the portal counts from records (resident companies, products, patents, know-how)."""

import datetime
from typing import NamedTuple

import pytest

from parks.models import Technopolis
from residents.models import IntellectualProperty
from residents.selectors import parks_with_figures
from tests.factories import (
    IntellectualPropertyFactory,
    KnowHowFactory,
    ProductFactory,
    ResidentCompanyFactory,
    TechnopolisFactory,
)

pytestmark = pytest.mark.django_db

Kind = IntellectualProperty.Kind
IPStatus = IntellectualProperty.Status


class Figures(NamedTuple):
    resident_companies: int
    products: int
    patents_and_trademarks: int
    know_how: int


def figures_of(park: Technopolis, today: datetime.date) -> Figures:
    """The park's figures as the park pages, the API and admin read them: annotated on the park."""
    annotated = parks_with_figures(Technopolis.objects.filter(pk=park.pk), today=today).get()
    return Figures(
        annotated.figure_resident_companies,
        annotated.figure_products,
        annotated.figure_patents_and_trademarks,
        annotated.figure_know_how,
    )


def test_park_without_records_has_zero_figures(today):
    park = TechnopolisFactory()

    assert figures_of(park, today) == Figures(0, 0, 0, 0)


def test_park_figures_count_the_park_records(today):
    park = TechnopolisFactory()
    first, second = ResidentCompanyFactory.create_batch(2, technopolis=park)
    ProductFactory.create_batch(2, company=first)
    ProductFactory(company=second)
    IntellectualPropertyFactory(company=first, kind=Kind.INVENTION_PATENT)
    IntellectualPropertyFactory(company=first, kind=Kind.UTILITY_MODEL)
    IntellectualPropertyFactory(company=second, kind=Kind.INDUSTRIAL_DESIGN)
    IntellectualPropertyFactory(company=second, kind=Kind.TRADEMARK)
    KnowHowFactory(company=second)

    assert figures_of(park, today) == Figures(resident_companies=2, products=3, patents_and_trademarks=4, know_how=1)


def test_former_residents_are_not_counted_as_resident_companies_but_their_assets_are(today):
    park = TechnopolisFactory()
    ResidentCompanyFactory(technopolis=park)
    ResidentCompanyFactory(technopolis=park, residency_end=today + datetime.timedelta(days=1))
    left = ResidentCompanyFactory(technopolis=park, residency_end=today)
    ProductFactory(company=left)
    IntellectualPropertyFactory(company=left)
    KnowHowFactory(company=left)

    assert figures_of(park, today) == Figures(resident_companies=2, products=1, patents_and_trademarks=1, know_how=1)


def test_company_whose_residency_starts_later_is_not_counted_yet(today):
    park = TechnopolisFactory()
    ResidentCompanyFactory(technopolis=park, residency_start=today + datetime.timedelta(days=1))

    assert figures_of(park, today).resident_companies == 0


def test_software_registrations_are_not_patents_or_trademarks(today):
    company = ResidentCompanyFactory()
    IntellectualPropertyFactory(company=company, kind=Kind.SOFTWARE)
    IntellectualPropertyFactory(company=company, kind=Kind.TRADEMARK)

    assert figures_of(company.technopolis, today).patents_and_trademarks == 1


@pytest.mark.parametrize("status", [IPStatus.FILED, IPStatus.EXPIRED, IPStatus.REVOKED])
def test_ip_that_is_not_registered_is_not_counted(today, status):
    company = ResidentCompanyFactory()
    IntellectualPropertyFactory(company=company, kind=Kind.INVENTION_PATENT, status=status)
    IntellectualPropertyFactory(company=company, kind=Kind.TRADEMARK, status=status)

    assert figures_of(company.technopolis, today).patents_and_trademarks == 0


def test_figures_of_two_parks_are_counted_independently(today):
    big, small = TechnopolisFactory(), TechnopolisFactory()
    big_companies = ResidentCompanyFactory.create_batch(3, technopolis=big)
    small_company = ResidentCompanyFactory(technopolis=small)
    for company in big_companies:
        ProductFactory(company=company)
        IntellectualPropertyFactory(company=company)
        KnowHowFactory.create_batch(2, company=company)
    ProductFactory(company=small_company)

    assert figures_of(big, today) == Figures(3, 3, 3, 6)
    assert figures_of(small, today) == Figures(1, 1, 0, 0)

    annotated = {park.pk: park for park in parks_with_figures(Technopolis.objects.all(), today=today)}
    assert (annotated[big.pk].figure_resident_companies, annotated[small.pk].figure_resident_companies) == (3, 1)
    assert (annotated[big.pk].figure_know_how, annotated[small.pk].figure_know_how) == (6, 0)


def park_with_records() -> Technopolis:
    park = TechnopolisFactory()
    company = ResidentCompanyFactory(technopolis=park)
    ProductFactory(company=company)
    IntellectualPropertyFactory(company=company)
    KnowHowFactory(company=company)
    return park


@pytest.mark.parametrize("park_count", [3, 10])
def test_figures_of_many_parks_take_one_query(django_assert_num_queries, today, park_count):
    for _ in range(park_count):
        park_with_records()

    # One SELECT of the parks with four counting subqueries, however many parks there are.
    with django_assert_num_queries(1):
        parks = list(parks_with_figures(Technopolis.objects.all(), today=today))

    assert len(parks) == park_count
    assert all(
        (p.figure_resident_companies, p.figure_products, p.figure_patents_and_trademarks, p.figure_know_how)
        == (1, 1, 1, 1)
        for p in parks
    )
