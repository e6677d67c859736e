"""Filters, search and sorting of the agreement and milestone lists (also used by their CSV exports)."""

import datetime

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from common.filters import StableOrderingFilter
from common.i18n import either_language
from common.search import Query, Searched, both, contains
from parks.models import Sector, Technopolis

from .access import visible_agreements
from .lifecycle import AgreementStatus
from .models import AGREEMENT_SEARCH, Agreement, AgreementParty, Milestone, SigningEvent


def date_input() -> forms.DateInput:
    # ISO values, which a browser's date picker needs whatever the language.
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ArchivedFilter(django_filters.ChoiceFilter):
    """Archived agreements (and their milestones) are left out unless asked for."""

    CHOICES = [("no", _("no")), ("yes", _("yes")), ("all", _("all"))]

    def __init__(self, **kwargs):
        super().__init__(choices=self.CHOICES, empty_label=None, label=_("Archived"), **kwargs)

    def filter(self, qs: QuerySet, value: str) -> QuerySet:
        if value == "all":
            return qs
        return qs.filter(**{f"{self.field_name}__isnull": value != "yes"})


# A party found by its name or short name: in part as typed, or close to it (misspelt).
PARK_NAMES = Searched(names=both("name", "short_name"), codes=both("name", "short_name"))


def agreements_matching(query: str | Query) -> Q:
    """Agreements by reference, title, subject, their parties' names and their signing event (name or
    city): the list's search and the site search alike."""
    query = Query.of(query)
    parks = Technopolis.objects.filter(PARK_NAMES.match(query)).values("pk")
    events = SigningEvent.objects.filter(contains(query.text, translated=("name", "city"))).values("pk")
    # Each source is its own subquery (served by its indexes), probed per agreement as a hashed set:
    # an OR of the conditions themselves would make PostgreSQL check every agreement against them.
    return (
        AGREEMENT_SEARCH.among(Agreement, query)
        | Q(pk__in=AgreementParty.objects.filter(technopolis__in=parks).values("agreement_id"))
        | Q(signing_event__in=events)
    )


class AgreementFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    status = django_filters.ChoiceFilter(choices=AgreementStatus.choices, label=_("Status"))
    park = django_filters.ModelChoiceFilter(
        queryset=Technopolis.objects.all(), field_name="parties__technopolis", label=_("Party")
    )
    kind = django_filters.ChoiceFilter(choices=Agreement.Kind.choices, label=_("Kind"))
    year = django_filters.ChoiceFilter(field_name="signed_on__year", label=_("Year signed"))
    sector = django_filters.ModelChoiceFilter(
        queryset=Sector.objects.all(), field_name="sectors", label=_("Cooperation area")
    )
    archived = ArchivedFilter(field_name="archived_at")
    sort = StableOrderingFilter(
        fields=["reference", "title", "status", "signed_on", "expires_on"],
        field_labels={
            "reference": _("reference"),
            "title": _("title"),
            "status": _("status"),
            "signed_on": _("signed on"),
            "expires_on": _("expires on"),
        },
        label=_("Sort by"),
    )

    class Meta:
        model = Agreement
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the years of agreements the user may see: the list must not hint at others.
        years = visible_agreements(self.request.user).dates("signed_on", "year", order="DESC")
        self.filters["year"].extra["choices"] = [(day.year, day.year) for day in years]

    def search(self, queryset: QuerySet[Agreement], name: str, value: str) -> QuerySet[Agreement]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(agreements_matching(value))


class MilestoneFilter(django_filters.FilterSet):
    OVERDUE_CHOICES = [("yes", _("overdue")), ("no", _("not overdue"))]

    agreement = django_filters.CharFilter(method="search_agreement", label=_("Agreement"))
    status = django_filters.ChoiceFilter(choices=Milestone.Status.choices, label=_("Status"))
    overdue = django_filters.ChoiceFilter(choices=OVERDUE_CHOICES, method="filter_overdue", label=_("Overdue"))
    park = django_filters.ModelChoiceFilter(
        queryset=Technopolis.objects.all(), field_name="responsible_technopolis", label=_("Responsible park")
    )
    due_from = django_filters.DateFilter(
        field_name="due_on", lookup_expr="gte", label=_("Due from"), widget=date_input()
    )
    due_to = django_filters.DateFilter(
        field_name="due_on", lookup_expr="lte", label=_("Due until"), widget=date_input()
    )
    archived = ArchivedFilter(field_name="agreement__archived_at")
    sort = StableOrderingFilter(
        fields=[("due_on", "due_on")],
        field_labels={"due_on": _("due date")},
        label=_("Sort by"),
    )

    class Meta:
        model = Milestone
        fields: list[str] = []

    def __init__(self, *args, today: datetime.date, **kwargs):
        self.today = today
        super().__init__(*args, **kwargs)

    def search_agreement(self, queryset: QuerySet[Milestone], name: str, value: str) -> QuerySet[Milestone]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(agreement__reference__icontains=value) | either_language("agreement__title", "icontains", value)
        )

    def filter_overdue(self, queryset: QuerySet[Milestone], name: str, value: str) -> QuerySet[Milestone]:
        overdue = Milestone.objects.overdue(self.today)
        if value == "yes":
            return queryset.filter(pk__in=overdue.values("pk"))
        if value == "no":
            return queryset.exclude(pk__in=overdue.values("pk"))
        return queryset
