"""The site search: what is searched, for whom, and how results are grouped: one definition per kind.

Each kind says which records the reader may see and which of their words are searched (names in
both languages, with the records they hang on: an agreement by its parties' and its signing event's
names, a park by its specialisations and facilities; the list filters use the same definitions). The
matching itself is plain `icontains`, in one place (common.i18n.contains), so that a full-text engine
can take its place without touching the kinds.
Each kind is one query (its first rows with the total, see selectors._bounded).
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
from agreements.models import AgreementDocument
from common.i18n import Localized, contains
from parks.models import Person, Technopolis
from residents.access import visible_know_how
from residents.models import IntellectualProperty, KnowHow, Product, ResidentCompany

from .filters import parks_matching

SEARCH_MAX_LENGTH = 100


@dataclass(frozen=True)
class SearchKind:
    key: str
    label: str
    # The records of this kind the reader may see that match the query, in the order they are shown.
    find: Callable[[User | AnonymousUser, str], QuerySet]
    # The list that shows all of them, filtered by the same words, when there is one.
    see_all: Callable[[str], str] | None = None


def _list(url_name: str, parameter: str = "q") -> Callable[[str], str]:
    return lambda query: f"{reverse(url_name)}?{urlencode({parameter: query})}"


KINDS: tuple[SearchKind, ...] = (
    SearchKind(
        "parks",
        _("Parks"),
        lambda user, query: Technopolis.objects.filter(parks_matching(query)).order_by(Localized("name").asc()),
        _list("parks:list"),
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
    ),
    SearchKind(
        "milestones",
        _("Milestones"),
        lambda user, query: (
            visible_milestones(user)
            .filter(contains(query, translated=("title", "description")))
            .select_related("agreement")
            .order_by("due_on", "pk")
        ),
    ),
    SearchKind(
        "companies",
        _("Companies"),
        lambda user, query: (
            ResidentCompany.objects.filter(contains(query, "inn", translated=("name",)))
            .select_related("technopolis")
            .order_by(Localized("name").asc(), "pk")
        ),
        _list("residents:list"),
    ),
    SearchKind(
        "products",
        _("Products"),
        lambda user, query: (
            Product.objects.filter(contains(query, "description", translated=("name",)))
            .select_related("company__technopolis")
            .order_by(Localized("name").asc(), "pk")
        ),
    ),
    SearchKind(
        "ip_records",
        _("IP records"),
        lambda user, query: (
            IntellectualProperty.objects.filter(contains(query, "registration_number", "title"))
            .select_related("company__technopolis")
            .order_by("registration_number", "pk")
        ),
        _list("ip:list"),
    ),
    SearchKind(
        "know_how",
        _("Know-how"),
        lambda user, query: (
            visible_know_how(user, KnowHow.objects.filter(contains(query, "title", "description")))
            .select_related("company__technopolis")
            .order_by("title", "pk")
        ),
    ),
    SearchKind(
        "people",
        _("People"),
        lambda user, query: (
            Person.objects.filter(contains(query, translated=("full_name", "position", "organisation")))
            .select_related("technopolis")
            .order_by(Localized("full_name").asc(), "pk")
        ),
    ),
    SearchKind(
        "documents",
        _("Documents"),
        lambda user, query: (
            AgreementDocument.objects.filter(
                contains(query, "title", "original_filename"), agreement__in=visible_agreements(user)
            )
            .select_related("agreement")
            .order_by("-uploaded_at", "pk")
        ),
    ),
)


def clean_query(query: str) -> str:
    # PostgreSQL refuses NUL characters in a string literal (a 500); nobody searches for one.
    return query.replace("\x00", "").strip()[:SEARCH_MAX_LENGTH]


__all__ = ["KINDS", "SEARCH_MAX_LENGTH", "SearchKind", "clean_query"]
