"""The columns of an import or export: header label, how a cell's text becomes a field value and back."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Choices
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

_DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y")
_TRUE = {"yes", "true", "1", "y", "да", "д"}
_FALSE = {"no", "false", "0", "n", "нет", "н", ""}


def in_every_language(text: Promise) -> set[str]:
    """The lower-cased translations of `text` in each of the portal's languages."""
    found = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            found.add(str(text).strip().lower())
    return found


def text(value: str) -> str:
    return value


def optional_date(value: str) -> datetime.date | None:
    if not value:
        return None
    for pattern in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value[:10] if "T" in value else value, pattern).date()
        except ValueError:
            continue
    raise ValidationError(_("“%(value)s” is not a date; write it as YYYY-MM-DD or DD.MM.YYYY.") % {"value": value})


def optional_int(value: str) -> int | None:
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise ValidationError(_("“%(value)s” is not a whole number.") % {"value": value}) from None


def boolean(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in _TRUE or lowered in in_every_language(_("yes")):
        return True
    if lowered in _FALSE or lowered in in_every_language(_("no")):
        return False
    raise ValidationError(_("“%(value)s” is neither yes nor no.") % {"value": value})


def choice(choices: type[Choices], *, blank: str | None = None) -> Callable[[str], str]:
    """Accepts a choice by its code or by its label in any of the portal's languages."""

    def parse(value: str) -> str:
        if not value:
            if blank is None:
                raise ValidationError(_("This column is required."))
            return blank
        lowered = value.strip().lower()
        for code, label in choices.choices:
            if lowered == code or lowered in in_every_language(label):
                return code
        allowed = ", ".join(str(label) for label in choices.labels)
        raise ValidationError(_("“%(value)s” is not one of: %(allowed)s.") % {"value": value, "allowed": allowed})

    return parse


@dataclass(frozen=True)
class Column:
    key: str
    label: Promise
    # The model field the column sets; None when the importer sets it (a lookup of another record).
    field: str | None = None
    parse: Callable[[str], Any] = text
    required: bool = False
    # The value written to an export (and shown in the template's example row).
    export: Callable[[Any], Any] = lambda record: ""
    example: str = ""
    # False for what an export shows for reading only (a count, a related record's name the importer
    # does not set): left out of the import template, and quietly skipped when an export is imported.
    imported: bool = True

    def names(self) -> set[str]:
        """Header texts that mean this column: its key or its label in any language."""
        return {self.key.lower(), *in_every_language(self.label)}
