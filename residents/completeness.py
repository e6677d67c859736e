"""What a resident company record lacks (see common.completeness)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.completeness import MissingDataRule

RESIDENT_COMPANY_RULES = (
    MissingDataRule("legal_form", _("legal form"), Q(legal_form="")),
    MissingDataRule("residency_start", _("residency start"), Q(residency_start__isnull=True)),
)
