"""Writes about resident companies: a company is saved together with what it owns, or not at all."""

from collections.abc import Iterable, Mapping

from django.db import transaction
from django.utils.translation import gettext, gettext_lazy

from common.concurrency import FieldChange, StaleRecordError, changes_since
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
    company.save()
    company.sectors.set(sectors)
    _save_records(company, records)
    return company


@transaction.atomic
def company_update(
    *,
    company: ResidentCompany,
    version: int,
    sectors: Iterable[Sector],
    records: Iterable[OwnedRecord] = (),
    deleted_records: Iterable[OwnedRecord] = (),
    record_versions: Mapping[OwnedRecord, int] | None = None,
) -> ResidentCompany:
    """Saves a validated company's changes: its fields, sectors, new or changed and removed records.

    `version` is the company's version the person started editing from, `record_versions` those of
    the stored rows they change or remove. When someone saved the company or one of those rows
    meanwhile, StaleRecordError says what they changed and nothing is saved. The company's version
    moves only when its own fields or sectors change: a row someone else adds or changes makes
    only that row stale (and only for a save that changes or removes it), not the whole company.
    """
    records, deleted_records, sectors = list(records), list(deleted_records), list(sectors)
    stored = ResidentCompany.objects.select_for_update().get(pk=company.pk)
    touched = [record for record in [*records, *deleted_records] if record.pk is not None]
    stored_rows = _locked_rows(touched)
    # A row someone else removed meanwhile needs no removing; one changed here is stale (below).
    deleted_records = [record for record in deleted_records if _key(record) in stored_rows]
    touched = [record for record in touched if _key(record) in stored_rows or record in records]
    _check_versions(stored, version, touched, stored_rows, record_versions or {})
    for record in deleted_records:
        if record.company_id != company.pk:
            raise ValueError(f"{record!r} belongs to another company")
    company.version = stored.version
    if _company_changed(company, stored, sectors):
        company.version += 1
        company.save()
        company.sectors.set(sectors)
    # Removed rows go first, so that a new row may take a removed row's name or number.
    for record in deleted_records:
        record.delete()
    for record in records:
        if record.pk is not None:
            record.version = stored_rows[_key(record)].version + 1
    _save_records(company, records)
    return company


def _save_records(company: ResidentCompany, records: Iterable[OwnedRecord]) -> None:
    for record in records:
        record.company = company
        record.save()


def _key(record: OwnedRecord) -> tuple[type, int]:
    return type(record), record.pk


def _locked_rows(records: list[OwnedRecord]) -> dict[tuple[type, int], OwnedRecord]:
    """The stored rows of the records being changed or removed, locked until the end of the save."""
    rows = {}
    for model in (Product, IntellectualProperty, KnowHow):
        ids = [record.pk for record in records if isinstance(record, model)]
        if ids:
            rows.update({(model, row.pk): row for row in model.objects.select_for_update().filter(pk__in=ids)})
    return rows


def _company_changed(company: ResidentCompany, stored: ResidentCompany, sectors: list[Sector]) -> bool:
    fields = [field.attname for field in ResidentCompany._meta.concrete_fields if field.name != "version"]
    if any(getattr(company, name) != getattr(stored, name) for name in fields):
        return True
    return {sector.pk for sector in sectors} != set(stored.sectors.values_list("pk", flat=True))


ROW_LABELS = {
    Product: gettext_lazy("Product “%(name)s”: %(field)s"),
    IntellectualProperty: gettext_lazy("IP record “%(name)s”: %(field)s"),
    KnowHow: gettext_lazy("Know-how “%(name)s”: %(field)s"),
}


def _check_versions(
    stored: ResidentCompany,
    version: int,
    records: list[OwnedRecord],
    stored_rows: Mapping[tuple[type, int], OwnedRecord],
    record_versions: Mapping[OwnedRecord, int],
) -> None:
    """Refuses the save when the company or a row being changed moved past what the person saw.

    `records` are the stored rows the person changes; removed ones count too, so that nobody
    removes a row without having seen its latest values.
    """
    changes: list[FieldChange] = []
    changed_by = None
    stale = stored.version != version
    if stale:
        changes, changed_by = changes_since(current=stored, version=version)
    for record in records:
        row = stored_rows.get(_key(record))
        if row is None:
            # Removed by someone else since the person opened the form.
            stale = True
            changes.append(FieldChange("", str(record), gettext("saved"), gettext("removed")))
            continue
        seen = record_versions.get(record, row.version)
        if row.version == seen:
            continue
        stale = True
        row_changes, row_by = changes_since(current=row, version=seen)
        changed_by = changed_by or row_by
        label = str(ROW_LABELS[type(row)])
        changes += [
            FieldChange(change.field, label % {"name": row, "field": change.label}, change.before, change.after)
            for change in row_changes
        ]
    if stale:
        raise StaleRecordError(changes=changes, changed_by=changed_by)
