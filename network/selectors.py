"""The figures behind the network pages, from the agreements the reader may see: a fixed number of queries.

A confidential agreement of other parks is neither drawn nor counted for someone who may not see it:
every figure starts from agreements.access.visible_agreements.
"""

import datetime
import itertools
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import (
    Case,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear, TruncQuarter

from agreements.access import party_of, visible_agreements
from agreements.lifecycle import FINAL_STATUSES, AgreementStatus
from agreements.models import Agreement, AgreementParty, InnovationStage, Milestone
from parks.models import Technopolis
from residents.models import ResidentCompany

# The statuses an edge is drawn by, busiest first: an edge takes the style of its liveliest agreement.
EDGE_GROUPS = ("active", "signed", "planned", "finished")
_GROUP_OF = {
    AgreementStatus.ACTIVE: "active",
    AgreementStatus.SIGNED: "signed",
    AgreementStatus.DRAFT: "planned",
    AgreementStatus.NEGOTIATION: "planned",
    **dict.fromkeys(FINAL_STATUSES, "finished"),
}


@dataclass(frozen=True)
class Node:
    park: Technopolis
    residents: int
    agreements: int  # agreements drawn that the park is a party to
    partners: int  # parks it is linked to


@dataclass
class Edge:
    a: int
    b: int
    by_group: Counter = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.by_group.values())

    @property
    def group(self) -> str:
        return next(group for group in EDGE_GROUPS if self.by_group[group])


@dataclass
class Graph:
    nodes: list[Node]
    edges: list[Edge]
    agreements: int

    @property
    def by_id(self) -> dict[int, Node]:
        return {node.park.pk: node for node in self.nodes}


def drawn_agreements(user: User | AnonymousUser, filters) -> QuerySet[Agreement]:
    return filters.apply(visible_agreements(user, Agreement.objects.current()))


