"""Plausible values of what people type: the one place for the ranges a year, a date or a count may take.

Each range is enforced twice: by a validator on the model field (the message a person reads, in the
portal's forms, admin, the importer and the API alike) and by a CheckConstraint (the database refuses
whatever slips past, such as a bulk update). The date range also keeps every date computation (terms
and renewals, act-by days, the calendar feed, "overdue by N days") far from the ends of Python's
date type, where year 1 or 9999 would overflow.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

EARLIEST_YEAR = 1900
LATEST_YEAR = 2100
EARLIEST_DATE = datetime.date(EARLIEST_YEAR, 1, 1)
LATEST_DATE = datetime.date(LATEST_YEAR, 12, 31)

# Counts a park reports or a company has: far above any real one, far below a typo of nine digits.
MAX_COUNT = 1_000_000

year_validators = [MinValueValidator(EARLIEST_YEAR), MaxValueValidator(LATEST_YEAR)]
count_validators = [MaxValueValidator(MAX_COUNT)]


@deconstructible
class PlausibleDateValidator:
    """Refuses a date outside EARLIEST_DATE..LATEST_DATE with a message a person understands."""

    message = _("Enter a date in the years %(earliest)s to %(latest)s.")
    code = "implausible_date"

    def __call__(self, value: datetime.date | None) -> None:
        if value is not None and not EARLIEST_DATE <= value <= LATEST_DATE:
            raise ValidationError(
                self.message, code=self.code, params={"earliest": EARLIEST_YEAR, "latest": LATEST_YEAR}
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PlausibleDateValidator)

    def __hash__(self) -> int:
        return hash(self.code)


date_validators = [PlausibleDateValidator()]


def plausible_range_constraint(field: str, *, low, high, name: str) -> models.CheckConstraint:
    """The database's copy of a range validator, for a field that may be empty (NULL)."""
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": low, f"{field}__lte": high}),
        name=name,
    )


def plausible_year_constraint(field: str, name: str) -> models.CheckConstraint:
    return plausible_range_constraint(field, low=EARLIEST_YEAR, high=LATEST_YEAR, name=name)


def plausible_date_constraint(field: str, name: str) -> models.CheckConstraint:
    return plausible_range_constraint(field, low=EARLIEST_DATE, high=LATEST_DATE, name=name)


def plausible_count_constraint(field: str, name: str) -> models.CheckConstraint:
    return plausible_range_constraint(field, low=0, high=MAX_COUNT, name=name)
