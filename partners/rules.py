"""Whose confirmation makes a milestone done, and who is still awaited: the one place of that rule.

A milestone needs one side's confirmation (its responsible park's; any party's when none is named)
or every party's, as the milestone says, else as its agreement says. A side has confirmed when it
has an accepted confirmation: a staff member's counts at once, a partner contact's once staff accept it.
"""

from collections.abc import Iterable

from agreements.models import Confirmation, Milestone


def sides_awaited(milestone: Milestone, *, party_ids: Iterable[int], confirmed_ids: Iterable[int]) -> set[int]:
    """The parties whose confirmation the milestone still needs; empty once it may be done."""
    parties, confirmed = set(party_ids), set(confirmed_ids)
    if milestone.confirmation_needed == Confirmation.EVERY_SIDE:
        return parties - confirmed
    responsible = milestone.responsible_technopolis_id
    if responsible in parties:
        return {responsible} - confirmed
    # No responsible party named: any one party's word will do.
    return set() if confirmed & parties else parties