def _resident_count(today: datetime.date) -> Subquery:
    counted = (
        ResidentCompany.objects.current(today)
        .filter(technopolis=OuterRef("pk"))
        .order_by()
        .values("technopolis")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def network_graph(*, user: User | AnonymousUser, filters, today: datetime.date) -> Graph:
    """Parks linked by the agreements the reader sees (filtered): two queries."""
    rows = (
        AgreementParty.objects.filter(agreement__in=drawn_agreements(user, filters))
        .order_by("agreement_id", "technopolis_id")
        .values_list("agreement_id", "technopolis_id", "agreement__status")
    )
    parks_of: dict[int, list[int]] = defaultdict(list)
    status_of: dict[int, str] = {}
    for agreement_id, park_id, status in rows:
        parks_of[agreement_id].append(park_id)
        status_of[agreement_id] = status
    edges: dict[tuple[int, int], Edge] = {}
    agreements_of_park: Counter = Counter()
    for agreement_id, park_ids in parks_of.items():
        park_ids = sorted(set(park_ids))
        agreements_of_park.update(park_ids)
        for a, b in itertools.combinations(park_ids, 2):
            edges.setdefault((a, b), Edge(a, b)).by_group[_GROUP_OF[status_of[agreement_id]]] += 1
    partners: Counter = Counter()
    for a, b in edges:
        partners.update((a, b))
    parks = Technopolis.objects.filter(pk__in=agreements_of_park).annotate(residents=_resident_count(today))
    nodes = [
        Node(park=park, residents=park.residents, agreements=agreements_of_park[park.pk], partners=partners[park.pk])
        for park in parks
    ]
    # The busiest parks first: they are drawn on top and labelled first.
    nodes.sort(key=lambda node: (-node.agreements, -node.residents, str(node.park)))
    return Graph(
        nodes=nodes, edges=sorted(edges.values(), key=lambda e: (-e.total, e.a, e.b)), agreements=len(parks_of)
    )


def agreements_between(
    *, user: User | AnonymousUser, filters, park_a: Technopolis, park_b: Technopolis
) -> QuerySet[Agreement]:
    """The agreements an edge stands for: both parks are parties."""
    return (
        drawn_agreements(user, filters)
        .filter(party_of([park_a.pk]))
        .filter(party_of([park_b.pk]))
        .order_by(F("signed_on").desc(nulls_last=True), "reference")
    )


# --- the innovation chain ------------------------------------------------------------------------------


@dataclass
class Coverage:
    """Rows (parks, or one park's agreements) × the stages of the chain: how many agreements cover each."""

    stages: list[InnovationStage]
    rows: list[tuple[object, list[int]]]  # (park or agreement, a count per stage)

    @property
    def gaps(self) -> list[InnovationStage]:
        """The stages no agreement shown covers."""
        return [stage for index, stage in enumerate(self.stages) if not any(row[1][index] for row in self.rows)]


def stage_coverage(*, user: User | AnonymousUser, filters, park: Technopolis | None = None) -> Coverage:
    """Parks × stages (or, for one park, its agreements × stages): three queries."""
    stages = list(InnovationStage.objects.order_by("position"))
    column = {stage.pk: index for index, stage in enumerate(stages)}
    agreements = drawn_agreements(user, filters)
    scope = Agreement.scope.through.objects.filter(agreement__in=agreements)
    if park is not None:
        shown = list(agreements.filter(party_of([park.pk])).order_by("reference"))
        counts = {agreement.pk: [0] * len(stages) for agreement in shown}
        for agreement_id, stage_id in scope.filter(agreement__in=[a.pk for a in shown]).values_list(
            "agreement_id", "innovationstage_id"
        ):
            counts[agreement_id][column[stage_id]] = 1
        return Coverage(stages, [(agreement, counts[agreement.pk]) for agreement in shown])
    cells = (
        scope.values("agreement__parties__technopolis_id", "innovationstage_id")
        .annotate(n=Count("agreement_id", distinct=True))
        .values_list("agreement__parties__technopolis_id", "innovationstage_id", "n")
    )
    counts: dict[int, list[int]] = defaultdict(lambda: [0] * len(stages))
    for park_id, stage_id, n in cells:
        counts[park_id][column[stage_id]] = n
    parks_with_agreements = Technopolis.objects.filter(agreement_parties__agreement__in=agreements).distinct()
    parks = sorted(parks_with_agreements, key=lambda p: (-sum(counts[p.pk]), str(p)))
    return Coverage(stages, [(p, counts[p.pk]) for p in parks])


# --- the track record ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quarter:
    start: datetime.date
    due: int
    on_time: int
    late: int
    overdue: int

    @property
    def label(self) -> str:
        return f"{self.start.year} Q{(self.start.month - 1) // 3 + 1}"


@dataclass
class TrackRecord:
    quarters: list[Quarter]
    median_days_late: float | None
    signed_per_year: list[tuple[int, int]]
    expiring: list[Agreement]
    expiring_days: int

    @property
    def on_time(self) -> int:
        return sum(quarter.on_time for quarter in self.quarters)

    @property
    def late(self) -> int:
        return sum(quarter.late for quarter in self.quarters)

    @property
    def overdue(self) -> int:
        return sum(quarter.overdue for quarter in self.quarters)

    @property
    def on_time_rate(self) -> float | None:
        """Done on time, of those done (percent); None before anything is done."""
        done = self.on_time + self.late
        return round(100 * self.on_time / done) if done else None


QUARTERS_BACK = 8
EXPIRING_DAYS = 90


def _quarter_start(day: datetime.date) -> datetime.date:
    return day.replace(month=3 * ((day.month - 1) // 3) + 1, day=1)


def _quarters_back(today: datetime.date, count: int) -> datetime.date:
    start = _quarter_start(today)
    months = start.year * 12 + start.month - 1 - 3 * count
    return datetime.date(months // 12, months % 12 + 1, 1)


def track_record(
    *, user: User | AnonymousUser, today: datetime.date, park: Technopolis | None = None, filters=None
) -> TrackRecord:
    """Milestones due per quarter (the last eight and this one) and how they went, the median delay of
    those done late, agreements signed per year and those expiring soon: four queries."""
    agreements = visible_agreements(user, Agreement.objects.current())
    if filters is not None:
        agreements = filters.apply(agreements)
    if park is not None:
        agreements = agreements.filter(party_of([park.pk]))
    quarters, median = _quarters(_recent_milestones(agreements, today), today)
    signed = (
        agreements.filter(signed_on__isnull=False)
        .annotate(year=ExtractYear("signed_on"))
        .values("year")
        .annotate(n=Count("pk"))
        .order_by("year")
        .values_list("year", "n")
    )
    expiring = list(
        agreements.filter(
            status__in=[AgreementStatus.ACTIVE, AgreementStatus.SIGNED],
            expires_on__gte=today,
            expires_on__lte=today + datetime.timedelta(days=EXPIRING_DAYS),
        ).order_by("expires_on", "reference")[:20]
    )
    return TrackRecord(quarters, median, list(signed), expiring, EXPIRING_DAYS)


def park_quarters(*, user: User | AnonymousUser, today: datetime.date, park: Technopolis) -> list[Quarter]:
    """A park's own milestones per quarter (its page's summary): one query."""
    agreements = visible_agreements(user, Agreement.objects.current()).filter(party_of([park.pk]))
    return _quarters(_recent_milestones(agreements, today), today)[0]


def _recent_milestones(agreements: QuerySet[Agreement], today: datetime.date) -> QuerySet[Milestone]:
    first, until = _quarters_back(today, QUARTERS_BACK), _quarters_back(today, -1)
    return Milestone.objects.filter(agreement__in=agreements, due_on__gte=first, due_on__lt=until)


def _quarters(milestones: QuerySet[Milestone], today: datetime.date) -> tuple[list[Quarter], float | None]:
    """Due, done on time, done late and overdue per quarter (with the quarters nothing was due in),
    and the median delay of those done late: one query, counting per quarter and days late, so that
    the median comes from the counts."""
    done = Q(status=Milestone.Status.DONE)
    late = done & Q(completed_on__gt=F("due_on"))
    delay = Case(
        When(late, then=ExpressionWrapper(F("completed_on") - F("due_on"), output_field=DurationField())),
        default=None,
        output_field=DurationField(),
    )
    rows = (
        milestones.annotate(quarter=TruncQuarter("due_on"), delay=delay)
        .values("quarter", "delay")
        .annotate(
            due=Count("pk"),
            on_time=Count("pk", filter=done & Q(completed_on__lte=F("due_on"))),
            late=Count("pk", filter=late),
            overdue=Count(
                "pk",
                filter=Q(status__in=Milestone.OPEN_STATUSES, due_on__lt=today)
                & ~Q(agreement__status__in=FINAL_STATUSES),
            ),
        )
        .order_by("quarter")
    )
    totals: dict[datetime.date, Counter] = defaultdict(Counter)
    delays: Counter = Counter()
    for row in rows:
        totals[_as_date(row["quarter"])].update({name: row[name] for name in ("due", "on_time", "late", "overdue")})
        if row["delay"] is not None:
            delays[row["delay"].days] += row["late"]
    quarters, start, until = [], _quarters_back(today, QUARTERS_BACK), _quarters_back(today, -1)
    while start < until:
        row = totals.get(start, Counter())
        quarters.append(Quarter(start, row["due"], row["on_time"], row["late"], row["overdue"]))
        start = _quarters_back(start, -1)
    return quarters, _median(delays)


def _median(counts: Counter) -> float | None:
    """The median of values given with how many times each occurs."""
    total = sum(counts.values())
    if not total:
        return None
    middle, seen, values = (total - 1) / 2, 0, sorted(counts)
    for index, value in enumerate(values):
        seen += counts[value]
        if seen > middle:
            if total % 2 == 0 and seen == middle + 0.5:  # the median falls between this and the next
                return (value + values[index + 1]) / 2
            return float(value)
    return float(values[-1])


def _as_date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value
