"""Reads for the portal's own pages: the dashboard, the global search, the profile, the feed.

Every read of agreements and milestones starts from agreements.access, so that these pages show
exactly what the agreement pages would show to the same person.
"""

import datetime
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, Exists, Q, QuerySet, Window
from django.db.models.functions import TruncMonth

from accounts.selectors import user_language_preload
from agreements.access import party_of, visible_agreements, visible_milestones
from agreements.lifecycle import FINAL_STATUSES, AgreementStatus
from agreements.models import Agreement, Milestone
from common.json_prefetch import RowCount, fetch_with_lists, related_paths
from common.search import Query
from parks.access import is_admin, member_park_ids
from parks.models import Membership

from .models import CalendarToken
from .search import KINDS, clean_query

# How many rows each dashboard or search section lists before "see all".
SECTION_ROWS = 10
DUE_SOON_DAYS = 30
EXPIRING_DAYS = 90
# The feed keeps milestones done this recently, so that a calendar still shows last month's work.
FEED_DONE_DAYS = 90
# Cancelled milestones stay this long, so calendars that showed them learn they were cancelled.
FEED_CANCELLED_DAYS = 90
FEED_MAX_EVENTS = 1000


@dataclass(frozen=True)
class Bounded:
    """The first rows of a list and how many there are in all."""

    rows: list = field(default_factory=list)
    total: int = 0

    @property
    def has_more(self) -> bool:
        return self.total > len(self.rows)


def _bounded(queryset: QuerySet, limit: int = SECTION_ROWS) -> Bounded:
    """The first `limit` rows and the total, in one query.

    The window count is computed over the whole filtered set before LIMIT applies, so each row
    carries the total; no rows means a total of zero.
    """
    rows = list(queryset.annotate(total_rows=Window(Count("pk")))[:limit])
    return Bounded(rows=rows, total=rows[0].total_rows if rows else 0)


# --- Whose agreements: "mine" -------------------------------------------------------------------


def _party_of_my_parks(user: User | AnonymousUser, agreement_ref: str) -> Q | Exists:
    """Agreements to which one of the user's parks is a party; admins and people without parks: all they see."""
    if is_admin(user):
        return Q()
    park_ids = member_park_ids(user)
    if not park_ids:
        return Q()
    return party_of(park_ids, agreement=agreement_ref)


def my_scope(user: User | AnonymousUser) -> str:
    """What "my" covers for this person: "all" (admins), "parks" (their parks' agreements) or "visible"."""
    if is_admin(user):
        return "all"
    return "parks" if member_park_ids(user) else "visible"


def my_agreements(user: User | AnonymousUser) -> QuerySet[Agreement]:
    """The person's agreements in daily work: archived ones are left out."""
    return visible_agreements(user).current().filter(_party_of_my_parks(user, "pk"))


def my_milestones(user: User | AnonymousUser) -> QuerySet[Milestone]:
    return (
        visible_milestones(user)
        .filter(agreement__archived_at__isnull=True)
        .filter(_party_of_my_parks(user, "agreement"))
    )


# --- Dashboard ----------------------------------------------------------------------------------


def _milestone_rows(queryset: QuerySet[Milestone]) -> QuerySet[Milestone]:
    return queryset.select_related("agreement", "responsible_technopolis").order_by("due_on", "pk")


def overdue_milestones(*, user: User | AnonymousUser, today: datetime.date) -> Bounded:
    return _bounded(_milestone_rows(my_milestones(user).overdue(today)))


def milestones_due_soon(*, user: User | AnonymousUser, today: datetime.date) -> Bounded:
    until = today + datetime.timedelta(days=DUE_SOON_DAYS)
    return _bounded(_milestone_rows(my_milestones(user).open().filter(due_on__gte=today, due_on__lte=until)))


def agreements_expiring(*, user: User | AnonymousUser, today: datetime.date) -> Bounded:
    until = today + datetime.timedelta(days=EXPIRING_DAYS)
    queryset = my_agreements(user).expiring_between(today, until).exclude(status__in=FINAL_STATUSES)
    return _bounded(queryset.order_by("expires_on", "reference"))


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


def agreement_status_counts(*, user: User | AnonymousUser) -> list[StatusCount]:
    """Every status in lifecycle order with how many visible agreements have it (the list's own numbers)."""
    counts = dict(visible_agreements(user).current().order_by().values_list("status").annotate(n=Count("pk")))
    return [StatusCount(status.value, status.label, counts.get(status.value, 0)) for status in AgreementStatus]


@dataclass(frozen=True)
class MonthCount:
    month: datetime.date
    done: int
    open: int
    overdue: int

    @property
    def total(self) -> int:
        return self.done + self.open + self.overdue


