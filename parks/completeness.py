"""What a park or person record lacks, by the portal's standards (see common.completeness)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.completeness import MissingDataRule

PARK_RULES = (
    MissingDataRule("region", _("region"), Q(region="")),
    MissingDataRule("city", _("city"), Q(city="")),
    MissingDataRule("founded_year", _("founding year"), Q(founded_year__isnull=True)),
    MissingDataRule("ownership", _("ownership"), Q(ownership="")),
    MissingDataRule(
        "funding",
        _("government funding"),
        Q(receives_government_funding__isnull=True),
        field="receives_government_funding",
    ),
    MissingDataRule("management_company", _("management company"), Q(management_company="")),
)

PERSON_RULES = (
    MissingDataRule("position", _("position"), Q(position="")),
    MissingDataRule("organisation", _("organisation"), Q(organisation="")),
)
