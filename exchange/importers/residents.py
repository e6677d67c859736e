"""Importers of resident companies and what they own: products, IP records, know-how."""

from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parks.models import Sector
from residents.models import IntellectualProperty, KnowHow, Product, ResidentCompany
from residents.selectors import companies_for_list

from ..columns import Column, choice, optional_date, optional_int
from .base import Importer, RowErrors


class CompanyImporter(Importer):
    kind = "companies"
    label = gettext_lazy("Resident companies")
    model = ResidentCompany
    key_columns = ("inn",)
    columns = (
        Column("inn", gettext_lazy("INN"), "inn", required=True, export=lambda c: c.inn, example="1655000003"),
        Column("name", gettext_lazy("Name"), "name", required=True, export=lambda c: c.name, example="Sintez LLC"),
        Column("park", gettext_lazy("Park"), required=True, export=lambda c: c.technopolis.name, example="Himgrad"),
        Column(
            "legal_form",
            gettext_lazy("Legal form"),
            "legal_form",
            choice(ResidentCompany.LegalForm, blank=""),
            export=lambda c: c.get_legal_form_display(),
            example="ooo",
        ),
        Column(
            "residency_start",
            gettext_lazy("Resident since"),
            "residency_start",
            optional_date,
            export=lambda c: c.residency_start,
            example="2024-01-15",
        ),
        Column(
            "residency_end",
            gettext_lazy("Resident until"),
            "residency_end",
            optional_date,
            export=lambda c: c.residency_end,
        ),
        Column("website", gettext_lazy("Website"), "website", export=lambda c: c.website),
        Column("staff_count", gettext_lazy("Staff"), "staff_count", optional_int, export=lambda c: c.staff_count),
        Column(
            "sectors",
            gettext_lazy("Sectors"),
            export=lambda c: "; ".join(str(sector) for sector in c.sectors.all()),
            imported=False,
        ),
        Column("products", gettext_lazy("Products"), export=lambda c: c.product_count, imported=False),
        Column("ip_records", gettext_lazy("IP records"), export=lambda c: c.ip_count, imported=False),
    )

    @classmethod
    def for_export(cls, queryset):
        return companies_for_list(queryset)

    def relation_columns(self) -> dict[str, str]:
        return {"technopolis": "park"}

    def load(self, rows: Sequence[dict[str, str]]) -> None:
        inns = [row.get("inn", "").strip() for row in rows]
        companies = self.stored(ResidentCompany.objects.filter(inn__in=inns).select_related("technopolis"))
        self.found = {(company.inn,): company for company in companies}

    def resolve(self, record, values, existing):
        if existing is not None:
            self.check_park_editable(existing.technopolis, "park")
        if "park" in values and values["park"].strip():
            record.technopolis = self.park(values["park"], "park")
        elif existing is None:
            raise RowErrors([("park", _("This column is required."))])
        self.check_park_editable(record.technopolis, "park")


class _OwnedImporter(Importer):
    """Records owned by a resident company, found by the company's INN."""

    company_column = Column(
        "company", gettext_lazy("Company INN"), required=True, export=lambda r: r.company.inn, example="1655000003"
    )

    @classmethod
    def for_export(cls, queryset):
        return queryset.select_related("company")

    def relation_columns(self) -> dict[str, str]:
        return {"company": "company"}

    def load_companies(self, rows: Sequence[dict[str, str]]) -> list[str]:
        inns = [row.get("company", "").strip() for row in rows]
        self.companies = {c.inn: c for c in ResidentCompany.objects.filter(inn__in=inns).select_related("technopolis")}
        return inns

    def resolve(self, record, values, existing):
        if existing is not None:
            self.check_park_editable(existing.company.technopolis, "company")
        inn = values.get("company", "").strip()
        company = self.companies.get(inn)
        if company is None:
            raise RowErrors([("company", _("There is no resident company with INN “%(inn)s”.") % {"inn": inn})])
        self.check_park_editable(company.technopolis, "company")
        record.company = company


