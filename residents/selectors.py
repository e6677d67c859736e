"""Reads about residents, including the park figures the portal computes from records."""

import datetime

from django.db.models import (
    BooleanField,
    Case,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from common.completeness import annotate_missing
from common.json_prefetch import Lists, fetch_with_lists
from parks.models import Sector, Technopolis

from .completeness import RESIDENT_COMPANY_RULES
from .models import IntellectualProperty, KnowHow, Product, ResidentCompany

# What the parks' own figures call "patents and trademarks": protected titles, not software records.
PATENT_AND_TRADEMARK_KINDS = (
    IntellectualProperty.Kind.INVENTION_PATENT,
    IntellectualProperty.Kind.UTILITY_MODEL,
    IntellectualProperty.Kind.INDUSTRIAL_DESIGN,
    IntellectualProperty.Kind.TRADEMARK,
)


def _count(queryset: QuerySet, park_field: str) -> Coalesce:
    counted = (
        queryset.filter(**{park_field: OuterRef("pk")})
        .order_by()
        .values(park_field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def parks_with_figures(queryset: QuerySet[Technopolis], *, today: datetime.date) -> QuerySet[Technopolis]:
    """Annotates each park with its figures, counted from records in one query (no query per park).

    Resident companies are those resident on `today`; products, registered patents and trademarks
    and know-how are counted for every company the park has hosted, since the park keeps them in
    its assets after a company leaves.
    """
    return queryset.annotate(
        figure_resident_companies=_count(ResidentCompany.objects.current(today), "technopolis"),
        figure_products=_count(Product.objects.all(), "company__technopolis"),
        figure_patents_and_trademarks=_count(
            IntellectualProperty.objects.filter(
                kind__in=PATENT_AND_TRADEMARK_KINDS, status=IntellectualProperty.Status.REGISTERED
            ),
            "company__technopolis",
        ),
        figure_know_how=_count(KnowHow.objects.all(), "company__technopolis"),
    )


# --- The portal's lists and pages ------------------------------------------------------------


def _count_per_company(queryset: QuerySet) -> Coalesce:
    """A correlated count, so that counting two relations never multiplies rows as joins would."""
    return _count(queryset, "company")


def companies_for_list(queryset: QuerySet[ResidentCompany] | None = None) -> QuerySet[ResidentCompany]:
    """Companies with their park, sectors and how many products and IP records they own."""
    queryset = ResidentCompany.objects.all() if queryset is None else queryset
    return (
        queryset.select_related("technopolis")
        .prefetch_related("sectors")
        .annotate(
            product_count=_count_per_company(Product.objects.all()),
            ip_count=_count_per_company(IntellectualProperty.objects.all()),
        )
    )


# The company's short lists, loaded inside its own query on PostgreSQL (see common.json_prefetch):
# relation -> (queryset, foreign keys to load along).
def _company_lists() -> Lists:
    return {
        "sectors": (Sector.objects.all(), ()),
        "products": (Product.objects.all(), ("sector",)),
        "ip_records": (IntellectualProperty.objects.all(), ()),
        # Loaded whoever looks; the page shows them only to those who may see know-how.
        "know_how": (KnowHow.objects.all(), ()),
    }


def company_for_page(*, pk: int) -> ResidentCompany:
    """One company with everything its page lists, whoever looks, in one query on PostgreSQL; raises DoesNotExist."""
    company = fetch_with_lists(
        annotate_missing(ResidentCompany.objects.filter(pk=pk), RESIDENT_COMPANY_RULES).select_related("technopolis"),
        _company_lists(),
    )
    company.know_how_count = len(company.know_how.all())
    return company


# "Expiring soon" in the IP registry: protection that ends within this many days from today.
EXPIRING_SOON_DAYS = 180


def expiring_soon(today: datetime.date) -> Q:
    """IP records whose protection ends between today and EXPIRING_SOON_DAYS from today."""
    return Q(expires_on__gte=today, expires_on__lte=today + datetime.timedelta(days=EXPIRING_SOON_DAYS))


def ip_records_for_list(
    queryset: QuerySet[IntellectualProperty] | None = None, *, today: datetime.date
) -> QuerySet[IntellectualProperty]:
    """IP records with their company and park, flagged `expires_soon` as of `today`."""
    queryset = IntellectualProperty.objects.all() if queryset is None else queryset
    return queryset.select_related("company__technopolis").annotate(
        expires_soon=Case(
            When(expiring_soon(today), then=Value(True)), default=Value(False), output_field=BooleanField()
        )
    )


def current_residents(*, park: Technopolis, today: datetime.date) -> QuerySet[ResidentCompany]:
    return ResidentCompany.objects.current(today).filter(technopolis=park).order_by("name")
