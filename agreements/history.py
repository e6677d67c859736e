"""An agreement's change history, with its parties and milestones, field by field (see common.history)."""

from dataclasses import replace

from django.utils.translation import gettext

from common.history import HISTORY_LIMIT, HistoryEntry, HistorySource, combined_history_entries, newest_first

from .models import Agreement, AgreementParty, Milestone

# Archiving is not edited in a form, but people must see it in the history.
_ALSO_SHOWN = ("archived_at", "archived_by")


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
    """The latest changes of the agreement, its parties and its milestones, newest first (four queries).

    `shown_agreement_ids`: the agreements the reader may see among those the history may name as
    parent; any other parent is not named.
    """
    entries = combined_history_entries(
        [
            HistorySource(
                Agreement.history.filter(id=agreement.pk),
                related=["signing_event", "parent", "archived_by"],
                subject=lambda row: gettext("Agreement"),
                also_shown=_ALSO_SHOWN,
            ),
            HistorySource(
                AgreementParty.history.filter(agreement_id=agreement.pk),
                related=["technopolis", "signatory"],
                subject=lambda row: gettext("Party: %(park)s") % {"park": row.technopolis or row.technopolis_id},
            ),
            HistorySource(
                Milestone.history.filter(agreement_id=agreement.pk),
                related=["responsible_technopolis", "responsible_person"],
                subject=lambda row: gettext("Milestone: %(title)s") % {"title": row.title},
            ),
        ],
        limit=limit,
    )
    entries = newest_first(entries)
    if shown_agreement_ids is not None:
        entries = _hide_unseen_parents(entries, shown_agreement_ids)
    return entries