class ProductImporter(_OwnedImporter):
    kind = "products"
    label = gettext_lazy("Products")
    model = Product
    key_columns = ("company", "name")
    columns = (
        _OwnedImporter.company_column,
        Column("name", gettext_lazy("Name"), "name", required=True, export=lambda p: p.name, example="Polymer X"),
        Column("sector", gettext_lazy("Sector"), export=lambda p: p.sector.name if p.sector else ""),
        Column(
            "year_launched",
            gettext_lazy("Year launched"),
            "year_launched",
            optional_int,
            export=lambda p: p.year_launched,
            example="2025",
        ),
        Column("description", gettext_lazy("Description"), "description", export=lambda p: p.description),
    )

    @classmethod
    def for_export(cls, queryset):
        return queryset.select_related("company", "sector")

    def relation_columns(self) -> dict[str, str]:
        return {"company": "company", "sector": "sector"}

    def load(self, rows):
        inns = self.load_companies(rows)
        names = [row.get("name", "").strip() for row in rows]
        products = self.stored(
            Product.objects.filter(company__inn__in=inns, name__in=names).select_related("company__technopolis")
        )
        self.found = {(product.company.inn, product.name): product for product in products}
        self.sectors = {sector.name.lower(): sector for sector in Sector.objects.all()}

    def resolve(self, record, values, existing):
        super().resolve(record, values, existing)
        name = values.get("sector", "").strip()
        if "sector" in values:
            record.sector = self.sectors.get(name.lower()) if name else None
            if name and record.sector is None:
                raise RowErrors([("sector", _("There is no sector “%(name)s”.") % {"name": name})])


class IntellectualPropertyImporter(_OwnedImporter):
    kind = "ip"
    label = gettext_lazy("IP records")
    model = IntellectualProperty
    key_columns = ("kind", "registration_number")
    columns = (
        Column(
            "kind",
            gettext_lazy("Kind"),
            "kind",
            choice(IntellectualProperty.Kind),
            required=True,
            export=lambda r: r.get_kind_display(),
            example="invention_patent",
        ),
        Column(
            "registration_number",
            gettext_lazy("Registration number"),
            "registration_number",
            required=True,
            export=lambda r: r.registration_number,
            example="RU2700001",
        ),
        _OwnedImporter.company_column,
        Column("title", gettext_lazy("Title"), "title", required=True, export=lambda r: r.title, example="Catalyst"),
        Column(
            "status",
            gettext_lazy("Status"),
            "status",
            choice(IntellectualProperty.Status, blank=IntellectualProperty.Status.REGISTERED),
            export=lambda r: r.get_status_display(),
            example="registered",
        ),
        Column("filed_on", gettext_lazy("Filed on"), "filed_on", optional_date, export=lambda r: r.filed_on),
        Column(
            "registered_on",
            gettext_lazy("Registered on"),
            "registered_on",
            optional_date,
            export=lambda r: r.registered_on,
        ),
        Column("expires_on", gettext_lazy("Expires on"), "expires_on", optional_date, export=lambda r: r.expires_on),
    )

    def key(self, values):
        # The kind may be written as its code or its label: the key is the code.
        try:
            kind = self.column("kind").parse(values.get("kind", "").strip())
        except Exception:
            kind = values.get("kind", "").strip()
        return (kind, values.get("registration_number", "").strip())

    def load(self, rows):
        self.load_companies(rows)
        numbers = [row.get("registration_number", "").strip() for row in rows]
        records = self.stored(
            IntellectualProperty.objects.filter(registration_number__in=numbers).select_related("company__technopolis")
        )
        self.found = {(record.kind, record.registration_number): record for record in records}


class KnowHowImporter(_OwnedImporter):
    kind = "know-how"
    label = gettext_lazy("Know-how")
    model = KnowHow
    key_columns = ("company", "title")
    columns = (
        _OwnedImporter.company_column,
        Column("title", gettext_lazy("Title"), "title", required=True, export=lambda k: k.title, example="Process"),
        Column("description", gettext_lazy("Description"), "description", export=lambda k: k.description),
        Column(
            "recorded_on",
            gettext_lazy("Recorded on"),
            "recorded_on",
            optional_date,
            export=lambda k: k.recorded_on,
        ),
        Column(
            "confidentiality",
            gettext_lazy("Confidentiality"),
            "confidentiality",
            choice(KnowHow.Confidentiality, blank=KnowHow.Confidentiality.CONFIDENTIAL),
            export=lambda k: k.get_confidentiality_display(),
            example="confidential",
        ),
    )

    def load(self, rows):
        inns = self.load_companies(rows)
        titles = [row.get("title", "").strip() for row in rows]
        records = self.stored(
            KnowHow.objects.filter(company__inn__in=inns, title__in=titles).select_related("company__technopolis")
        )
        self.found = {(record.company.inn, record.title): record for record in records}
