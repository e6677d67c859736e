"""A park's change history, field by field: the park, its facilities and its people (see common.history)."""

from django.utils.translation import gettext

from common.history import HISTORY_LIMIT, HistoryEntry, HistorySource, combined_history_entries, newest_first

from .models import Facility, Person, Technopolis


def park_history(park: Technopolis, *, with_contacts: bool, limit: int = HISTORY_LIMIT) -> list[HistoryEntry]:
    """The latest changes of the park, its facilities and its people, newest first, at most `limit` in all;
    people's e-mail addresses and phones only `with_contacts`.

    One query for the ids, then one per kind of record.
    """
    sources = [
        HistorySource(Technopolis.history.filter(id=park.pk), related=[], subject=lambda row: gettext("Park")),
        HistorySource(
            Facility.history.filter(technopolis_id=park.pk),
            related=[],
            subject=lambda row: gettext("Facility: %(name)s") % {"name": row.name},
        ),
        HistorySource(
            Person.history.filter(technopolis_id=park.pk),
            related=[],
            subject=lambda row: gettext("Person: %(name)s") % {"name": row.full_name},
            hidden=() if with_contacts else ("email", "phone"),
        ),
    ]
    return newest_first(combined_history_entries(sources, limit=limit), limit)
