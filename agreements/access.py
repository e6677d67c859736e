"""Who may see and change agreements, with their parties, milestones and documents.

A person sees the agreements to which one of their parks is a party, and other agreements only
when they are public (announced). A confidential agreement of other parks does not exist for
them: views answer 404, not 403, so that not even its existence leaks. Editors and managers of a
party park change the agreement with its milestones and documents. Admins see and edit all.
"""

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from parks.access import editor_park_ids, is_admin, member_park_ids

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
    if not editable:
        return False
    prefetched = getattr(agreement, "_prefetched_objects_cache", {}).get("parties")
    if prefetched is not None:  # the agreement's page has them loaded already: no query
        return any(party.technopolis_id in editable for party in prefetched)
    return agreement.parties.filter(technopolis_id__in=editable).exists()


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


def may_record_parties(user: User | AnonymousUser, park_ids: Iterable[int]) -> bool:
    """Whether the user may save an agreement with these parties: one of them must be a park they edit.

    Otherwise an editor could record agreements of other parks, or drop their own park from an
    agreement and lose it. Admins record any agreement.
    """
    return is_admin(user) or bool(editor_park_ids(user) & set(park_ids))
