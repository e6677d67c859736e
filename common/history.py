"""Change history for record pages, field by field, read from django-simple-history.

Asking each history row for its `prev_record` would cost a query per row; instead the ids of the
latest rows and of their predecessors come in one query (a subquery finds each predecessor), and
those rows in a second: two queries per model, whatever the length of the history. Each app says
which of its records make up a page's history (agreements.history, residents.history).
"""

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Model, OuterRef, QuerySet, Subquery
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

HISTORY_LIMIT = 20
_TEXT_LENGTH = 160
# Bookkeeping, not something a person changed.
_HIDDEN_FIELDS = ("version",)

_ACTIONS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


@dataclass(frozen=True)
class HistoryChange:
    label: str
    old: object
    new: object


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime.datetime
    user: User | None
    action: str
    subject: str
    changes: list[HistoryChange]


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
        # Long texts (a subject, a description) would swamp the page; the record has them in full.
        return Truncator(value).chars(_TEXT_LENGTH) if value else None
    return value


def _changes(record: Model, previous: Model | None, also_shown: Sequence[str]) -> list[HistoryChange]:
    if previous is None:
        return []
    # diff_against compares the editable fields; `also_shown` adds fields that are not edited in a
    # form (e.g. archiving) but that people must see.
    names = [change.field for change in record.diff_against(previous, excluded_fields=_HIDDEN_FIELDS).changes]
    names += [
        name
        for name in also_shown
        if getattr(record, record._meta.get_field(name).attname)
        != getattr(previous, previous._meta.get_field(name).attname)
    ]
    return [
        HistoryChange(
            label=str(record._meta.get_field(name).verbose_name),
            old=_display(previous, name),
            new=_display(record, name),
        )
        for name in names
    ]


def history_entries(
    history: QuerySet,
    *,
    related: Sequence[str],
    subject: Callable[[Model], str],
    limit: int = HISTORY_LIMIT,
    also_shown: Sequence[str] = (),
) -> list[HistoryEntry]:
    """The latest `limit` rows of `history`, newest first, each with what changed (two queries)."""
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
    for history_id, previous in latest:
        row = loaded[history_id]
        changes = _changes(row, loaded.get(previous), also_shown)
        if row.history_type == "~" and not changes:
            # Saved without a visible change (e.g. only the version or modification time moved).
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


def newest_first(entries: list[HistoryEntry], limit: int | None = None) -> list[HistoryEntry]:
    entries = sorted(entries, key=lambda entry: entry.at, reverse=True)
    return entries if limit is None else entries[:limit]
