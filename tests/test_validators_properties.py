"""Property-based tests (hypothesis) of the validators and date rules: for any input, not examples.

The INN has its own properties in tests/test_inn.py; here only "any text gets a clear answer".
"""

import calendar
import csv
import datetime
import io

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from agreements.lifecycle import ALLOWED_TRANSITIONS, AgreementStatus, check_transition
from agreements.terms import _MAX_CYCLES, act_by_on, term_end_on
from agreements.validators import MAX_LEAD_DAYS, parse_day_list, validate_day_list
from common.exports import csv_response, spreadsheet_text
from residents.validators import is_valid_inn, validate_inn

FORMULA_STARTS = ("=", "+", "-", "@")

# Dates an agreement may realistically carry; the edges of the calendar are tested separately.
dates = st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2100, 12, 31))
renewal_months = st.integers(min_value=1, max_value=120)
notice_days = st.integers(min_value=0, max_value=3 * 365)


# --- residents.validators ------------------------------------------------------------------------


@given(st.text())
def test_validate_inn_answers_any_text_with_a_validation_error_or_nothing(value):
    try:
        validate_inn(value)
    except ValidationError as error:
        assert error.code in ("inn_format", "inn_checksum")
        assert not is_valid_inn(value)
    else:
        assert is_valid_inn(value)


# --- agreements.validators: reminder day lists --------------------------------------------------


day = st.integers(min_value=0, max_value=MAX_LEAD_DAYS)


@given(st.lists(day, max_size=10), st.sampled_from([",", ", ", " ,", " , "]))
def test_a_list_of_valid_days_parses_to_the_distinct_days_latest_first(days, separator):
    value = separator.join(str(d) for d in days)

    assert parse_day_list(value) == sorted(set(days), reverse=True)
    validate_day_list(value)


@given(st.lists(day, max_size=5), st.integers().filter(lambda n: n < 0 or n > MAX_LEAD_DAYS), st.data())
def test_any_day_out_of_range_refuses_the_whole_list(days, bad, data):
    days.insert(data.draw(st.integers(min_value=0, max_value=len(days))), bad)
    value = ", ".join(str(d) for d in days)

    with pytest.raises(ValueError):
        parse_day_list(value)
    with pytest.raises(ValidationError) as caught:
        validate_day_list(value)
    assert caught.value.code == "invalid_day_list"


@given(st.text(max_size=50))
def test_any_text_is_either_a_list_of_days_in_range_or_a_clear_error(value):
    try:
        days = parse_day_list(value)
    except ValueError:
        with pytest.raises(ValidationError):
            validate_day_list(value)
        return
    validate_day_list(value)
    assert all(0 <= d <= MAX_LEAD_DAYS for d in days)
    assert days == sorted(set(days), reverse=True)
    # What was accepted reads back the same once written out again.
    assert parse_day_list(", ".join(map(str, days))) == days


# --- agreements.terms ----------------------------------------------------------------------------


