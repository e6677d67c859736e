"""The Russian taxpayer number (INN): 10 digits for organisations, 12 for individuals."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_WEIGHTS_10 = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_WEIGHTS_11 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_WEIGHTS_12 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)


def inn_check_digit(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % 11 % 10


def is_valid_inn(value: str) -> bool:
    if not value.isascii() or not value.isdigit():
        return False
    if len(value) == 10:
        return inn_check_digit(value, _WEIGHTS_10) == int(value[9])
    if len(value) == 12:
        return inn_check_digit(value, _WEIGHTS_11) == int(value[10]) and inn_check_digit(value, _WEIGHTS_12) == int(
            value[11]
        )
    return False


def complete_inn(prefix: str) -> str:
    """Appends the check digits to 9 (organisation) or 10 (individual) digits."""
    if len(prefix) == 9:
        return prefix + str(inn_check_digit(prefix, _WEIGHTS_10))
    if len(prefix) == 10:
        eleven = prefix + str(inn_check_digit(prefix, _WEIGHTS_11))
        return eleven + str(inn_check_digit(eleven, _WEIGHTS_12))
    raise ValueError("an INN prefix has 9 or 10 digits")


def validate_inn(value: str) -> None:
    if not value.isascii() or not value.isdigit() or len(value) not in (10, 12):
        raise ValidationError(
            _("An INN has 10 digits (organisation) or 12 digits (individual), digits only."),
            code="inn_format",
        )
    if not is_valid_inn(value):
        raise ValidationError(_("This INN's check digits are wrong: please check for a typo."), code="inn_checksum")
