"""An agreement's status lifecycle and the rules tied to it: the one place every caller asks.

draft -> negotiation -> signed -> active -> completed / expired / terminated,
and back from negotiation to draft. A new record may start in any status, because agreements are
often entered after they were signed; once stored, it only moves along these transitions, and
only when what the new status implies is recorded (a signing date and signatories to be signed;
the date it takes effect, reached, to be active; the end of its term passed to be expired), unless
a manager overrides the missing data with a reason, which the history keeps.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    NEGOTIATION = "negotiation", _("negotiation")
    SIGNED = "signed", _("signed")
    ACTIVE = "active", _("active")
    COMPLETED = "completed", _("completed")
    EXPIRED = "expired", _("expired")
    TERMINATED = "terminated", _("terminated")


S = AgreementStatus
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.NEGOTIATION}),
    S.NEGOTIATION: frozenset({S.DRAFT, S.SIGNED}),
    S.SIGNED: frozenset({S.ACTIVE}),
    S.ACTIVE: frozenset({S.COMPLETED, S.EXPIRED, S.TERMINATED}),
    S.COMPLETED: frozenset(),
    S.EXPIRED: frozenset(),
    S.TERMINATED: frozenset(),
}

# Statuses in which the agreement has been signed, so a signing date and signatories are expected.
SIGNED_STATUSES = frozenset({S.SIGNED, S.ACTIVE, S.COMPLETED, S.EXPIRED, S.TERMINATED})
# Statuses in which the agreement has taken effect.
IN_EFFECT_STATUSES = frozenset({S.ACTIVE, S.COMPLETED, S.EXPIRED, S.TERMINATED})
# Statuses after which nothing more happens: no renewal, no reminders.
FINAL_STATUSES = frozenset({S.COMPLETED, S.EXPIRED, S.TERMINATED})

MIN_PARTIES_PAST_DRAFT = 2
# A manager's reason for moving an agreement on without its data is kept as the history's change
# reason (django-simple-history's column holds 100 characters).
OVERRIDE_REASON_MAX_LENGTH = 100


def allowed_next_statuses(current: str) -> frozenset[str]:
    return ALLOWED_TRANSITIONS[current]


def check_transition(current: str, new: str) -> None:
    """Raises ValidationError on the status field when `current` may not become `new`."""
    if current == new:
        return
    if new not in ALLOWED_TRANSITIONS.get(current, frozenset()):
        allowed = ", ".join(str(S(s).label) for s in sorted(ALLOWED_TRANSITIONS.get(current, ())))
        raise ValidationError(
            {
                "status": _(
                    "An agreement cannot go from %(current)s to %(new)s. From %(current)s it can go to: %(allowed)s."
                )
                % {"current": S(current).label, "new": S(new).label, "allowed": allowed or _("nowhere, it is final")}
            },
            code="invalid_transition",
        )


@dataclass(frozen=True)
class TransitionFacts:
    """What the rules below read of an agreement, loaded by the caller."""

    signed_on: datetime.date | None
    effective_from: datetime.date | None
    # The last day of its term as things stand today (renewals counted), None when open-ended.
    term_end: datetime.date | None
    parties_without_signatory: int


def missing_for(new: str, facts: TransitionFacts) -> list[str]:
    """What the agreement lacks to be in status `new` (a manager may override these)."""
    missing = []
    if new in (S.SIGNED, S.ACTIVE):
        if facts.signed_on is None:
            missing.append(str(_("the signing date")))
        if facts.parties_without_signatory:
            missing.append(str(_("a signatory for every party")))
    if new == S.ACTIVE and facts.effective_from is None:
        missing.append(str(_("the date it takes effect")))
    return missing


def too_early_for(new: str, facts: TransitionFacts, today: datetime.date) -> str | None:
    """Why `new` makes no sense yet on `today` (no override: the date will come), or None."""
    if new == S.ACTIVE and facts.effective_from is not None and facts.effective_from > today:
        return _("It takes effect on %(date)s: it can become active from that day.") % {
            "date": facts.effective_from.isoformat()
        }
    if new == S.EXPIRED:
        if facts.term_end is None:
            return _("It has no end date: it cannot expire. Complete or terminate it instead.")
        if facts.term_end >= today:
            return _("Its term runs until %(date)s: it can expire after that day.") % {
                "date": facts.term_end.isoformat()
            }
    return None


def offered_next_statuses(current: str, facts: TransitionFacts, today: datetime.date) -> list[str]:
    """The statuses to offer as buttons on `today`: allowed from `current` and not too early."""
    return [
        status
        for status in S.values
        if status in ALLOWED_TRANSITIONS[current] and not too_early_for(status, facts, today)
    ]


def check_parties(status: str, park_ids: Iterable[int]) -> None:
    """A park is a party at most once; past draft, at least two distinct parks are parties."""
    park_ids = list(park_ids)
    if len(park_ids) != len(set(park_ids)):
        raise ValidationError(_("The same park cannot be a party twice to one agreement."), code="duplicate_party")
    if status != S.DRAFT and len(park_ids) < MIN_PARTIES_PAST_DRAFT:
        raise ValidationError(
            _("An agreement in status %(status)s needs at least two parties (parks); it has %(count)d.")
            % {"status": S(status).label, "count": len(park_ids)},
            code="too_few_parties",
        )
