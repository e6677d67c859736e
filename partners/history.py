"""A milestone's history: its own changes and what partners and staff said and decided about it."""

from django.utils.translation import gettext

from agreements.models import Milestone
from common.history import HISTORY_LIMIT, HistoryEntry, HistorySource, combined_history_entries, newest_first

from .models import DueDateProposal, MilestoneComment, MilestoneConfirmation


def _partner(row) -> str:
    return row.author_name if row.person_id else ""


def milestone_history(milestone: Milestone, *, limit: int = HISTORY_LIMIT) -> list[HistoryEntry]:
    """Newest first, for staff (staff-only notes included); a fixed number of queries."""
    entries = combined_history_entries(
        [
            HistorySource(
                Milestone.history.filter(id=milestone.pk),
                related=["responsible_technopolis", "responsible_person"],
                subject=lambda row: gettext("Milestone"),
            ),
            HistorySource(
                MilestoneConfirmation.history.filter(milestone_id=milestone.pk),
                related=["technopolis", "decided_by"],
                author=_partner,
                subject=lambda row: (
                    gettext("Confirmation for %(park)s by %(name)s")
                    % {"park": row.technopolis, "name": row.author_name}
                ),
            ),
            HistorySource(
                DueDateProposal.history.filter(milestone_id=milestone.pk),
                related=["decided_by"],
                author=_partner,
                subject=lambda row: gettext("New due date proposed by %(name)s") % {"name": row.author_name},
            ),
            HistorySource(
                MilestoneComment.history.filter(milestone_id=milestone.pk),
                related=["read_by"],
                author=_partner,
                subject=lambda row: gettext("Comment by %(name)s") % {"name": row.author_name},
            ),
        ],
        limit=limit,
    )
    return newest_first(entries)
