"""Who may see and change agreements, with their parties, milestones and documents.

A person sees the agreements to which one of their parks is a party, and other agreements only
when they are public (announced). A confidential agreement of other parks does not exist for
them: views answer 404, not 403, so that not even its existence leaks. Editors and managers of a
party park change the agreement with its milestones and documents. Admins see and edit all.
Who follows an agreement (partner contacts' addresses) and what was sent to them are for the staff
of its parties and admins only, even when the agreement itself is public.
"""

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from parks.access import editor_park_ids, is_admin, manager_park_ids, member_park_ids

from .models import Agreement, AgreementParty, Milestone


def party_of(park_ids: Iterable[int], *, agreement: str = "pk") -> Exists:
    """Whether one of the parks is a party to the agreement.

    `agreement` names the agreement in the outer query: "pk" for agreements, "agreement" for milestones.
    """
    return Exists(AgreementParty.objects.filter(agreement=OuterRef(agreement), technopolis_id__in=park_ids))


def visible_agreements(user: User | AnonymousUser, queryset: QuerySet[Agreement] | None = None) -> QuerySet[Agreement]:
    queryset = Agreement.objects.all() if queryset is None else queryset
    if is_admin(user):
        return queryset
    if not user.is_authenticated:
        return queryset.none()
    return queryset.filter(Q(is_public=True) | party_of(member_park_ids(user)))


def editable_agreements(user: User | AnonymousUser, queryset: QuerySet[Agreement] | None = None) -> QuerySet[Agreement]:
    queryset = Agreement.objects.all() if queryset is None else queryset
    if is_admin(user):
        return queryset
    return queryset.filter(party_of(editor_park_ids(user)))


def visible_milestones(user: User | AnonymousUser, queryset: QuerySet[Milestone] | None = None) -> QuerySet[Milestone]:
    queryset = Milestone.objects.all() if queryset is None else queryset
    if is_admin(user):
        return queryset
    return queryset.filter(agreement__in=visible_agreements(user))


def can_edit_agreement(user: User | AnonymousUser, agreement: Agreement) -> bool:
    if is_admin(user):
        return True
    editable = editor_park_ids(user)
    return bool(editable) and bool(_party_park_ids(agreement, among=editable))


def can_see_contacts(user: User | AnonymousUser, agreement: Agreement) -> bool:
    """Whether the user may read who follows the agreement (with addresses) and its delivery log."""
    if is_admin(user):
        return True
    parks = member_park_ids(user)
    if not parks:
        return False
    return bool(_party_park_ids(agreement, among=parks))


def _party_park_ids(agreement: Agreement, *, among: set[int]) -> set[int]:
    prefetched = getattr(agreement, "_prefetched_objects_cache", {}).get("parties")
    if prefetched is not None:  # the agreement's page has them loaded already: no query
        return {party.technopolis_id for party in prefetched} & among
    return set(agreement.parties.filter(technopolis_id__in=among).values_list("technopolis_id", flat=True))


def can_see_park_contacts(user: User | AnonymousUser, park_id: int) -> bool:
    """Whether the user may read the e-mail addresses and phones of a park's people: admins, the park's
    staff, and the staff of parks that have an agreement with it."""
    if is_admin(user):
        return True
    parks = member_park_ids(user)
    if not parks:
        return False
    if park_id in parks:
        return True
    return Agreement.objects.filter(party_of([park_id])).filter(party_of(parks)).exists()


def contact_parks_filter(user: User | AnonymousUser, *, park: str) -> Q:
    """The same rule as can_see_park_contacts, for a query: `park` names the park's id field (e.g.
    "person__technopolis_id") of the rows whose people's contacts the user may read."""
    if is_admin(user):
        return Q()
    mine = member_park_ids(user)
    partners = AgreementParty.objects.filter(agreement__parties__technopolis_id__in=mine).values("technopolis_id")
    return Q(**{f"{park}__in": mine}) | Q(**{f"{park}__in": partners})


def get_agreement_with_contacts(user: User | AnonymousUser, pk: int) -> Agreement:
    """The agreement if the user may read its contacts and delivery log: 404 as get_visible_agreement,
    403 for one they see but is not their parks'."""
    # Parties loaded once: the page asks both this and whether the user may edit.
    agreement = get_visible_agreement(user, pk, Agreement.objects.prefetch_related("parties"))
    if not can_see_contacts(user, agreement):
        raise PermissionDenied
    return agreement


def get_visible_agreement(
    user: User | AnonymousUser, pk: int, queryset: QuerySet[Agreement] | None = None
) -> Agreement:
    """The agreement if the user may see it; 404 otherwise, whether it exists or not."""
    try:
        return visible_agreements(user, queryset).get(pk=pk)
    except Agreement.DoesNotExist:
        raise Http404("No agreement found") from None


def get_editable_agreement(user: User | AnonymousUser, pk: int) -> Agreement:
    """The agreement if the user may change it.

    404 when they may not see it (as get_visible_agreement), 403 when they see it but may not change it.
    """
    agreement = get_visible_agreement(user, pk)
    if not can_edit_agreement(user, agreement):
        raise PermissionDenied
    return agreement


def may_override_lifecycle(user: User | AnonymousUser, agreement: Agreement) -> bool:
    """Whether the user may move the agreement to a status whose data is missing (giving the reason):
    managers of one of its parks and admins."""
    if is_admin(user):
        return True
    managed = manager_park_ids(user)
    return bool(managed) and bool(_party_park_ids(agreement, among=managed))


def may_record_parties(user: User | AnonymousUser, park_ids: Iterable[int]) -> bool:
    """Whether the user may save an agreement with these parties: one of them must be a park they edit.

    Otherwise an editor could record agreements of other parks, or drop their own park from an
    agreement and lose it. Admins record any agreement.
    """
    return is_admin(user) or bool(editor_park_ids(user) & set(park_ids))