def milestones_per_month(
    *, user: User | AnonymousUser, today: datetime.date, months_before: int = 6, months_after: int = 6
) -> list[MonthCount]:
    """My milestones by the month they are due, from `months_before` to `months_after` around today's month.

    Done, still open (not yet due) and overdue (open and past due); cancelled ones are left out.
    """
    this_month = today.replace(day=1)
    first = this_month - relativedelta(months=months_before)
    after_last = this_month + relativedelta(months=months_after + 1)
    is_open = Q(status__in=Milestone.OPEN_STATUSES)
    rows = (
        my_milestones(user)
        .filter(due_on__gte=first, due_on__lt=after_last)
        .exclude(status=Milestone.Status.CANCELLED)
        .order_by()
        .annotate(month=TruncMonth("due_on"))
        .values("month")
        .annotate(
            done=Count("pk", filter=Q(status=Milestone.Status.DONE)),
            open=Count("pk", filter=is_open & Q(due_on__gte=today)),
            overdue=Count("pk", filter=is_open & Q(due_on__lt=today)),
        )
    )
    by_month = {_as_date(row["month"]): row for row in rows}
    months = []
    for offset in range(months_before + months_after + 1):
        month = first + relativedelta(months=offset)
        row = by_month.get(month, {})
        months.append(MonthCount(month, row.get("done", 0), row.get("open", 0), row.get("overdue", 0)))
    return months


def _as_date(value: datetime.date | datetime.datetime) -> datetime.date:
    # TruncMonth of a DateField is a date on PostgreSQL; be safe should a backend return a datetime.
    return value.date() if isinstance(value, datetime.datetime) else value


# --- Global search ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchGroup:
    key: str
    label: str
    found: Bounded
    see_all_url: str | None


@dataclass(frozen=True)
class SearchResults:
    groups: list[SearchGroup]

    @property
    def total(self) -> int:
        return sum(group.found.total for group in self.groups)

    def of(self, key: str) -> Bounded:
        return next(group.found for group in self.groups if group.key == key)


def search_everything(*, user: User | AnonymousUser, query: str) -> SearchResults:
    """Every kind of record the reader may see that matches the query, grouped by kind (portal.search),
    each with its first rows, best first, and its total.

    On PostgreSQL every kind comes inside one query (common.json_prefetch: each kind's first rows as a
    JSON array on the reader's own row); on SQLite, one query per kind.
    """
    query = Query.of(clean_query(query))  # which words match exactly: decided once for every kind
    lists, totals = {}, {}
    for kind in KINDS:
        records = kind.find(user, query)  # built once: the ORM's building is most of the page's time
        rows = kind.first(records, query, SECTION_ROWS)
        lists[f"found_{kind.key}"] = (lambda _reader, rows=rows: rows, related_paths(rows))
        # Counted apart from the ranked first rows: a window count would carry every matching row
        # through the joins and the sort (200 ms for 50,000 matches, against 30 for a count).
        totals[f"total_{kind.key}"] = RowCount(records)
    readers = get_user_model().objects.filter(pk=user.pk).annotate(**totals)
    reader = fetch_with_lists(readers, lists)
    groups = []
    for kind in KINDS:
        # An empty queryset (none() for a reader who may see nothing) counts as NULL.
        total = getattr(reader, f"total_{kind.key}") or 0
        found = Bounded(rows=getattr(reader, f"found_{kind.key}"), total=total)
        see_all = kind.see_all(query.text) if kind.see_all and found.has_more else None
        groups.append(SearchGroup(kind.key, str(kind.label), found, see_all))
    return SearchResults(groups)


# --- Profile and calendar feed ------------------------------------------------------------------


def memberships_of(user: User | AnonymousUser) -> QuerySet[Membership]:
    return Membership.objects.filter(user_id=user.pk).select_related("technopolis").order_by("technopolis__name")


def calendar_token_of(user: User | AnonymousUser) -> CalendarToken | None:
    return CalendarToken.objects.filter(user_id=user.pk).first()


def calendar_token_by_value(token: str) -> CalendarToken | None:
    """The token with its user, if it exists and the user may still sign in."""
    # With what user_language reads: the feed speaks its owner's language (no query more).
    tokens = user_language_preload(queryset=CalendarToken.objects.select_related("user"), user_field="user")
    return tokens.filter(token=token, user__is_active=True).first()


def feed_milestones(*, user: User | AnonymousUser, today: datetime.date) -> list[Milestone]:
    """What a person's calendar shows: open milestones, recently done and recently cancelled ones."""
    recent = Q(status=Milestone.Status.DONE, completed_on__gte=today - datetime.timedelta(days=FEED_DONE_DAYS)) | Q(
        status=Milestone.Status.CANCELLED, due_on__gte=today - datetime.timedelta(days=FEED_CANCELLED_DAYS)
    )
    queryset = (
        visible_milestones(user)
        .filter(agreement__archived_at__isnull=True)
        .filter(Q(status__in=Milestone.OPEN_STATUSES) | recent)
    )
    return list(queryset.select_related("agreement").order_by("due_on", "pk")[:FEED_MAX_EVENTS])
