"""The site search: what is searched, for whom, and how results are grouped: one definition per kind.

Each kind says which records the reader may see and which of their fields are searched (names in
both languages, with the records they hang on: an agreement by its parties' and its signing event's
names, a park by its specialisations and facilities; the list filters use the same definitions).
How words match (full-text in English and Russian, trigrams for names, ranking, snippets) is
common.search's; each model's searched fields sit beside it (e.g. residents.models.COMPANY_SEARCH).
Results come best first. Each kind is one query (its first rows with the total, see selectors._bounded).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from agreements.access import visible_agreements, visible_milestones
from agreements.filters import agreements_matching
from agreements.models import AGREEMENT_SEARCH, DOCUMENT_SEARCH, MILESTONE_SEARCH, AgreementDocument, Milestone
from common.i18n import Localized
from common.json_prefetch import related_paths
from common.search import Query, Searched
from parks.models import PARK_SEARCH, PERSON_SEARCH, Person, Technopolis
from residents.access import visible_know_how
from residents.filters import companies_matching, ip_records_matching
from residents.models import (
    COMPANY_SEARCH,
    IP_SEARCH,
    KNOW_HOW_SEARCH,
    PRODUCT_SEARCH,
    IntellectualProperty,
    KnowHow,
    Product,
    ResidentCompany,
)

from .filters import parks_matching

SEARCH_MAX_LENGTH = 100


@dataclass(frozen=True)
class SearchKind:
    key: str
    label: str
    # The records of this kind the reader may see that match the query, in the order they are shown.
    find: Callable[[User | AnonymousUser, Query], QuerySet]
    # The list that shows all of them, filtered by the same words, when there is one.
    see_all: Callable[[str], str] | None = None
    # How the model's records are ranked and which text gives the snippet.
    searched: Searched | None = None

    def ranked(self, records: QuerySet, query: Query) -> QuerySet:
        """The records `find` returned, best first (then in the kind's own order)."""
        if self.searched is None:
            return records
        return records.annotate(search_rank=self.searched.rank(query)).order_by("-search_rank", *records.query.order_by)

    def first(self, records: QuerySet, query: Query, limit: int) -> QuerySet:
        """The best `limit` of the records `find` returned, with their related rows and `snippet`, in
        order. The ids are picked first, so that only these rows are loaded whole (building every
        matching row for the sort cost 280 ms on 20,000 companies)."""
        ranked = self.ranked(records, query)
        rows = records.model.objects.filter(pk__in=ranked.values("pk")[:limit])
        rows = rows.select_related(*related_paths(records))
        if self.searched is None:
            return rows.order_by(*ranked.query.order_by)
        return rows.annotate(search_rank=self.searched.rank(query), snippet=self.searched.headline(query)).order_by(
            *ranked.query.order_by
        )


def _list(url_name: str, parameter: str = "q") -> Callable[[str], str]:
    return lambda query: f"{reverse(url_name)}?{urlencode({parameter: query})}"


KINDS: tuple[SearchKind, ...] = (
    SearchKind(
        "parks",
        _("Parks"),
        lambda user, query: Technopolis.objects.filter(parks_matching(query)).order_by(Localized("name").asc()),
        _list("parks:list"),
        PARK_SEARCH,
    ),
    SearchKind(
        "agreements",
        _("Agreements"),
        lambda user, query: (
            visible_agreements(user)
            .filter(agreements_matching(query))
            .select_related("signing_event")
            .order_by("reference")
        ),
        _list("agreements:list"),
        AGREEMENT_SEARCH,
    ),
    SearchKind(
        "milestones",
        _("Milestones"),
        lambda user, query: (
            visible_milestones(user)
            .filter(MILESTONE_SEARCH.among(Milestone, query))
            .select_related("agreement")
            .order_by("due_on", "pk")
        ),
        searched=MILESTONE_SEARCH,
    ),
    SearchKind(
        "companies",
        _("Companies"),
        lambda user, query: (
            ResidentCompany.objects.filter(companies_matching(query))
            .select_related("technopolis")
            .order_by(Localized("name").asc(), "pk")
        ),
        _list("residents:list"),
        COMPANY_SEARCH,
    ),
    SearchKind(
        "products",
        _("Products"),
        lambda user, query: (
            Product.objects.filter(PRODUCT_SEARCH.among(Product, query))
            .select_related("company__technopolis")
            .order_by(Localized("name").asc(), "pk")
        ),
        searched=PRODUCT_SEARCH,
    ),
    SearchKind(
        "ip_records",
        _("IP records"),
        lambda user, query: (
            IntellectualProperty.objects.filter(ip_records_matching(query))
            .select_related("company__technopolis")
            .order_by("registration_number", "pk")
        ),
        _list("ip:list"),
        IP_SEARCH,
    ),
    SearchKind(
        "know_how",
        _("Know-how"),
        lambda user, query: (
            visible_know_how(user, KnowHow.objects.filter(KNOW_HOW_SEARCH.among(KnowHow, query)))
            .select_related("company__technopolis")
            .order_by("title", "pk")
        ),
        searched=KNOW_HOW_SEARCH,
    ),
    SearchKind(
        "people",
        _("People"),
        lambda user, query: (
            Person.objects.filter(PERSON_SEARCH.among(Person, query))
            .select_related("technopolis")
            .order_by(Localized("full_name").asc(), "pk")
        ),
        searched=PERSON_SEARCH,
    ),
    SearchKind(
        "documents",
        _("Documents"),
        lambda user, query: (
            AgreementDocument.objects.filter(
                DOCUMENT_SEARCH.among(AgreementDocument, query), agreement__in=visible_agreements(user)
            )
            .select_related("agreement")
            .order_by("-uploaded_at", "pk")
        ),
        searched=DOCUMENT_SEARCH,
    ),
)


def clean_query(query: str) -> str:
    # PostgreSQL refuses NUL characters in a string literal (a 500); nobody searches for one.
    return query.replace("\x00", "").strip()[:SEARCH_MAX_LENGTH]


__all__ = ["KINDS", "SEARCH_MAX_LENGTH", "SearchKind", "clean_query"]
