"""What a partner contact may see, and what waits for staff: reads only, in a fixed number of queries."""

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import CharField, Count, Exists, OuterRef, Prefetch, Q, QuerySet, Value
from django.http import Http404

from agreements.access import editable_agreements, party_of
from agreements.lifecycle import FINAL_STATUSES
from agreements.models import Agreement, AgreementParty, Milestone
from notifications.models import Subscription
from parks.models import Person

from . import rules
from .models import Decision, DueDateProposal, MilestoneComment, MilestoneConfirmation, PartnerLink


def _active_subscriptions(person: Person) -> QuerySet[Subscription]:
    return Subscription.objects.filter(person=person, unsubscribed_at__isnull=True)


def _named_contact(person: Person) -> Q:
    """Whether `person` is named in the agreement: its signatory, a witness, responsible for a milestone,
    or chosen by staff to follow this very agreement (not all of a park's)."""
    return Q(
        Exists(_active_subscriptions(person).filter(agreements=OuterRef("pk")))
        | Exists(AgreementParty.objects.filter(agreement=OuterRef("pk"), signatory=person))
        | Exists(
            AgreementParty.witnesses.through.objects.filter(agreementparty__agreement=OuterRef("pk"), person=person)
        )
        | Exists(Agreement.witnesses.through.objects.filter(agreement=OuterRef("pk"), person=person))
        | Exists(Milestone.objects.filter(agreement=OuterRef("pk"), responsible_person=person))
    )


def _follows_through_a_park(person: Person) -> Q:
    return Q(Exists(_active_subscriptions(person).filter(parks__agreement_parties__agreement=OuterRef("pk"))))


def partner_agreements(person: Person) -> QuerySet[Agreement]:
    """The agreements a partner contact sees: their park is a party and they follow it (through a park
    or by name) or are named in it; a confidential one only when they are named in it."""
    if person.technopolis_id is None:
        return Agreement.objects.none()
    named = _named_contact(person)
    return (
        Agreement.objects.current()
        .filter(party_of([person.technopolis_id]))
        .filter(named | _follows_through_a_park(person))
        .filter(Q(is_public=True) | named)
    )


@dataclass
class MilestoneState:
    """A milestone as the partner and staff pages show it: who confirmed, who is awaited, what is said."""

    milestone: Milestone
    party_names: dict[int, str]
    confirmations: list[MilestoneConfirmation] = field(default_factory=list)
    proposals: list[DueDateProposal] = field(default_factory=list)
    comments: list[MilestoneComment] = field(default_factory=list)

    @property
    def confirmed_ids(self) -> set[int]:
        return {c.technopolis_id for c in self.confirmations if c.status == Decision.ACCEPTED}

    @property
    def pending_ids(self) -> set[int]:
        return {c.technopolis_id for c in self.confirmations if c.status == Decision.PENDING}

    @property
    def awaited_ids(self) -> set[int]:
        if self.milestone.status == Milestone.Status.DONE:
            return set()
        return rules.sides_awaited(self.milestone, party_ids=self.party_names, confirmed_ids=self.confirmed_ids)

    @property
    def confirmed_names(self) -> list[str]:
        return [self.party_names[pk] for pk in self.party_names if pk in self.confirmed_ids]

    @property
    def awaited_names(self) -> list[str]:
        return [self.party_names[pk] for pk in self.party_names if pk in self.awaited_ids]

    @property
    def pending_proposals(self) -> list[DueDateProposal]:
        return [p for p in self.proposals if p.status == Decision.PENDING]

    def side_state(self, park_id: int | None) -> str:
        """Where a park's own confirmation stands: "confirmed", "pending" or "" (not given yet)."""
        if park_id in self.confirmed_ids:
            return "confirmed"
        return "pending" if park_id in self.pending_ids else ""

    @property
    def is_open(self) -> bool:
        return (
            self.milestone.status in Milestone.OPEN_STATUSES and self.milestone.agreement.status not in FINAL_STATUSES
        )


def _conversation_prefetches(*, staff: bool) -> list[Prefetch]:
    comments = MilestoneComment.objects.order_by("created_at", "pk")
    if not staff:
        comments = comments.filter(staff_only=False)
    return [
        Prefetch("confirmations", queryset=MilestoneConfirmation.objects.select_related("technopolis")),
        Prefetch("due_date_proposals", queryset=DueDateProposal.objects.all()),
        Prefetch("comments", queryset=comments),
    ]


def _state(milestone: Milestone, party_names: dict[int, str]) -> MilestoneState:
    return MilestoneState(
        milestone=milestone,
        party_names=party_names,
        confirmations=list(milestone.confirmations.all()),
        proposals=list(milestone.due_date_proposals.all()),
        comments=list(milestone.comments.all()),
    )


def _party_names(agreement: Agreement) -> dict[int, str]:
    return {party.technopolis_id: str(party.technopolis) for party in agreement.parties.all()}


@dataclass
class PartnerAgreement:
    agreement: Agreement
    milestones: list[MilestoneState]


