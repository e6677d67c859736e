"""The taxpayer number (INN) validator: format and check digits, without the database."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from residents.validators import complete_inn, is_valid_inn, validate_inn

SBERBANK = "7707083893"
INDIVIDUAL = "500100732259"

organisation_prefixes = st.text(alphabet="0123456789", min_size=9, max_size=9)
individual_prefixes = st.text(alphabet="0123456789", min_size=10, max_size=10)


def refusal_code(value: str) -> str:
    with pytest.raises(ValidationError) as caught:
        validate_inn(value)
    return caught.value.code


@pytest.mark.parametrize("inn", [SBERBANK, INDIVIDUAL])
def test_valid_inn_is_accepted(inn):
    assert is_valid_inn(inn)
    validate_inn(inn)


@pytest.mark.parametrize(
    "inn",
    [
        "7707083894",  # organisation, check digit off by one
        "500100732258",  # individual, second check digit wrong
        "500100732159",  # individual, first check digit wrong
        "7707083839",  # two digits swapped
    ],
)
def test_inn_with_a_wrong_check_digit_is_refused(inn):
    assert not is_valid_inn(inn)
    assert refusal_code(inn) == "inn_checksum"


@pytest.mark.parametrize(
    "value",
    [
        "",
        "770708389",  # 9 digits
        "77070838931",  # 11 digits
        "5001007322591",  # 13 digits
        "77070838AB",  # letters
        "7707 083893",  # a space
        " 7707083893",  # leading blank
        "7707083893\n",  # trailing newline
        "-707083893",
        "７７０７０８３８９３",  # full-width digits
        "٧٧٠٧٠٨٣٨٩٣",  # Arabic-Indic digits
    ],
)
def test_inn_that_is_not_10_or_12_ascii_digits_is_refused(value):
    assert not is_valid_inn(value)
    assert refusal_code(value) == "inn_format"


def test_complete_inn_appends_the_check_digits_of_known_numbers():
    assert complete_inn(SBERBANK[:9]) == SBERBANK
    assert complete_inn(INDIVIDUAL[:10]) == INDIVIDUAL


@pytest.mark.parametrize("prefix", ["", "77070838", "77070838931"])
def test_complete_inn_refuses_a_prefix_of_the_wrong_length(prefix):
    with pytest.raises(ValueError, match="9 or 10 digits"):
        complete_inn(prefix)


@given(prefix=st.one_of(organisation_prefixes, individual_prefixes))
def test_completed_inn_keeps_its_prefix_and_is_valid(prefix):
    inn = complete_inn(prefix)

    assert inn.startswith(prefix)
    assert len(inn) == {9: 10, 10: 12}[len(prefix)]
    assert is_valid_inn(inn)
    validate_inn(inn)


@given(prefix=st.one_of(organisation_prefixes, individual_prefixes), shift=st.integers(min_value=1, max_value=9))
def test_inn_with_any_other_last_digit_is_refused(prefix, shift):
    inn = complete_inn(prefix)
    typo = inn[:-1] + str((int(inn[-1]) + shift) % 10)

    assert not is_valid_inn(typo)
    assert refusal_code(typo) == "inn_checksum"


@given(prefix=individual_prefixes, shift=st.integers(min_value=1, max_value=9))
def test_individual_inn_with_a_wrong_first_check_digit_is_refused_whatever_the_last(prefix, shift):
    inn = complete_inn(prefix)
    eleventh = str((int(inn[10]) + shift) % 10)

    assert not any(is_valid_inn(inn[:10] + eleventh + last) for last in "0123456789")


@given(value=st.text(max_size=14).filter(lambda v: not (v.isascii() and v.isdigit() and len(v) in (10, 12))))
def test_anything_but_10_or_12_ascii_digits_is_refused_as_a_format_error(value):
    assert not is_valid_inn(value)
    assert refusal_code(value) == "inn_format"
