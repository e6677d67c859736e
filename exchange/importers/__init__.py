"""One importer per kind of record, by the kind's name in URLs."""

from .agreements import AgreementImporter, MilestoneImporter
from .base import CREATE, ERROR, UNCHANGED, UPDATE, Importer, RowResult
from .residents import CompanyImporter, IntellectualPropertyImporter, KnowHowImporter, ProductImporter

IMPORTERS: dict[str, type[Importer]] = {
    importer.kind: importer
    for importer in (
        CompanyImporter,
        ProductImporter,
        IntellectualPropertyImporter,
        KnowHowImporter,
        AgreementImporter,
        MilestoneImporter,
    )
}

__all__ = ["CREATE", "ERROR", "IMPORTERS", "UNCHANGED", "UPDATE", "Importer", "RowResult"]
