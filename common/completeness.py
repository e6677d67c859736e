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


def missing_labels(record: models.Model, rules: Sequence[MissingDataRule]) -> list[str]:
    """What `record` lacks; reads the annotations when present, else asks the database once."""
    if record.pk is None:
        return []
    if not all(hasattr(record, rule.annotation) for rule in rules):
        record = annotate_missing(type(record)._default_manager.filter(pk=record.pk), rules).get()
    return [str(rule.label) for rule in rules if getattr(record, rule.annotation)]
