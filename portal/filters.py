"""The park list's filters and sorting (?sort=, as on every list); it lives here because it sorts by
residents' figures."""

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from common.filters import StableOrderingFilter
from common.search import Query, contains
from parks.models import PARK_SEARCH, Facility, Sector, Technopolis


def parks_matching(query: str | Query) -> Q:
    """Parks by their names, place, focus and description, their specialisations and facilities: the
    list's search and the site search alike."""
    query = Query.of(query)
    sectors = Sector.objects.filter(contains(query.text, translated=("name",)))
    facilities = Facility.objects.filter(contains(query.text, translated=("name",)))
    return (
        PARK_SEARCH.among(Technopolis, query)
        | Q(pk__in=Technopolis.sectors.through.objects.filter(sector__in=sectors).values("technopolis_id"))
        | Q(pk__in=facilities.values("technopolis_id"))
    )


class ParkFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name, place or specialisation"), method="search")
    sector = django_filters.ModelChoiceFilter(
        label=_("Specialisation"), field_name="sectors", queryset=Sector.objects.all(), empty_label=_("All sectors")
    )
    ownership = django_filters.ChoiceFilter(
        label=_("Ownership"), choices=Technopolis.Ownership.choices, empty_label=_("Any ownership")
    )
    sort = StableOrderingFilter(
        label=_("Sort by"),
        fields=(
            ("name", "name"),
            ("region", "region"),
            ("city", "city"),
            ("founded_year", "founded"),
            # Annotated by residents.selectors.parks_with_figures.
            ("figure_resident_companies", "residents"),
        ),
        field_labels={
            "name": _("Name"),
            "region": _("Region"),
            "city": _("City"),
            "founded_year": _("Founded"),
            "figure_resident_companies": _("Residents"),
        },
    )

    class Meta:
        model = Technopolis
        fields: list[str] = []

    def search(self, queryset: QuerySet[Technopolis], name: str, value: str) -> QuerySet[Technopolis]:
        value = value.strip()
        return queryset.filter(parks_matching(value)) if value else queryset