def _months_between(start: datetime.date, end: datetime.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


def _beyond_search(expires_on: datetime.date, months: int, today: datetime.date) -> bool:
    """Absurd data: today lies past the last renewal the rules look at (they answer None)."""
    try:
        return expires_on + relativedelta(months=(_MAX_CYCLES - 1) * months) < today
    except ValueError:
        return False  # the search would reach the end of the calendar, far past any today here


def _is_cycle_end(end: datetime.date, expires_on: datetime.date, months: int) -> bool:
    """A cycle end is a whole number of cycles after expiry, on the same day of the month or the
    month's last day when that month is shorter (computed from the expiry: no drift)."""
    elapsed = _months_between(expires_on, end)
    last_day = calendar.monthrange(end.year, end.month)[1]
    return elapsed >= 0 and elapsed % months == 0 and end.day == min(expires_on.day, last_day)


@given(dates, renewal_months, dates)
def test_the_term_end_of_a_renewing_agreement_is_the_first_cycle_end_not_before_today(expires_on, months, today):
    end = term_end_on(expires_on=expires_on, renews_automatically=True, renewal_months=months, today=today)

    if end is None:
        assert _beyond_search(expires_on, months, today)
        return
    assert end >= today
    assert _is_cycle_end(end, expires_on, months)
    if end != expires_on:
        previous = expires_on + relativedelta(months=_months_between(expires_on, end) - months)
        assert previous < today


@given(dates, st.one_of(st.none(), renewal_months), dates, st.booleans())
def test_without_automatic_renewal_the_term_ends_on_the_expiry_date(expires_on, months, today, renews):
    assume(not renews or months is None)

    end = term_end_on(expires_on=expires_on, renews_automatically=renews, renewal_months=months, today=today)

    assert end == expires_on


@given(dates, renewal_months, notice_days, dates)
def test_the_act_by_date_is_never_before_today_and_is_a_notice_period_before_a_cycle_end(
    expires_on, months, notice, today
):
    act_by = act_by_on(
        expires_on=expires_on,
        renews_automatically=True,
        renewal_months=months,
        notice_period_days=notice,
        today=today,
    )

    if act_by is None:
        assert _beyond_search(expires_on, months, today + datetime.timedelta(days=notice))
        return
    assert act_by >= today
    cycle_end = act_by + datetime.timedelta(days=notice)
    assert _is_cycle_end(cycle_end, expires_on, months)
    if cycle_end != expires_on:
        previous_end = expires_on + relativedelta(months=_months_between(expires_on, cycle_end) - months)
        assert previous_end - datetime.timedelta(days=notice) < today


@given(st.integers(min_value=1990, max_value=2090), st.integers(min_value=1, max_value=12), renewal_months, dates)
def test_an_expiry_on_a_month_end_renews_on_month_ends_without_drift(year, month, months, today):
    expires_on = datetime.date(year, month, calendar.monthrange(year, month)[1])
    assume(expires_on.day == 31)  # a 31st: every later cycle ends on its month's last day

    end = term_end_on(expires_on=expires_on, renews_automatically=True, renewal_months=months, today=today)

    assume(end is not None)
    assert end.day == calendar.monthrange(end.year, end.month)[1]


@given(
    st.one_of(st.none(), dates),
    st.booleans(),
    st.one_of(st.none(), st.integers(min_value=0, max_value=120)),
    st.one_of(st.none(), notice_days),
    dates,
)
def test_the_act_by_date_is_defined_only_for_automatic_renewal_with_a_notice_period(
    expires_on, renews, months, notice, today
):
    act_by = act_by_on(
        expires_on=expires_on,
        renews_automatically=renews,
        renewal_months=months,
        notice_period_days=notice,
        today=today,
    )

    if expires_on is None or not renews or not months or notice is None:
        assert act_by is None
    else:
        beyond = _beyond_search(expires_on, months, today + datetime.timedelta(days=notice))
        assert (act_by is None and beyond) or act_by >= today


# --- agreements.lifecycle ------------------------------------------------------------------------

statuses = st.sampled_from(list(AgreementStatus.values))


@given(statuses, statuses)
def test_check_transition_agrees_with_the_table_of_allowed_transitions(current, new):
    allowed = current == new or new in ALLOWED_TRANSITIONS[current]

    if allowed:
        check_transition(current, new)
    else:
        with pytest.raises(ValidationError) as caught:
            check_transition(current, new)
        assert "status" in caught.value.message_dict


@given(statuses, st.text(max_size=20).filter(lambda s: s not in AgreementStatus.values))
def test_an_unknown_target_status_is_refused(current, new):
    with pytest.raises((ValidationError, ValueError)):
        check_transition(current, new)


# --- common.exports: CSV cells that spreadsheets would run as formulas --------------------------


cell_values = st.one_of(
    st.text(),
    st.text(alphabet="=+-@\t\r\n'\" ,;abc1", max_size=10),
    st.integers(),
    st.floats(allow_nan=False),
    st.none(),
    st.dates(),
)


@given(cell_values)
def test_no_exported_cell_starts_like_a_formula(value):
    cell = spreadsheet_text(value)

    assert not cell.startswith(FORMULA_STARTS)
    original = "" if value is None else str(value)
    assert cell in (original, "'" + original)


@settings(max_examples=50)
@given(st.lists(st.lists(st.text(max_size=15), min_size=3, max_size=3), max_size=5))
def test_a_whole_csv_export_reads_back_with_no_formula_cells(rows):
    response = csv_response("x.csv", ["a", "b", "c"], rows)
    content = b"".join(response.streaming_content).decode("utf-8").removeprefix("\ufeff")

    parsed = list(csv.reader(io.StringIO(content, newline="")))

    assert len(parsed) == len(rows) + 1
    for parsed_row, row in zip(parsed[1:], rows, strict=True):
        for cell, value in zip(parsed_row, row, strict=True):
            assert not cell.startswith(FORMULA_STARTS)
            assert cell.removeprefix("'") == value.removeprefix("'") or cell == "'" + value


@given(
    st.dates(),
    st.integers(min_value=1, max_value=32767),
    st.integers(min_value=0, max_value=32767),
    st.dates(),
)
def test_the_date_rules_answer_for_any_dates_up_to_the_ends_of_the_calendar(expires_on, months, notice, today):
    """Year 1 or 9999 (typed into a form) gives a date or None, never an OverflowError on a page."""
    end = term_end_on(expires_on=expires_on, renews_automatically=True, renewal_months=months, today=today)
    act_by = act_by_on(
        expires_on=expires_on,
        renews_automatically=True,
        renewal_months=months,
        notice_period_days=notice,
        today=today,
    )

    assert end is None or end >= today
    assert act_by is None or act_by >= today
