"""Reads of agreements for the portal's pages, each in a fixed number of queries.

Every read starts from agreements.access, so that a page never shows what its reader may not see.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from common.completeness import Missing, annotate_missing, missing_data
from common.json_prefetch import Lists, fetch_with_lists, lists_attached, with_lists
from parks.models import Facility, Person, Sector
from residents.access import can_see_know_how, visible_know_how
from residents.models import IntellectualProperty, KnowHow, ResidentCompany

from .access import get_visible_agreement, visible_agreements, visible_milestones
from .completeness import AGREEMENT_RULES
from .history import HistoryEntry, agreement_history
from .models import Agreement, AgreementDocument, AgreementParty, InnovationStage, Milestone

# Latest signed first; agreements without a signing date (often drafts) after them.
DEFAULT_ORDER = (F("signed_on").desc(nulls_last=True), "reference", "pk")


def _parties_with_parks() -> Prefetch:
    return Prefetch("parties", queryset=AgreementParty.objects.select_related("technopolis").order_by("pk"))


# What an agreement concerns besides its parties: records of the parties' parks.
PARK_RECORD_FIELDS = ("facilities", "resident_companies", "ip_records", "know_how")
# Every many-to-many relation saved with an agreement (services.agreement_create / agreement_update).
RELATION_FIELDS = ("witnesses", "scope", "sectors", *PARK_RECORD_FIELDS)


def concerned_record_choices(
    agreement: Agreement, *, user: User | AnonymousUser, park_ids: list[int]
) -> dict[str, QuerySet]:
    """The facilities, companies, IP records and know-how an agreement may concern: those of the
    parks `park_ids` (its parties) and those it already names; know-how only as far as `user` may see it.

    The portal's form offers these and the API accepts only these, so both refuse the same records.
    """
    named = Q(agreements=agreement) if agreement.pk else Q(pk__in=[])
    visible = visible_know_how(user, KnowHow.objects.all())
    return {
        "facilities": Facility.objects.filter(Q(technopolis_id__in=park_ids) | named).distinct(),
        "resident_companies": ResidentCompany.objects.filter(Q(technopolis_id__in=park_ids) | named).distinct(),
        "ip_records": IntellectualProperty.objects.select_related("company")
        .filter(Q(company__technopolis_id__in=park_ids) | named)
        .distinct(),
        "know_how": visible.filter(Q(company__technopolis_id__in=park_ids) | named).distinct(),
    }


def hidden_know_how(agreement: Agreement, *, user: User | AnonymousUser) -> list[KnowHow]:
    """Know-how the agreement concerns that `user` may not see: kept on save, neither shown nor dropped."""
    if agreement.pk is None:
        return []
    return list(agreement.know_how.exclude(pk__in=visible_know_how(user, KnowHow.objects.all()).values("pk")))


# The list page's parties with their parks, inside each agreement's row (common.json_prefetch).
LIST_PARTIES: Lists = {"parties": (AgreementParty.objects.order_by("pk"), ("technopolis",))}


def _listed_agreements(*, user: User | AnonymousUser, today: datetime.date) -> QuerySet[Agreement]:
    """Visible agreements with their next open milestone and number of overdue milestones."""
    next_due = (
        Milestone.objects.open()
        .filter(agreement=OuterRef("pk"), due_on__gte=today)
        .order_by("due_on")
        .values("due_on")[:1]
    )
    overdue = (
        Milestone.objects.overdue(today)
        .filter(agreement=OuterRef("pk"))
        .order_by()
        .values("agreement")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        visible_agreements(user)
        .annotate(
            next_milestone_on=Subquery(next_due),
            overdue_milestones=Coalesce(Subquery(overdue, output_field=IntegerField()), 0),
        )
        .order_by(*DEFAULT_ORDER)
    )


def agreements_for_list(*, user: User | AnonymousUser, today: datetime.date) -> QuerySet[Agreement]:
    """Visible agreements with their parties (prefetched), next open milestone and number of overdue milestones."""
    return _listed_agreements(user=user, today=today).prefetch_related(_parties_with_parks())


def agreements_for_list_page(*, user: User | AnonymousUser, today: datetime.date) -> QuerySet[Agreement]:
    """As agreements_for_list, with each agreement's parties inside its own row: the rows taken from it
    go through `with_parties`."""
    return with_lists(_listed_agreements(user=user, today=today), LIST_PARTIES)


def with_parties(agreements) -> list[Agreement]:
    return lists_attached(agreements, LIST_PARTIES)


def milestones_for_list(*, user: User | AnonymousUser) -> QuerySet[Milestone]:
    return visible_milestones(user).select_related("agreement", "responsible_technopolis", "responsible_person")


@dataclass(frozen=True)
class StageCoverage:
    stage: InnovationStage
    covered: bool


@dataclass(frozen=True)
class MilestoneRow:
    milestone: Milestone
    is_overdue: bool

    @property
    def is_open(self) -> bool:
        return self.milestone.status in Milestone.OPEN_STATUSES


@dataclass(frozen=True)
class DocumentVersions:
    """A document as the page lists it: its latest version, then the earlier ones, newest first."""

    latest: AgreementDocument
    earlier: list[AgreementDocument]

    @property
    def number(self) -> int:
        return len(self.earlier) + 1


def document_versions(documents: list[AgreementDocument]) -> list[DocumentVersions]:
    """Groups an agreement's documents (all versions, already loaded) into lines of versions."""
    by_id = {document.pk: document for document in documents}
    superseded = {document.supersedes_id for document in documents if document.supersedes_id}
    groups = []
    for document in documents:
        if document.pk in superseded:
            continue
        earlier, previous = [], by_id.get(document.supersedes_id)
        while previous is not None:
            earlier.append(previous)
            previous = by_id.get(previous.supersedes_id)
        groups.append(DocumentVersions(document, earlier))
    return groups


