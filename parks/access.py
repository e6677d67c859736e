"""Who may do what: the ground rules every app's access module builds on.

Admins (superusers and staff with Django admin access) see and edit everything. Everyone else
acts through memberships: a role (viewer, editor, manager) in one or more parks. What a role
allows on each kind of record is decided in that app's `access.py`, from the park ids here.
"""

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from .models import Membership, Technopolis

EDITING_ROLES = frozenset({Membership.Role.EDITOR, Membership.Role.MANAGER})

# Cached on the user object for the length of a request, so a page asks the database once.
_CACHE_ATTRIBUTE = "_park_roles_cache"


def is_admin(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_active and (user.is_superuser or user.is_staff))


def park_roles(user: User | AnonymousUser) -> dict[int, str]:
    """The user's role per park id (empty for anonymous or inactive users)."""
    if not user.is_authenticated or not user.is_active:
        return {}
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is None:
        cached = dict(Membership.objects.filter(user=user).values_list("technopolis_id", "role"))
        setattr(user, _CACHE_ATTRIBUTE, cached)
    return cached


def remember_park_roles(user: User, roles: dict[int, str]) -> None:
    """Roles read along with the user (accounts.backends): park_roles will not ask again."""
    setattr(user, _CACHE_ATTRIBUTE, roles)


def member_park_ids(user: User | AnonymousUser) -> set[int]:
    """Parks the user belongs to, in any role."""
    return set(park_roles(user))


def editor_park_ids(user: User | AnonymousUser) -> set[int]:
    """Parks whose records the user may change."""
    return {park_id for park_id, role in park_roles(user).items() if role in EDITING_ROLES}


def manager_park_ids(user: User | AnonymousUser) -> set[int]:
    return {park_id for park_id, role in park_roles(user).items() if role == Membership.Role.MANAGER}


def can_edit_any_park(user: User | AnonymousUser) -> bool:
    return is_admin(user) or bool(editor_park_ids(user))


def can_manage_any_staff(user: User | AnonymousUser) -> bool:
    """Whether the user may open the staff pages at all: admins and managers of a park."""
    return is_admin(user) or bool(manager_park_ids(user))


def staff_managed_parks(
    user: User | AnonymousUser, queryset: QuerySet[Technopolis] | None = None
) -> QuerySet[Technopolis]:
    """Parks whose staff accounts the user manages."""
    queryset = Technopolis.objects.all() if queryset is None else queryset
    if is_admin(user):
        return queryset
    return queryset.filter(pk__in=manager_park_ids(user))


def staff_managed_memberships(
    user: User | AnonymousUser, queryset: QuerySet[Membership] | None = None
) -> QuerySet[Membership]:
    """Memberships the user may change or remove: those in the parks they manage."""
    queryset = Membership.objects.all() if queryset is None else queryset
    if is_admin(user):
        return queryset
    return queryset.filter(technopolis_id__in=manager_park_ids(user))
