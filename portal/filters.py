"""The park list's filters and sorting (?sort=, as on every list); it lives here because it sorts by
residents' figures."""

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from common.filters import StableOrderingFilter
from common.i18n import either_language
from parks.models import Sector, Technopolis


class ParkFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name, city or region"), method="search")
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
        if not value:
            return queryset
        query = Q()
        for field in ("name", "short_name", "city", "region"):
            query |= either_language(field, "icontains", value)
        return queryset.filter(query)
