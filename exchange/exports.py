"""The portal's exports: one definition per list, behind both its CSV and its XLSX button.

An export is the list's importer's columns filled in (exchange/importers): the header is their
labels in the person's language, so an exported file can be edited and imported again; columns an
importer only shows (counts, related names) come last and are skipped on import. The records are
those of the portal's list the person came from, with its filters and sort (the lists' FilterSets).
"""

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from agreements.access import visible_agreements
from agreements.filters import AgreementFilter, MilestoneFilter
from agreements.selectors import DEFAULT_ORDER, milestones_for_list
from common.exports import csv_response, readable_value, xlsx_response
from residents.access import visible_know_how
from residents.filters import IntellectualPropertyFilter, ResidentCompanyFilter
from residents.models import IntellectualProperty, KnowHow, Product, ResidentCompany
from residents.selectors import companies_for_list

from .importers import Importer

CHUNK = 500


def _companies(request: HttpRequest) -> QuerySet[ResidentCompany]:
    return ResidentCompanyFilter(
        request.GET,
        queryset=companies_for_list(ResidentCompany.objects.order_by("name", "pk")),
        today=timezone.localdate(),
        request=request,
    ).qs


def records_for_export(kind: str, request: HttpRequest) -> QuerySet:
    """The records of `kind` the person sees, filtered as the list they came from."""
    user, today = request.user, timezone.localdate()
    if kind == "companies":
        return _companies(request)
    if kind == "products":
        companies = _companies(request).values("pk")
        return Product.objects.filter(company__in=companies).select_related("company", "sector").order_by("pk")
    if kind == "know-how":
        companies = _companies(request).values("pk")
        return visible_know_how(user, KnowHow.objects.filter(company__in=companies)).select_related("company")
    if kind == "ip":
        queryset = IntellectualProperty.objects.select_related("company").order_by("kind", "registration_number", "pk")
        return IntellectualPropertyFilter(request.GET, queryset=queryset, today=today, request=request).qs
    if kind == "agreements":
        queryset = visible_agreements(user).order_by(*DEFAULT_ORDER)
        return AgreementFilter(request.GET, queryset=queryset, request=request).qs
    if kind == "milestones":
        queryset = milestones_for_list(user=user).order_by("due_on", "pk")
        return MilestoneFilter(request.GET, queryset=queryset, request=request, today=today).qs
    raise KeyError(kind)


def export_response(importer: type[Importer], records: QuerySet, file_format: str, *, name: str) -> HttpResponse:
    """`records` in `importer`'s columns, streamed in chunks (prefetches run per chunk)."""
    header = [str(column.label) for column in importer.columns]
    rows = (
        [readable_value(column.export(record)) for column in importer.columns]
        for record in importer.for_export(records).iterator(chunk_size=CHUNK)
    )
    if file_format == "xlsx":
        return xlsx_response(f"{name}.xlsx", header, rows)
    return csv_response(f"{name}.csv", header, rows)


def template_response(importer: type[Importer], file_format: str) -> HttpResponse:
    """An empty file with the expected columns and one example row (marked as such by its values)."""
    columns = [column for column in importer.columns if column.imported]
    header = [f"{column.label}{' *' if column.required else ''}" for column in columns]
    example = [column.example for column in columns]
    name = f"{importer.kind}-template"
    if file_format == "xlsx":
        return xlsx_response(f"{name}.xlsx", header, [example])
    return csv_response(f"{name}.csv", header, [example])
