"""A company's (or an IP record's) change history, field by field, for the record pages (see common.history)."""

from django.utils.translation import gettext

from common.history import (
    HISTORY_LIMIT,
    HistoryEntry,
    HistorySource,
    combined_history_entries,
    history_entries,
    newest_first,
)

from .models import IntellectualProperty, KnowHow, Product, ResidentCompany

__all__ = ["HISTORY_LIMIT", "company_history", "ip_record_history"]


def company_history(company: ResidentCompany, *, with_know_how: bool, limit: int = HISTORY_LIMIT) -> list[HistoryEntry]:
    """The latest changes of the company, its products, IP records and (when shown) know-how.

    Newest first, at most `limit` in all; one query for the ids, then one per kind of record.
    """
    sources = [
        HistorySource(
            ResidentCompany.history.filter(id=company.pk),
            related=["technopolis"],
            subject=lambda row: gettext("Company"),
        ),
        HistorySource(
            Product.history.filter(company_id=company.pk),
            related=["sector"],
            subject=lambda row: gettext("Product: %(name)s") % {"name": row.name},
        ),
        HistorySource(
            IntellectualProperty.history.filter(company_id=company.pk),
            related=[],
            subject=lambda row: gettext("IP record: %(number)s") % {"number": row.registration_number},
        ),
    ]
    if with_know_how:
        sources.append(
            HistorySource(
                KnowHow.history.filter(company_id=company.pk),
                related=[],
                subject=lambda row: gettext("Know-how: %(title)s") % {"title": row.title},
            )
        )
    entries = combined_history_entries(sources, limit=limit)
    return newest_first(entries, limit)


def ip_record_history(record: IntellectualProperty, *, limit: int = HISTORY_LIMIT) -> list[HistoryEntry]:
    """The latest changes of one IP record, newest first (two queries)."""
    return history_entries(
        IntellectualProperty.history.filter(id=record.pk),
        related=["company"],
        subject=lambda row: gettext("IP record"),
        limit=limit,
    )
