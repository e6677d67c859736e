"""Who may see and change resident companies and what they own.

Companies, products, patents and trademarks are public registries: every signed-in person sees
them. Know-how is seen only by members of the company's park (others see how many there are).
Editors and managers change the companies of their own parks, with everything they own.
"""

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from parks.access import can_edit_any_park, editor_park_ids, is_admin, member_park_ids
from parks.models import Technopolis

from .models import KnowHow, ResidentCompany


def can_see_know_how(user: User | AnonymousUser, company: ResidentCompany) -> bool:
    return is_admin(user) or company.technopolis_id in member_park_ids(user)


def visible_know_how(user: User | AnonymousUser, queryset: QuerySet[KnowHow] | None = None) -> QuerySet[KnowHow]:
    queryset = KnowHow.objects.all() if queryset is None else queryset
    if is_admin(user):
        return queryset
    return queryset.filter(company__technopolis_id__in=member_park_ids(user))


def can_edit_company(user: User | AnonymousUser, company: ResidentCompany) -> bool:
    return is_admin(user) or company.technopolis_id in editor_park_ids(user)


def can_create_company(user: User | AnonymousUser) -> bool:
    return can_edit_any_park(user)


def parks_for_companies(user: User | AnonymousUser) -> QuerySet[Technopolis]:
    """Parks in which the user may register a company or to which they may move one."""
    if is_admin(user):
        return Technopolis.objects.all()
    return Technopolis.objects.filter(pk__in=editor_park_ids(user))
