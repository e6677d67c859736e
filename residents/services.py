"""Writes about resident companies: a company is saved together with what it owns, or not at all."""

from collections.abc import Iterable

from django.db import transaction

from parks.models import Sector

from .models import IntellectualProperty, KnowHow, Product, ResidentCompany

OwnedRecord = Product | IntellectualProperty | KnowHow


@transaction.atomic
def company_create(
    *,
    company: ResidentCompany,
    sectors: Iterable[Sector],
    records: Iterable[OwnedRecord] = (),
) -> ResidentCompany:
    """Saves a new, validated company with its sectors and its products, IP records and know-how."""
    return _company_save(company=company, sectors=sectors, records=records, deleted_records=())


@transaction.atomic
def company_update(
    *,
    company: ResidentCompany,
    sectors: Iterable[Sector],
    records: Iterable[OwnedRecord] = (),
    deleted_records: Iterable[OwnedRecord] = (),
) -> ResidentCompany:
    """Saves a validated company's changes: its fields, sectors, new or changed and removed records."""
    return _company_save(company=company, sectors=sectors, records=records, deleted_records=deleted_records)


def _company_save(
    *,
    company: ResidentCompany,
    sectors: Iterable[Sector],
    records: Iterable[OwnedRecord],
    deleted_records: Iterable[OwnedRecord],
) -> ResidentCompany:
    company.save()
    company.sectors.set(sectors)
    # Removed rows go first, so that a new row may take a removed row's name or number.
    for record in deleted_records:
        if record.company_id != company.pk:
            raise ValueError(f"{record!r} belongs to another company")
        record.delete()
    for record in records:
        record.company = company
        record.save()
    return company
