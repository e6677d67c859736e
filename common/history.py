"""Change history for record pages, field by field, read from django-simple-history.

Asking each history row for its `prev_record` would cost a query per row; instead the ids of the
latest rows and of their predecessors come in one query (a subquery finds each predecessor), and
those rows in a second: two queries per model, whatever the length of the history. A page showing
several models asks for all their ids in one UNION query (combined_history_entries). Each app says
which of its records make up a page's history (agreements.history, residents.history).
"""

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import connections
from django.db.models import IntegerField, Model, OuterRef, QuerySet, Subquery, Value
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .i18n import shown_by_its_name

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
    # Why, when the person gave a reason (e.g. a manager moving an agreement on without its data).
    reason: str = ""
    # Who, when it was no portal user: a partner contact through their link.
    author: str = ""


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


def _changes(
    record: Model, previous: Model | None, also_shown: Sequence[str], hidden: Sequence[str] = ()
) -> list[HistoryChange]:
    if previous is None:
        return []
    # diff_against compares the editable fields; `also_shown` adds fields that are not edited in a
    # form (e.g. archiving) but that people must see.
    # A name kept in two languages: `title` shows the reader's one, `title_ru` (say) the other one
    # (django-simple-history tracks the fields the model had before django-modeltranslation added them).
    included = {field.name for field in record.tracked_fields if field.editable} | {
        field.name for field in record._meta.fields if hasattr(field, "translated_field")
    }
    included -= set(hidden)
    changes = record.diff_against(previous, excluded_fields=_HIDDEN_FIELDS, included_fields=included).changes
    names = [change.field for change in changes if not shown_by_its_name(record._meta.get_field(change.field))]
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


@dataclass(frozen=True)
class HistorySource:
    """One kind of record on a page's history: its history rows, what to load with them, how to name them."""

    history: QuerySet
    related: Sequence[str]
    subject: Callable[[Model], str]
    also_shown: Sequence[str] = ()
    # Fields this reader may not see (e.g. a person's e-mail address): left out of the changes.
    hidden: Sequence[str] = ()
    # The author of a change made by no portal user (row -> name), e.g. a partner contact.
    author: Callable[[Model], str] | None = None


def _latest_ids(source: HistorySource, index: int, limit: int) -> QuerySet:
    """(source index, history id, predecessor's history id) of the source's latest `limit` rows."""
    model = source.history.model
    previous_id = (
        model.objects.filter(id=OuterRef("id"), history_date__lt=OuterRef("history_date"))
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    return (
        source.history.annotate(previous_id=Subquery(previous_id), source=Value(index, output_field=IntegerField()))
        .order_by("-history_date", "-history_id")
        .values_list("source", "history_id", "previous_id")[:limit]
    )


def _entry(row: Model, previous: Model | None, source: HistorySource) -> HistoryEntry | None:
    changes = _changes(row, previous, source.also_shown, source.hidden)
    if row.history_type == "~" and not changes:
        # Saved without a visible change (e.g. only the version or modification time moved).
        return None
    return HistoryEntry(
        at=row.history_date,
        user=row.history_user,
        action=str(_ACTIONS.get(row.history_type, row.history_type)),
        subject=source.subject(row),
        changes=changes,
        reason=getattr(row, "history_change_reason", None) or "",
        author=source.author(row) if source.author and row.history_user_id is None else "",
    )


def combined_history_entries(sources: Sequence[HistorySource], *, limit: int = HISTORY_LIMIT) -> list[HistoryEntry]:
    """The latest `limit` rows of each source, each with what changed, in the sources' order.

    One query (a UNION ALL) finds the latest rows' ids and their predecessors' of every source,
    then one per source that has rows loads them: 1 + n queries instead of 2n.
    """
    parts = [_latest_ids(source, index, limit) for index, source in enumerate(sources)]
    if len(parts) > 1 and connections[parts[0].db].features.supports_slicing_ordering_in_compound:
        latest = list(parts[0].union(*parts[1:], all=True))
    else:  # SQLite (`make run`) refuses LIMIT inside a UNION: one query per source there
        latest = [row for part in parts for row in part]
    entries = []
    for index, source in enumerate(sources):
        pairs = [(history_id, previous) for source_index, history_id, previous in latest if source_index == index]
        wanted = {history_id for pair in pairs for history_id in pair if history_id is not None}
        if not wanted:
            continue
        loaded = source.history.model.objects.select_related("history_user", *source.related).in_bulk(wanted)
        # Newest first, as each part was ordered (a UNION keeps no order of its parts).
        pairs.sort(key=lambda pair: (loaded[pair[0]].history_date, pair[0]), reverse=True)
        for history_id, previous in pairs:
            entry = _entry(loaded[history_id], loaded.get(previous), source)
            if entry is not None:
                entries.append(entry)
    return entries


def history_entries(
    history: QuerySet,
    *,
    related: Sequence[str],
    subject: Callable[[Model], str],
    limit: int = HISTORY_LIMIT,
    also_shown: Sequence[str] = (),
) -> list[HistoryEntry]:
    """The latest `limit` rows of `history`, newest first, each with what changed (two queries)."""
    source = HistorySource(history=history, related=related, subject=subject, also_shown=also_shown)
    return combined_history_entries([source], limit=limit)


def newest_first(entries: list[HistoryEntry], limit: int | None = None) -> list[HistoryEntry]:
    entries = sorted(entries, key=lambda entry: entry.at, reverse=True)
    return entries if limit is None else entries[:limit]
