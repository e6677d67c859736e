"""An agreement's term across automatic renewals, and the last day to give notice (act-by)."""

import datetime

import pytest

from agreements import terms
from agreements.models import Agreement

D = datetime.date


def act_by(expires_on, today, *, renewal_months=12, notice_period_days=30, renews_automatically=True):
    return terms.act_by_on(
        expires_on=expires_on,
        renews_automatically=renews_automatically,
        renewal_months=renewal_months,
        notice_period_days=notice_period_days,
        today=today,
    )


def term_end(expires_on, today, *, renewal_months=12, renews_automatically=True):
    return terms.term_end_on(
        expires_on=expires_on,
        renews_automatically=renews_automatically,
        renewal_months=renewal_months,
        today=today,
    )


def test_agreement_without_automatic_renewal_has_no_act_by_date():
    assert act_by(D(2027, 12, 31), D(2026, 11, 25), renews_automatically=False) is None


def test_agreement_without_automatic_renewal_ends_on_its_expiry_even_once_past():
    assert term_end(D(2027, 12, 31), D(2026, 11, 25), renews_automatically=False) == D(2027, 12, 31)
    assert term_end(D(2027, 12, 31), D(2030, 1, 1), renews_automatically=False) == D(2027, 12, 31)


def test_open_ended_agreement_has_neither_term_end_nor_act_by():
    assert term_end(None, D(2026, 11, 25)) is None
    assert act_by(None, D(2026, 11, 25)) is None


@pytest.mark.parametrize("missing", [{"renewal_months": None}, {"notice_period_days": None}])
def test_automatic_renewal_missing_period_or_notice_has_no_act_by_date(missing):
    assert act_by(D(2027, 12, 31), D(2026, 11, 25), **missing) is None


def test_act_by_is_the_notice_period_before_the_first_expiry():
    assert act_by(D(2027, 12, 31), D(2026, 11, 25)) == D(2027, 12, 1)


def test_act_by_day_itself_still_counts_as_in_time():
    assert act_by(D(2027, 12, 31), D(2027, 12, 1)) == D(2027, 12, 1)


def test_once_the_first_act_by_has_passed_act_by_moves_to_the_next_cycle():
    assert act_by(D(2027, 12, 31), D(2027, 12, 2)) == D(2028, 12, 1)


def test_act_by_keeps_moving_one_renewal_period_at_a_time():
    assert act_by(D(2027, 12, 31), D(2029, 6, 1)) == D(2029, 12, 1)


def test_zero_day_notice_may_be_given_up_to_the_expiry_day():
    assert act_by(D(2027, 12, 31), D(2027, 12, 31), notice_period_days=0) == D(2027, 12, 31)


def test_term_running_today_ends_at_the_current_cycle_end():
    expires_on = D(2027, 12, 31)

    assert term_end(expires_on, D(2026, 11, 25)) == D(2027, 12, 31)
    assert term_end(expires_on, D(2027, 12, 31)) == D(2027, 12, 31)
    assert term_end(expires_on, D(2028, 1, 1)) == D(2028, 12, 31)


def test_between_act_by_and_expiry_the_term_still_ends_at_the_current_cycle():
    # Notice can no longer stop the renewal at 2027-12-31, but the current term still ends there.
    assert act_by(D(2027, 12, 31), D(2027, 12, 15)) == D(2028, 12, 1)
    assert term_end(D(2027, 12, 31), D(2027, 12, 15)) == D(2027, 12, 31)


@pytest.mark.parametrize(
    ("today", "cycle_end"),
    [
        (D(2027, 1, 31), D(2027, 1, 31)),
        (D(2027, 2, 1), D(2027, 2, 28)),
        (D(2027, 3, 1), D(2027, 3, 31)),
        (D(2027, 4, 1), D(2027, 4, 30)),
        (D(2027, 5, 1), D(2027, 5, 31)),
        (D(2028, 2, 1), D(2028, 2, 29)),
        (D(2028, 3, 1), D(2028, 3, 31)),
    ],
)
def test_monthly_renewal_from_a_month_end_does_not_drift(today, cycle_end):
    assert term_end(D(2027, 1, 31), today, renewal_months=1) == cycle_end


def test_act_by_of_monthly_renewal_from_a_month_end_follows_the_month_ends():
    expires_on = D(2027, 1, 31)

    # Cycle ends 2027-02-28 then 2027-03-31: after the short month, notice is due 10 days before the 31st.
    assert act_by(expires_on, D(2027, 2, 1), renewal_months=1, notice_period_days=10) == D(2027, 2, 18)
    assert act_by(expires_on, D(2027, 2, 19), renewal_months=1, notice_period_days=10) == D(2027, 3, 21)


def test_renewal_from_29_february_returns_to_29_february_in_leap_years():
    assert term_end(D(2028, 2, 29), D(2031, 3, 1)) == D(2032, 2, 29)
    assert term_end(D(2028, 2, 29), D(2029, 1, 1)) == D(2029, 2, 28)


def test_notice_period_longer_than_a_cycle_points_at_a_later_renewal():
    # Monthly renewal, 45 days' notice: on 2027-02-01 it is too late to stop the renewal at 2027-02-28,
    # so act-by is for 2027-03-31; on 2027-02-15 it is too late for that one too, so for 2027-04-30.
    assert act_by(D(2027, 1, 31), D(2027, 2, 1), renewal_months=1, notice_period_days=45) == D(2027, 2, 14)
    assert act_by(D(2027, 1, 31), D(2027, 2, 15), renewal_months=1, notice_period_days=45) == D(2027, 3, 16)


def test_agreement_act_by_on_uses_its_own_renewal_terms(today):
    agreement = Agreement(
        expires_on=D(2027, 12, 31),
        renewal=Agreement.Renewal.AUTOMATIC,
        renewal_months=12,
        notice_period_days=30,
    )

    assert agreement.act_by_on(today) == D(2027, 12, 1)
    assert agreement.act_by_on(D(2027, 12, 2)) == D(2028, 12, 1)
    assert agreement.term_end_on(D(2028, 1, 1)) == D(2028, 12, 31)


@pytest.mark.parametrize("renewal", [Agreement.Renewal.NONE, Agreement.Renewal.BY_DECISION])
def test_agreement_not_renewing_automatically_has_no_act_by_date(today, renewal):
    agreement = Agreement(expires_on=D(2027, 12, 31), renewal=renewal, renewal_months=12, notice_period_days=30)

    assert agreement.act_by_on(today) is None
    assert agreement.term_end_on(D(2028, 6, 1)) == D(2027, 12, 31)
