"""Filters, search and sorting of the resident company list and the IP registry (?q=, ?sort=)."""

import datetime

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from common.filters import StableOrderingFilter
from common.search import Query
from parks.models import Sector, Technopolis

from .models import COMPANY_SEARCH, IP_SEARCH, IntellectualProperty, ResidentCompany
from .selectors import EXPIRING_SOON_DAYS, expiring_soon


def companies_matching(query: str | Query) -> Q:
    """Companies by name (either language, in part or misspelt) or INN: the list's search and the site search."""
    return COMPANY_SEARCH.among(ResidentCompany, query)


def ip_records_matching(query: str | Query) -> Q:
    """IP records by registration number, title or their company's name: the registry's search and the site search."""
    query = Query.of(query)
    companies = ResidentCompany.objects.filter(COMPANY_SEARCH.match(query)).values("pk")
    # Each source its own subquery (served by its indexes), probed per record as a hashed set.
    return IP_SEARCH.among(IntellectualProperty, query) | Q(company__in=companies)


def _search(queryset: QuerySet, matching, value: str) -> QuerySet:
    value = value.strip()
    return queryset.filter(matching(value)) if value else queryset


class DatedFilterSet(django_filters.FilterSet):
    """A filter set whose date rules (current residents, expiring soon) are relative to `today`."""

    def __init__(self, data=None, queryset=None, *, today: datetime.date, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.today = today


class ResidentCompanyFilter(DatedFilterSet):
    RESIDENCY_CHOICES = [("current", _("current residents")), ("former", _("former residents"))]

    q = django_filters.CharFilter(label=_("Name or INN"), method="search")
    park = django_filters.ModelChoiceFilter(
        label=_("Park"), field_name="technopolis", queryset=Technopolis.objects.all(), empty_label=_("All parks")
    )
    sector = django_filters.ModelChoiceFilter(
        label=_("Sector"), field_name="sectors", queryset=Sector.objects.all(), empty_label=_("All sectors")
    )
    residency = django_filters.ChoiceFilter(
        label=_("Residency"), choices=RESIDENCY_CHOICES, method="filter_residency", empty_label=_("Current and former")
    )
    sort = StableOrderingFilter(
        label=_("Sort by"),
        fields=(
            ("name", "name"),
            ("technopolis__name", "park"),
            ("residency_start", "since"),
            ("residency_end", "until"),
            ("product_count", "products"),
            ("ip_count", "ip"),
        ),
        field_labels={
            "name": _("Name"),
            "technopolis__name": _("Park"),
            "residency_start": _("Resident since"),
            "residency_end": _("Resident until"),
            "product_count": _("Products"),
            "ip_count": _("IP records"),
        },
        empty_label=_("Name"),
    )

    class Meta:
        model = ResidentCompany
        fields: list[str] = []

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return _search(queryset, companies_matching, value)

    def filter_residency(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "current":
            return queryset.current(self.today)
        if value == "former":
            return queryset.former(self.today)
        return queryset


class IntellectualPropertyFilter(DatedFilterSet):
    q = django_filters.CharFilter(label=_("Number, title or company"), method="search")
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=IntellectualProperty.Kind.choices, empty_label=_("All kinds")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=IntellectualProperty.Status.choices, empty_label=_("Any status")
    )
    park = django_filters.ModelChoiceFilter(
        label=_("Park"),
        field_name="company__technopolis",
        queryset=Technopolis.objects.all(),
        empty_label=_("All parks"),
    )
    expiring = django_filters.BooleanFilter(
        label=format_lazy(_("Expiring within {days} days"), days=EXPIRING_SOON_DAYS),
        method="filter_expiring",
        widget=forms.CheckboxInput,
    )
    sort = StableOrderingFilter(
        label=_("Sort by"),
        fields=(
            ("kind", "kind"),
            ("registration_number", "number"),
            ("title", "title"),
            ("company__name", "company"),
            ("registered_on", "registered"),
            ("expires_on", "expires"),
        ),
        field_labels={
            "kind": _("Kind"),
            "registration_number": _("Registration number"),
            "title": _("Title"),
            "company__name": _("Company"),
            "registered_on": _("Registered on"),
            "expires_on": _("Expires on"),
        },
        empty_label=_("Kind and number"),
    )

    class Meta:
        model = IntellectualProperty
        fields: list[str] = []

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return _search(queryset, ip_records_matching, value)

    def filter_expiring(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(expiring_soon(self.today))
