"""Missing data: records copied from press releases are often incomplete, and that is allowed.

Each app declares, once, what counts as missing for its records (a list of `MissingDataRule`).
The same rules annotate querysets (for list columns and filters: "what to complete") and explain
a single record (for its page), so a list and a record never disagree.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import models
from django.db.models import BooleanField, Case, Q, Value, When


@dataclass(frozen=True)
class MissingDataRule:
    code: str
    label: str
    # True for the rows where the data is missing.
    condition: Q
    # Where to complete it: the edit form's field (or an anchor on the form); empty means the field named `code`.
    field: str = ""

    @property
    def annotation(self) -> str:
        return f"missing_{self.code}"


def annotate_missing(queryset: models.QuerySet, rules: Iterable[MissingDataRule]) -> models.QuerySet:
    return queryset.annotate(
        **{
            rule.annotation: Case(
                When(rule.condition, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
            for rule in rules
        }
    )


def filter_missing(queryset: models.QuerySet, rules: Sequence[MissingDataRule], code: str | None = None):
    """Rows missing the data of rule `code`, or of any rule when `code` is None."""
    chosen = [rule for rule in rules if code is None or rule.code == code]
    condition = Q(pk__in=[])
    for rule in chosen:
        condition |= rule.condition
    return queryset.filter(condition)


@dataclass(frozen=True)
class Missing:
    label: str
    # The id of the element to complete it on the record's edit form ("id_city", "parties").
    anchor: str


def missing_data(record: models.Model, rules: Sequence[MissingDataRule]) -> list[Missing]:
    """What `record` lacks and where its edit form asks for it; reads the annotations when present, else
    asks the database once."""
    if record.pk is None:
        return []
    if not all(hasattr(record, rule.annotation) for rule in rules):
        record = annotate_missing(type(record)._default_manager.filter(pk=record.pk), rules).get()
    return [Missing(str(rule.label), _anchor(record, rule)) for rule in rules if getattr(record, rule.annotation)]


def missing_labels(record: models.Model, rules: Sequence[MissingDataRule]) -> list[str]:
    return [missing.label for missing in missing_data(record, rules)]


def _anchor(record: models.Model, rule: MissingDataRule) -> str:
    field = rule.field or rule.code
    if any(f.name == field for f in record._meta.fields):
        # A name kept in two languages is asked in the reader's one under its plain name (common.bilingual).
        return f"id_{field}"
    return field  # an anchor of the form's own, such as a formset's fieldset
