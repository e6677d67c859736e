"""Sorting of the park list (?sort=, as on every list); it lives here because it sorts by residents' figures."""

import django_filters
from django.utils.translation import gettext_lazy as _

from common.filters import StableOrderingFilter
from parks.models import Technopolis


class ParkFilter(django_filters.FilterSet):
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
