"""Reads about residents, including the park figures the portal computes from records."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from parks.models import Technopolis

from .models import IntellectualProperty, KnowHow, Product, ResidentCompany

# What the parks' own figures call "patents and trademarks": protected titles, not software records.
PATENT_AND_TRADEMARK_KINDS = (
    IntellectualProperty.Kind.INVENTION_PATENT,
    IntellectualProperty.Kind.UTILITY_MODEL,
    IntellectualProperty.Kind.INDUSTRIAL_DESIGN,
    IntellectualProperty.Kind.TRADEMARK,
)


@dataclass(frozen=True)
class ParkFigures:
    resident_companies: int
    products: int
    patents_and_trademarks: int
    know_how: int


def _count(queryset: QuerySet, park_field: str) -> Coalesce:
    counted = (
        queryset.filter(**{park_field: OuterRef("pk")})
        .order_by()
        .values(park_field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def technopolises_with_figures(queryset: QuerySet[Technopolis], *, today: datetime.date) -> QuerySet[Technopolis]:
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


def technopolis_figures(*, technopolis: Technopolis, today: datetime.date) -> ParkFigures:
    park = technopolises_with_figures(Technopolis.objects.filter(pk=technopolis.pk), today=today).get()
    return ParkFigures(
        resident_companies=park.figure_resident_companies,
        products=park.figure_products,
        patents_and_trademarks=park.figure_patents_and_trademarks,
        know_how=park.figure_know_how,
    )
