"""Who hears about a reminder: the one place for that rule.

A milestone's reminders go to its responsible person when they have an e-mail address, else to
the editors and managers of its responsible park (else of every party park). Escalations go to the
managers of the responsible park (else of every party park). An agreement's dates go to the editors
and managers of each party park. Besides, subscribers who chose "one e-mail per event" receive the
reminders of the agreements they follow; escalations stay internal.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import translation

from accounts.selectors import user_language
from agreements.models import Agreement, Confirmation, Milestone
from parks.access import EDITING_ROLES
from parks.models import Membership, Person

from .models import Subscription


@dataclass(frozen=True)
class Recipient:
    address: str
    name: str
    language: str
    subscription: Subscription | None = None
    # A partner contact: their e-mails carry a personal link to the partner pages.
    person: Person | None = None


@dataclass
class Audience:
    """Everyone who may hear about the loaded agreements, loaded in bulk (see selectors.audience_load)."""

    party_parks: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    park_staff: dict[int, list[Membership]] = field(default_factory=lambda: defaultdict(list))
    event_subscriptions: dict[int, list[Subscription]] = field(default_factory=lambda: defaultdict(list))


def _staff(audience: Audience, park_ids: list[int], roles: frozenset[str]) -> list[Recipient]:
    return [
        Recipient(
            address=membership.user.email,
            name=membership.user.get_full_name() or membership.user.get_username(),
            language=user_language(user=membership.user),
        )
        for park_id in park_ids
        for membership in audience.park_staff.get(park_id, [])
        if membership.role in roles
    ]


def _subscribers(audience: Audience, agreement: Agreement) -> list[Recipient]:
    return [
        Recipient(
            address=subscription.recipient_address,
            name=subscription.recipient_name_as_written,
            language=subscription.language,
            subscription=subscription,
            person=subscription.person if subscription.person_id else None,
        )
        for subscription in audience.event_subscriptions.get(agreement.pk, [])
    ]


def unique_by_address(recipients: list[Recipient]) -> list[Recipient]:
    """One recipient per address (case-insensitive), the first one listed winning."""
    seen: dict[str, Recipient] = {}
    for recipient in recipients:
        if recipient.address:
            seen.setdefault(recipient.address.lower(), recipient)
    return list(seen.values())


def _responsible_parks(milestone: Milestone, audience: Audience) -> list[int]:
    if milestone.responsible_technopolis_id:
        return [milestone.responsible_technopolis_id]
    return audience.party_parks.get(milestone.agreement_id, [])


def _sides_awaited(milestone: Milestone, audience: Audience) -> set[int] | None:
    """For a milestone every party must confirm, the parties not confirmed yet (None for the others):
    its reminders go to them only (with `accepted_confirmations` loaded, see selectors)."""
    confirmations = getattr(milestone, "accepted_confirmations", None)
    if confirmations is None or milestone.confirmation_needed != Confirmation.EVERY_SIDE:
        return None
    confirmed = {confirmation.technopolis_id for confirmation in confirmations}
    return {park_id for park_id in audience.party_parks.get(milestone.agreement_id, []) if park_id not in confirmed}


def milestone_recipients(milestone: Milestone, audience: Audience) -> list[Recipient]:
    awaited = _sides_awaited(milestone, audience)
    if awaited is not None:
        return _awaited_side_recipients(milestone, audience, awaited)
    person = milestone.responsible_person
    if person is not None and person.email:
        with translation.override(person.language):  # their name as they write it
            responsible = [
                Recipient(address=person.email, name=person.full_name, language=person.language, person=person)
            ]
    else:
        responsible = _staff(audience, _responsible_parks(milestone, audience), EDITING_ROLES)
    return unique_by_address(responsible + _subscribers(audience, milestone.agreement))


def _awaited_side_recipients(milestone: Milestone, audience: Audience, awaited: set[int]) -> list[Recipient]:
    person = milestone.responsible_person
    responsible = []
    if person is not None and person.email and person.technopolis_id in awaited:
        with translation.override(person.language):
            responsible = [
                Recipient(address=person.email, name=person.full_name, language=person.language, person=person)
            ]
    staff = _staff(audience, sorted(awaited), EDITING_ROLES)
    followers = [
        recipient
        for recipient in _subscribers(audience, milestone.agreement)
        if recipient.person is None or recipient.person.technopolis_id in awaited
    ]
    return unique_by_address(responsible + staff + followers)


def escalation_recipients(milestone: Milestone, audience: Audience) -> list[Recipient]:
    managers = frozenset({Membership.Role.MANAGER})
    return unique_by_address(_staff(audience, _responsible_parks(milestone, audience), managers))


def agreement_date_recipients(agreement: Agreement, audience: Audience) -> list[Recipient]:
    editors = _staff(audience, audience.party_parks.get(agreement.pk, []), EDITING_ROLES)
    return unique_by_address(editors + _subscribers(audience, agreement))
