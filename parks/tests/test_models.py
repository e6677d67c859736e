"""Rules on parks and their infrastructure: plausible years, facility names unique within a park."""

import pytest
from django.core.exceptions import NON_FIELD_ERRORS

from parks.models import Facility
from tests.factories import FacilityFactory, TechnopolisFactory
from tests.support.assertions import assert_refused, refused_by_database

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("year", [1900, 2006, 2100])
def test_park_founded_in_a_plausible_year_is_accepted(year):
    TechnopolisFactory.build(founded_year=year).full_clean()


def test_park_with_unknown_founding_year_is_accepted():
    TechnopolisFactory.build(founded_year=None).full_clean()


@pytest.mark.parametrize(
    ("year", "fragment"), [(1899, "greater than or equal to 1900"), (2101, "less than or equal to 2100")]
)
def test_park_founded_in_an_implausible_year_is_refused(year, fragment):
    assert_refused(TechnopolisFactory.build(founded_year=year), "founded_year", fragment)


def test_park_founding_year_typo_is_refused():
    assert_refused(TechnopolisFactory.build(founded_year=20006), "founded_year", "less than or equal to 2100")


@pytest.mark.parametrize("year", [1899, 2101, 20006])
def test_database_refuses_an_implausible_founding_year(year):
    with refused_by_database("technopolis_founded_year_plausible"):
        TechnopolisFactory(founded_year=year)


def test_database_accepts_unknown_founding_year():
    assert TechnopolisFactory(founded_year=None).pk


def test_facility_name_already_used_in_the_same_park_is_refused():
    existing = FacilityFactory(name="Business incubator")
    duplicate = FacilityFactory.build(technopolis=existing.technopolis, name="Business incubator")

    assert_refused(duplicate, NON_FIELD_ERRORS, "Facility with this Park and Name already exists")


def test_database_refuses_a_second_facility_with_the_same_name_in_a_park():
    existing = FacilityFactory(name="Business incubator")

    with refused_by_database("facility_name_unique_per_park"):
        FacilityFactory(technopolis=existing.technopolis, name="Business incubator")


def test_facility_name_used_in_another_park_is_accepted():
    FacilityFactory(name="Business incubator")
    elsewhere = FacilityFactory.build(technopolis=TechnopolisFactory(), name="Business incubator")

    elsewhere.full_clean()
    elsewhere.save()
    assert Facility.objects.filter(name="Business incubator").count() == 2


def test_facility_opened_in_an_implausible_year_is_refused():
    facility = FacilityFactory.build(technopolis=TechnopolisFactory(), year_opened=1899)

    assert_refused(facility, "year_opened", "greater than or equal to 1900")


def test_database_refuses_a_facility_opened_in_an_implausible_year():
    with refused_by_database("facility_year_opened_plausible"):
        FacilityFactory(year_opened=20006)
