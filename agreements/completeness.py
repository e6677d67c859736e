"""What an agreement or milestone record lacks (see common.completeness).

Press releases rarely give every date or name every signatory: such records are accepted and
flagged here, never filled with invented values.
"""

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from common.completeness import MissingDataRule

from .lifecycle import IN_EFFECT_STATUSES, SIGNED_STATUSES
from .models import AgreementParty

_signed = Q(status__in=SIGNED_STATUSES)

AGREEMENT_RULES = (
    MissingDataRule("signed_on", _("signing date"), _signed & Q(signed_on__isnull=True)),
    MissingDataRule(
        "signatory",
        _("a party's signatory"),
        _signed & Q(Exists(AgreementParty.objects.filter(agreement=OuterRef("pk"), signatory__isnull=True))),
        field="parties",
    ),
    MissingDataRule(
        "effective_from", _("effective date"), Q(status__in=IN_EFFECT_STATUSES) & Q(effective_from__isnull=True)
    ),
    MissingDataRule(
        "notice_period",
        _("notice period"),
        Q(renewal="automatic") & Q(notice_period_days__isnull=True),
        field="notice_period_days",
    ),
)

MILESTONE_RULES = (
    MissingDataRule(
        "responsible",
        _("responsible park or person"),
        Q(responsible_technopolis__isnull=True) & Q(responsible_person__isnull=True),
    ),
)
