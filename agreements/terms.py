"""An agreement's term across renewal cycles, and the derived "act-by" date.

With automatic renewal every N months unless notice is given, the term ends on the expiry date,
then N, 2N, ... months later. The act-by date is the last day to give notice before the next
renewal: the end of the current cycle minus the notice period. Each cycle end is computed from
the original expiry date (never by adding N months repeatedly) so that month ends do not drift.
"""

import datetime

from dateutil.relativedelta import relativedelta

# Enough cycles for any real agreement; bounds the search should data be absurd.
_MAX_CYCLES = 1200


def term_end_on(
    *, expires_on: datetime.date | None, renews_automatically: bool, renewal_months: int | None, today: datetime.date
) -> datetime.date | None:
    """The end of the term running on `today` (the first cycle end not before today)."""
    if expires_on is None:
        return None
    if not renews_automatically or not renewal_months:
        return expires_on
    for cycle in range(_MAX_CYCLES):
        try:
            end = expires_on + relativedelta(months=cycle * renewal_months)
        except ValueError:
            return None  # past year 9999: no later cycle exists
        if end >= today:
            return end
    return None


def act_by_on(
    *,
    expires_on: datetime.date | None,
    renews_automatically: bool,
    renewal_months: int | None,
    notice_period_days: int | None,
    today: datetime.date,
) -> datetime.date | None:
    """The next last day to give notice against an automatic renewal, on or after `today`."""
    if expires_on is None or not renews_automatically or not renewal_months or notice_period_days is None:
        return None
    notice = datetime.timedelta(days=notice_period_days)
    for cycle in range(_MAX_CYCLES):
        try:
            end = expires_on + relativedelta(months=cycle * renewal_months)
        except ValueError:
            return None  # past year 9999: no later cycle exists
        try:
            act_by = end - notice
        except OverflowError:
            continue  # the notice would start before year 1
        if act_by >= today:
            return act_by
    return None