@dataclass(frozen=True)
class AgreementPage:
    agreement: Agreement
    missing: list[Missing]
    stages: list[StageCoverage]
    know_how: list[KnowHow]
    # Know-how of parks the reader is not a member of: only counted (see residents.access).
    hidden_know_how: int
    milestones: list[MilestoneRow]
    related: list[Agreement]
    history: list[HistoryEntry]
    documents: list[DocumentVersions]


# The agreement's short lists, loaded inside its own query on PostgreSQL (see common.json_prefetch):
# relation or list -> (queryset of its rows, their foreign keys to load along).
def _page_lists(user: User | AnonymousUser) -> Lists:
    return {
        "parties": (AgreementParty.objects.order_by("pk"), ("technopolis", "signatory")),
        "parties__witnesses": (Person.objects.all(), ()),
        "witnesses": (Person.objects.all(), ()),
        "sectors": (Sector.objects.all(), ()),
        "facilities": (Facility.objects.all(), ("technopolis",)),
        "resident_companies": (ResidentCompany.objects.all(), ("technopolis",)),
        "ip_records": (IntellectualProperty.objects.all(), ("company",)),
        "know_how": (KnowHow.objects.all(), ("company",)),
        "milestones": (Milestone.objects.order_by("due_on", "pk"), ("responsible_technopolis", "responsible_person")),
        "documents": (AgreementDocument.objects.all(), ("uploaded_by",)),
        "scope": (InnovationStage.objects.all(), ()),
        # Every stage, upstream to downstream, each marked covered or not from `scope`.
        "all_stages": (lambda agreement: InnovationStage.objects.order_by("position"), ()),
        # The agreement it amends and its amendments, as far as the reader may see them.
        "related_agreements": (
            lambda agreement: (
                visible_agreements(user)
                .filter(Q(parent_id=agreement.pk) | Q(pk=agreement.parent_id))
                .order_by("signed_on", "reference")
            ),
            (),
        ),
    }


def agreement_page(*, user: User | AnonymousUser, pk: int, today: datetime.date) -> AgreementPage:
    """Everything an agreement's page shows, or 404 when the user may not see it.

    Five queries on PostgreSQL: the agreement with its parties (and their witnesses), short lists,
    milestones, documents, stages and the related agreements the reader may see, all as JSON
    arrays in its own row (see common.json_prefetch); then the history (see agreement_history).
    """
    agreement = fetch_with_lists(
        annotate_missing(Agreement.objects.select_related("signing_event"), AGREEMENT_RULES),
        _page_lists(user),
        get=lambda queryset: get_visible_agreement(user, pk, queryset),
    )
    scope = {stage.pk for stage in agreement.scope.all()}
    related = agreement.related_agreements
    know_how = list(agreement.know_how.all())
    visible_know_how = [record for record in know_how if can_see_know_how(user, record.company)]
    return AgreementPage(
        agreement=agreement,
        missing=missing_data(agreement, AGREEMENT_RULES),
        stages=[StageCoverage(stage, stage.pk in scope) for stage in agreement.all_stages],
        know_how=visible_know_how,
        hidden_know_how=len(know_how) - len(visible_know_how),
        milestones=[MilestoneRow(milestone, milestone.is_overdue(today)) for milestone in agreement.milestones.all()],
        related=related,
        # Former parents are not known to be visible without another query: only a visible current one is named.
        history=agreement_history(agreement, shown_agreement_ids={other.pk for other in related}),
        documents=document_versions(list(agreement.documents.all())),
    )
