"""A company's (or an IP record's) change history, field by field, for the record pages.

django-simple-history keeps a row per save. Asking each row for its `prev_record` would cost a
query per row; instead the ids of the latest rows and of their predecessors come in one query
(a subquery finds each predecessor), and those rows in a second: two queries per model, whatever
the length of the history. The same approach as agreements.history, which this app cannot import.
"""

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Model, OuterRef, QuerySet, Subquery
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import IntellectualProperty, KnowHow, Product, ResidentCompany

HISTORY_LIMIT = 20
_TEXT_LENGTH = 160
# Bookkeeping, not something a person changed.
_HIDDEN_FIELDS = ["version"]

_ACTIONS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: object
    new: object


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime.datetime
    user: User | None
    action: str
    subject: str
    changes: list[FieldChange]


def _display(record: Model, name: str) -> object:
    """A field's value as a person reads it: choice labels, related records' names, yes/no."""
    model_field = record._meta.get_field(name)
    if model_field.is_relation:
        # Loaded with select_related; a related row deleted since shows as its id.
        return getattr(record, name, None) or getattr(record, model_field.attname)
    value = getattr(record, name)
    if model_field.choices and value not in (None, ""):
        return dict(model_field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, str):
        # Long texts (a description) would swamp the page; the record has them in full.
        return Truncator(value).chars(_TEXT_LENGTH) if value else None
    return value


def _changes(record: Model, previous: Model | None) -> list[FieldChange]:
    if previous is None:
        return []
    delta = record.diff_against(previous, excluded_fields=_HIDDEN_FIELDS)
    return [
        FieldChange(
            label=str(record._meta.get_field(change.field).verbose_name),
            old=_display(previous, change.field),
            new=_display(record, change.field),
        )
        for change in delta.changes
    ]


def _entries(
    history: QuerySet, related: Sequence[str], subject: Callable[[Model], str], limit: int
) -> list[HistoryEntry]:
    model = history.model
    previous_id = (
        model.objects.filter(id=OuterRef("id"), history_date__lt=OuterRef("history_date"))
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    latest = list(
        history.annotate(previous_id=Subquery(previous_id))
        .order_by("-history_date", "-history_id")
        .values_list("history_id", "previous_id")[:limit]
    )
    wanted = {history_id for pair in latest for history_id in pair if history_id is not None}
    loaded = model.objects.select_related("history_user", *related).in_bulk(wanted)
    entries = []
    for history_id, previous_id in latest:
        row = loaded[history_id]
        changes = _changes(row, loaded.get(previous_id))
        if row.history_type == "~" and not changes:
            # Saved without a visible change (e.g. only the version moved).
            continue
        entries.append(
            HistoryEntry(
                at=row.history_date,
                user=row.history_user,
                action=str(_ACTIONS.get(row.history_type, row.history_type)),
                subject=subject(row),
                changes=changes,
            )
        )
    return entries


def _latest(entries: list[HistoryEntry], limit: int) -> list[HistoryEntry]:
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries[:limit]


def company_history(company: ResidentCompany, *, with_know_how: bool, limit: int = HISTORY_LIMIT) -> list[HistoryEntry]:
    """The latest changes of the company, its products, IP records and (when shown) know-how.

    Newest first, at most `limit` in all; two queries per kind of record.
    """
    entries = [
        *_entries(
            ResidentCompany.history.filter(id=company.pk),
            ["technopolis"],
            lambda row: gettext("Company"),
            limit,
        ),
        *_entries(
            Product.history.filter(company_id=company.pk),
            ["sector"],
            lambda row: gettext("Product: %(name)s") % {"name": row.name},
            limit,
        ),
        *_entries(
            IntellectualProperty.history.filter(company_id=company.pk),
            [],
            lambda row: gettext("IP record: %(number)s") % {"number": row.registration_number},
            limit,
        ),
    ]
    if with_know_how:
        entries += _entries(
            KnowHow.history.filter(company_id=company.pk),
            [],
            lambda row: gettext("Know-how: %(title)s") % {"title": row.title},
            limit,
        )
    return _latest(entries, limit)


def ip_record_history(record: IntellectualProperty, *, limit: int = HISTORY_LIMIT) -> list[HistoryEntry]:
    """The latest changes of one IP record, newest first (two queries)."""
    return _entries(
        IntellectualProperty.history.filter(id=record.pk),
        ["company"],
        lambda row: gettext("IP record"),
        limit,
    )
