"""Validators of agreement fields that are more than a type."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_LEAD_DAYS = 365


def parse_day_list(value: str) -> list[int]:
    """ "14, 3, 0" -> [14, 3, 0]; raises ValueError on anything else."""
    days = [int(part) for part in value.replace(" ", "").split(",") if part != ""]
    if any(day < 0 or day > MAX_LEAD_DAYS for day in days):
        raise ValueError(value)
    return sorted(set(days), reverse=True)


def validate_day_list(value: str) -> None:
    try:
        parse_day_list(value)
    except ValueError:
        raise ValidationError(
            _("Give whole numbers of days from 0 to %(max)d, separated by commas, e.g. 14, 3, 0."),
            params={"max": MAX_LEAD_DAYS},
            code="invalid_day_list",
        ) from None
