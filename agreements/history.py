"""An agreement's change history, with its parties and milestones, field by field.

django-simple-history keeps a row per save. Asking each row for its `prev_record` would cost a
query per row; instead the ids of the latest rows and of their predecessors come in one query
(a subquery finds each predecessor), and those rows in a second: two queries per model, whatever
the length of the history.
"""

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from django.contrib.auth.models import User
from django.db.models import Model, OuterRef, QuerySet, Subquery
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import Agreement, AgreementParty, Milestone

HISTORY_LIMIT = 20
_TEXT_LENGTH = 160

_ALSO_SHOWN = ("archived_at", "archived_by")

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
        # Long texts (a subject, a description) would swamp the page; the record has them in full.
        return Truncator(value).chars(_TEXT_LENGTH) if value else None
    return value


def _changes(record: Model, previous: Model | None) -> list[FieldChange]:
    if previous is None:
        return []
    # diff_against compares the editable fields (the version number is bookkeeping); archiving is
    # not edited in a form, but people must see it.
    delta = record.diff_against(previous)
    names = [change.field for change in delta.changes]
    names += [
        name
        for name in _ALSO_SHOWN
        if hasattr(record, name)
        and getattr(record, record._meta.get_field(name).attname)
        != getattr(previous, previous._meta.get_field(name).attname)
    ]
    return [
        FieldChange(
            label=str(record._meta.get_field(name).verbose_name),
            old=_display(previous, name),
            new=_display(record, name),
        )
        for name in names
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
    rows = [(loaded[history_id], loaded.get(previous)) for history_id, previous in latest]
    entries = []
    for row, previous in rows:
        changes = _changes(row, previous)
        if row.history_type == "~" and not changes:
            # Saved without a visible change (e.g. only the modification time moved).
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


def _hide_unseen_parents(entries: list[HistoryEntry], shown: set[int]) -> list[HistoryEntry]:
    """A parent agreement the reader may not see is named in no change (it does not exist for them)."""
    label = str(Agreement._meta.get_field("parent").verbose_name)

    def masked(value: object) -> object:
        pk = value.pk if isinstance(value, Agreement) else value
        return value if value is None or pk in shown else gettext("an agreement you cannot see")

    return [
        replace(
            entry,
            changes=[
                replace(change, old=masked(change.old), new=masked(change.new)) if change.label == label else change
                for change in entry.changes
            ],
        )
        for entry in entries
    ]


def agreement_history(
    agreement: Agreement, *, limit: int = HISTORY_LIMIT, shown_agreement_ids: set[int] | None = None
) -> list[HistoryEntry]:
    """The latest changes of the agreement, its parties and its milestones, newest first (six queries).

    `shown_agreement_ids`: the agreements the reader may see among those the history may name as
    parent; any other parent is not named.
    """
    entries = [
        *_entries(
            Agreement.history.filter(id=agreement.pk),
            ["signing_event", "parent", "archived_by"],
            lambda row: gettext("Agreement"),
            limit,
        ),
        *_entries(
            AgreementParty.history.filter(agreement_id=agreement.pk),
            ["technopolis", "signatory"],
            lambda row: gettext("Party: %(park)s") % {"park": row.technopolis or row.technopolis_id},
            limit,
        ),
        *_entries(
            Milestone.history.filter(agreement_id=agreement.pk),
            ["responsible_technopolis", "responsible_person"],
            lambda row: gettext("Milestone: %(title)s") % {"title": row.title},
            limit,
        ),
    ]
    entries.sort(key=lambda entry: entry.at, reverse=True)
    if shown_agreement_ids is not None:
        entries = _hide_unseen_parents(entries, shown_agreement_ids)
    return entries
