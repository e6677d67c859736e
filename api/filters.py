"""The portal's own filter sets (search, filters, sorting) applied to the API's lists."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from agreements.filters import AgreementFilter, ArchivedFilter, MilestoneFilter


@extend_schema_field(OpenApiTypes.INT)
class YearFilter(django_filters.ChoiceFilter):
    """A year chosen among those present; the schema says it is a number (drf-spectacular cannot tell)."""


@extend_schema_field({"type": "string", "enum": [value for value, _label in ArchivedFilter.CHOICES], "default": "no"})
class ApiArchivedFilter(ArchivedFilter):
    """no / yes / all: a word, not the date of the field it filters, for the schema."""


class ApiAgreementFilter(AgreementFilter):
    """The portal's agreement filters, with the year and archived typed for the OpenAPI schema."""

    year = YearFilter(field_name="signed_on__year", label=_("Year signed"))
    archived = ApiArchivedFilter(field_name="archived_at")


class ApiMilestoneFilter(MilestoneFilter):
    archived = ApiArchivedFilter(field_name="agreement__archived_at")


class PortalFilterBackend(DjangoFilterBackend):
    """django-filter's backend, also handing "today" to the filter sets whose rules are dated."""

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        if getattr(view, "filterset_needs_today", False):
            kwargs["today"] = timezone.localdate()
        return kwargs