def partner_home(person: Person) -> list[PartnerAgreement]:
    """The partner page: each visible agreement with its parties and milestones, and what was said."""
    milestones = Milestone.objects.select_related("responsible_technopolis", "responsible_person").prefetch_related(
        *_conversation_prefetches(staff=False)
    )
    agreements = (
        partner_agreements(person)
        .select_related("signing_event")
        .prefetch_related(
            Prefetch("parties", queryset=AgreementParty.objects.select_related("technopolis").order_by("pk")),
            Prefetch("milestones", queryset=milestones.order_by("due_on", "pk")),
        )
        .order_by("-signed_on", "reference")
    )
    result = []
    for agreement in agreements:
        names = _party_names(agreement)
        result.append(PartnerAgreement(agreement, [_state(m, names) for m in agreement.milestones.all()]))
    return result


def milestone_state(milestone: Milestone, *, staff: bool) -> MilestoneState:
    """One milestone's confirmations, proposals and thread (staff-only notes for staff only)."""
    loaded = (
        Milestone.objects.select_related("agreement", "responsible_technopolis", "responsible_person")
        .prefetch_related(
            Prefetch(
                "agreement__parties", queryset=AgreementParty.objects.select_related("technopolis").order_by("pk")
            ),
            *_conversation_prefetches(staff=staff),
        )
        .get(pk=milestone.pk)
    )
    return _state(loaded, _party_names(loaded.agreement))


def partner_milestone(person: Person, *, milestone_pk: int) -> Milestone:
    """A milestone of an agreement the partner sees, or 404 (another agreement's, by an edited URL)."""
    milestone = (
        Milestone.objects.select_related("agreement")
        .filter(pk=milestone_pk, agreement__in=partner_agreements(person))
        .first()
    )
    if milestone is None:
        raise Http404
    return milestone


@dataclass
class Inbox:
    confirmations: list[MilestoneConfirmation]
    proposals: list[DueDateProposal]
    comments: list[MilestoneComment]

    @property
    def count(self) -> int:
        return len(self.confirmations) + len(self.proposals) + len(self.comments)


INBOX_LIMIT = 200


def waiting_for(user: User | AnonymousUser, *, limit: int = INBOX_LIMIT) -> Inbox:
    """What partners said on the milestones of agreements the user edits and staff have not dealt with."""
    agreements = editable_agreements(user).values("pk")
    related = ("milestone", "milestone__agreement")
    return Inbox(
        confirmations=list(
            MilestoneConfirmation.objects.filter(status=Decision.PENDING, milestone__agreement__in=agreements)
            .select_related(*related, "technopolis")
            .order_by("created_at", "pk")[:limit]
        ),
        proposals=list(
            DueDateProposal.objects.filter(status=Decision.PENDING, milestone__agreement__in=agreements)
            .select_related(*related)
            .order_by("created_at", "pk")[:limit]
        ),
        comments=list(
            MilestoneComment.objects.filter(
                user__isnull=True, read_at__isnull=True, milestone__agreement__in=agreements
            )
            .select_related(*related)
            .order_by("created_at", "pk")[:limit]
        ),
    )


@dataclass(frozen=True)
class WaitingCounts:
    confirmations: int
    proposals: int
    comments: int

    @property
    def total(self) -> int:
        return self.confirmations + self.proposals + self.comments


def waiting_counts(user: User | AnonymousUser) -> WaitingCounts:
    """How many items `waiting_for` lists, in one query (the dashboard's panel)."""
    agreements = editable_agreements(user).values("pk")

    def count(queryset, kind: str):
        return (
            queryset.filter(milestone__agreement__in=agreements)
            .order_by()
            .annotate(kind=Value(kind, output_field=CharField()))
            .values("kind")
            .annotate(n=Count("pk"))
            .values_list("kind", "n")
        )

    counts = dict(
        count(MilestoneConfirmation.objects.filter(status=Decision.PENDING), "confirmations").union(
            count(DueDateProposal.objects.filter(status=Decision.PENDING), "proposals"),
            count(MilestoneComment.objects.filter(user__isnull=True, read_at__isnull=True), "comments"),
            all=True,
        )
    )
    return WaitingCounts(**{kind: counts.get(kind, 0) for kind in ("confirmations", "proposals", "comments")})


def links_sent(visible: Q, *, limit: int = 200) -> list[PartnerLink]:
    """The latest links sent to the partner contacts `visible` names, with their uses."""
    return list(
        PartnerLink.objects.filter(visible)
        .select_related("person", "revoked_by")
        .prefetch_related("uses")
        .order_by("-created_at", "-pk")[:limit]
    )


def people_for_address(address: str) -> list[Person]:
    """The partner contacts written down with this address who have an agreement to see, first made first."""
    return [
        person
        for person in Person.objects.filter(email__iexact=address.strip(), technopolis__isnull=False).order_by("pk")
        if partner_agreements(person).exists()
    ]
