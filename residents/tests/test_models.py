"""Rules on resident companies and what they own: INN, residency dates, IP records, products."""

import datetime

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from residents.models import IntellectualProperty, ResidentCompany
from tests.factories import (
    IntellectualPropertyFactory,
    ProductFactory,
    ResidentCompanyFactory,
    TechnopolisFactory,
)
from tests.support.assertions import assert_refused, refused_by_database

pytestmark = pytest.mark.django_db

SBERBANK = "7707083893"
INDIVIDUAL = "500100732259"


def new_company(**fields) -> ResidentCompany:
    """An unsaved company of a stored park, ready for full_clean()."""
    fields.setdefault("technopolis", TechnopolisFactory())
    return ResidentCompanyFactory.build(**fields)


# INN


@pytest.mark.parametrize("inn", [SBERBANK, INDIVIDUAL])
def test_company_with_a_valid_inn_is_accepted(inn):
    new_company(inn=inn).full_clean()


def test_company_inn_with_a_wrong_check_digit_is_refused():
    assert_refused(new_company(inn="7707083894"), "inn", "check digits are wrong")


@pytest.mark.parametrize("inn", ["770708389", "77070838931", "77070838AB", "７７０７０８３８９３", "٧٧٠٧٠٨٣٨٩٣"])
def test_company_inn_of_the_wrong_format_is_refused(inn):
    assert_refused(new_company(inn=inn), "inn", "10 digits (organisation) or 12 digits (individual)")


def test_second_company_with_the_same_inn_is_refused():
    ResidentCompanyFactory(inn=SBERBANK)

    assert_refused(new_company(inn=SBERBANK), "inn", "Resident company with this INN already exists")


def test_database_refuses_a_second_company_with_the_same_inn():
    ResidentCompanyFactory(inn=SBERBANK)

    with refused_by_database("inn"):
        ResidentCompanyFactory(inn=SBERBANK)


@pytest.mark.parametrize("inn", ["770708389", "77070838931", "77070838AB", "７７０７０８３８９３", "7707 08389"])
def test_database_refuses_an_inn_that_is_not_10_or_12_digits(inn):
    with refused_by_database("resident_inn_has_10_or_12_digits"):
        ResidentCompanyFactory(inn=inn)


@pytest.mark.parametrize("inn", [SBERBANK, INDIVIDUAL])
def test_database_accepts_10_and_12_digit_inns(inn):
    assert ResidentCompanyFactory(inn=inn).pk


# Residency dates


def test_residency_ending_before_it_starts_is_refused():
    company = new_company(residency_start=datetime.date(2021, 3, 1), residency_end=datetime.date(2021, 2, 28))

    assert_refused(company, "residency_end", "cannot end before it starts (2021-03-01)")


def test_residency_ending_the_day_it_starts_is_accepted():
    new_company(residency_start=datetime.date(2021, 3, 1), residency_end=datetime.date(2021, 3, 1)).full_clean()


def test_residency_end_without_a_known_start_is_accepted():
    new_company(residency_start=None, residency_end=datetime.date(2021, 3, 1)).full_clean()


def test_database_refuses_a_residency_ending_before_it_starts():
    with refused_by_database("residency_ends_after_it_starts"):
        ResidentCompanyFactory(residency_start=datetime.date(2021, 3, 1), residency_end=datetime.date(2021, 2, 28))


def test_current_and_former_residents_split_on_the_end_date(today):
    no_end = ResidentCompanyFactory(residency_end=None)
    leaving_tomorrow = ResidentCompanyFactory(residency_end=today + datetime.timedelta(days=1))
    left_today = ResidentCompanyFactory(residency_end=today)
    left_last_year = ResidentCompanyFactory(residency_end=today.replace(year=today.year - 1))

    assert set(ResidentCompany.objects.current(today)) == {no_end, leaving_tomorrow}
    assert set(ResidentCompany.objects.former(today)) == {left_today, left_last_year}


def test_company_whose_residency_has_not_started_is_not_a_current_resident(today):
    joins_next_month = ResidentCompanyFactory(residency_start=today + datetime.timedelta(days=30))
    joined_today = ResidentCompanyFactory(residency_start=today)
    start_unknown = ResidentCompanyFactory(residency_start=None)

    assert set(ResidentCompany.objects.current(today)) == {joined_today, start_unknown}
    assert joins_next_month not in ResidentCompany.objects.former(today)


# Intellectual property


def new_ip_record(**fields) -> IntellectualProperty:
    fields.setdefault("company", ResidentCompanyFactory())
    return IntellectualPropertyFactory.build(**fields)


