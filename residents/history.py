"""A company's (or an IP record's) change history, field by field, for the record pages (see common.history)."""

from django.utils.translation import gettext

from common.history import HISTORY_LIMIT, HistoryEntry, history_entries, newest_first

from .models import IntellectualProperty, KnowHow, Product, ResidentCompany

__all__ = ["HISTORY_LIMIT", "company_history", "ip_record_history"]


def company_history(company: ResidentCompany, *, with_know_how: bool, limit: int = HISTORY_LIMIT) -> list[HistoryEntry]:
    """The latest changes of the company, its products, IP records and (when shown) know-how.

    Newest first, at most `limit` in all; two queries per kind of record.
    """
    entries = [
        *history_entries(
            ResidentCompany.history.filter(id=company.pk),
            related=["technopolis"],
            subject=lambda row: gettext("Company"),
            limit=limit,
        ),
        *history_entries(
            Product.history.filter(company_id=company.pk),
            related=["sector"],
            subject=lambda row: gettext("Product: %(name)s") % {"name": row.name},
            limit=limit,
        ),
        *history_entries(
            IntellectualProperty.history.filter(company_id=company.pk),
            related=[],
            subject=lambda row: gettext("IP record: %(number)s") % {"number": row.registration_number},
            limit=limit,
        ),
    ]
    if with_know_how:
        entries += history_entries(
            KnowHow.history.filter(company_id=company.pk),
            related=[],
            subject=lambda row: gettext("Know-how: %(title)s") % {"title": row.title},
            limit=limit,
        )
    return newest_first(entries, limit)


def ip_record_history(record: IntellectualProperty, *, limit: int = HISTORY_LIMIT) -> list[HistoryEntry]:
    """The latest changes of one IP record, newest first (two queries)."""
    return history_entries(
        IntellectualProperty.history.filter(id=record.pk),
        related=["company"],
        subject=lambda row: gettext("IP record"),
        limit=limit,
    )
