"""The network pages' filters: which agreements the pictures count (sector, stage, status, kind, years)."""

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from agreements.lifecycle import AgreementStatus
from agreements.models import Agreement, InnovationStage
from parks.models import Sector

MIN_YEAR, MAX_YEAR = 1990, 2100


class NetworkFilterForm(forms.Form):
    sector = forms.ModelChoiceField(queryset=Sector.objects.all(), required=False, label=_("Sector"))
    stage = forms.ModelChoiceField(queryset=InnovationStage.objects.all(), required=False, label=_("Innovation stage"))
    status = forms.ChoiceField(choices=[("", "---------"), *AgreementStatus.choices], required=False, label=_("Status"))
    kind = forms.ChoiceField(choices=[("", "---------"), *Agreement.Kind.choices], required=False, label=_("Kind"))
    signed_from = forms.IntegerField(
        min_value=MIN_YEAR, max_value=MAX_YEAR, required=False, label=_("Signed from (year)")
    )
    signed_to = forms.IntegerField(min_value=MIN_YEAR, max_value=MAX_YEAR, required=False, label=_("Signed to (year)"))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("signed_from"), cleaned.get("signed_to")
        if start and end and start > end:
            self.add_error("signed_to", _("The last year cannot come before the first (%(year)s).") % {"year": start})
        return cleaned

    def apply(self, agreements: QuerySet[Agreement]) -> QuerySet[Agreement]:
        """The agreements the chosen filters keep (all of them when the form is not valid)."""
        if not self.is_valid():
            return agreements
        data = self.cleaned_data
        if data["sector"]:
            agreements = agreements.filter(sectors=data["sector"])
        if data["stage"]:
            agreements = agreements.filter(scope=data["stage"])
        if data["status"]:
            agreements = agreements.filter(status=data["status"])
        if data["kind"]:
            agreements = agreements.filter(kind=data["kind"])
        if data["signed_from"]:
            agreements = agreements.filter(signed_on__year__gte=data["signed_from"])
        if data["signed_to"]:
            agreements = agreements.filter(signed_on__year__lte=data["signed_to"])
        return agreements

    @property
    def key(self) -> tuple:
        """What the pictures depend on, for their cache key."""
        if not self.is_valid():
            return ()
        return tuple((name, str(getattr(value, "pk", value))) for name, value in sorted(self.cleaned_data.items()))