def test_ip_record_duplicating_a_registration_number_of_the_same_kind_is_refused():
    IntellectualPropertyFactory(kind=IntellectualProperty.Kind.TRADEMARK, registration_number="RU 812345")
    duplicate = new_ip_record(kind=IntellectualProperty.Kind.TRADEMARK, registration_number="RU 812345")

    assert_refused(duplicate, NON_FIELD_ERRORS, "of this kind with this registration number already exists")


def test_ip_duplicate_is_caught_by_validate_constraints():
    IntellectualPropertyFactory(kind=IntellectualProperty.Kind.TRADEMARK, registration_number="RU 812345")
    duplicate = new_ip_record(kind=IntellectualProperty.Kind.TRADEMARK, registration_number="RU 812345")

    with pytest.raises(ValidationError, match="already exists") as caught:
        duplicate.validate_constraints()
    assert NON_FIELD_ERRORS in caught.value.message_dict


def test_database_refuses_a_duplicate_registration_number_of_the_same_kind():
    IntellectualPropertyFactory(kind=IntellectualProperty.Kind.TRADEMARK, registration_number="RU 812345")

    with refused_by_database("ip_registration_number_unique_per_kind"):
        IntellectualPropertyFactory(kind=IntellectualProperty.Kind.TRADEMARK, registration_number="RU 812345")


def test_same_registration_number_of_a_different_kind_is_accepted():
    IntellectualPropertyFactory(kind=IntellectualProperty.Kind.TRADEMARK, registration_number="2020612345")
    software = new_ip_record(kind=IntellectualProperty.Kind.SOFTWARE, registration_number="2020612345")

    software.full_clean()
    software.save()
    assert IntellectualProperty.objects.filter(registration_number="2020612345").count() == 2


def test_ip_registered_before_it_was_filed_is_refused():
    record = new_ip_record(filed_on=datetime.date(2022, 5, 10), registered_on=datetime.date(2022, 5, 9))

    assert_refused(record, "registered_on", "Registration cannot come before filing")


def test_ip_registered_the_day_it_was_filed_is_accepted():
    new_ip_record(filed_on=datetime.date(2022, 5, 10), registered_on=datetime.date(2022, 5, 10)).full_clean()


def test_database_refuses_ip_registered_before_it_was_filed():
    with refused_by_database("ip_registered_after_filed"):
        IntellectualPropertyFactory(filed_on=datetime.date(2022, 5, 10), registered_on=datetime.date(2022, 5, 9))


@pytest.mark.parametrize("expires_on", [datetime.date(2022, 5, 9), datetime.date(2022, 5, 10)])
def test_ip_expiring_on_or_before_registration_is_refused(expires_on):
    record = new_ip_record(registered_on=datetime.date(2022, 5, 10), expires_on=expires_on)

    assert_refused(record, "expires_on", "Protection must expire after registration")


@pytest.mark.parametrize("expires_on", [datetime.date(2022, 5, 9), datetime.date(2022, 5, 10)])
def test_database_refuses_ip_expiring_on_or_before_registration(expires_on):
    with refused_by_database("ip_expires_after_registered"):
        IntellectualPropertyFactory(registered_on=datetime.date(2022, 5, 10), expires_on=expires_on)


def test_ip_with_filing_registration_and_expiry_in_order_is_accepted():
    new_ip_record(
        filed_on=datetime.date(2021, 1, 15),
        registered_on=datetime.date(2022, 5, 10),
        expires_on=datetime.date(2041, 1, 15),
    ).full_clean()


# Products


def test_product_name_already_used_by_the_same_company_is_refused():
    existing = ProductFactory(name="Smart meter")
    duplicate = ProductFactory.build(company=existing.company, name="Smart meter")

    assert_refused(duplicate, NON_FIELD_ERRORS, "Product with this Company and Name already exists")


def test_database_refuses_a_second_product_with_the_same_name_for_a_company():
    existing = ProductFactory(name="Smart meter")

    with refused_by_database("product_name_unique_per_company"):
        ProductFactory(company=existing.company, name="Smart meter")


def test_product_name_used_by_another_company_is_accepted():
    ProductFactory(name="Smart meter")

    ProductFactory.build(company=ResidentCompanyFactory(), name="Smart meter").full_clean()


def test_database_refuses_a_product_launched_in_an_implausible_year():
    with refused_by_database("product_year_launched_plausible"):
        ProductFactory(year_launched=1850)
