"""Forms of the confirmations asked before consequential actions on an agreement's page: a status
change (with a manager's reason when data is missing), and a milestone done (on which day, how)."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from .filters import date_input
from .lifecycle import OVERRIDE_REASON_MAX_LENGTH, AgreementStatus


class StatusChangeForm(forms.Form):
    status = forms.ChoiceField(choices=AgreementStatus.choices, widget=forms.HiddenInput)
    # The status the person saw: a change made meanwhile is refused, not applied over it.
    current_status = forms.ChoiceField(choices=AgreementStatus.choices, widget=forms.HiddenInput)
    override_reason = forms.CharField(
        label=_("Why it moves on without the missing data"),
        required=False,
        max_length=OVERRIDE_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Managers only; kept in the agreement's history."),
    )


class MilestoneDoneForm(forms.Form):
    completed_on = forms.DateField(label=_("Done on"), widget=date_input())
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How it was done, for the history (optional)."),
    )  # fmt: skip
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["completed_on"].initial = today
        self.fields["completed_on"].widget.attrs["max"] = today.isoformat()

    def clean_completed_on(self) -> datetime.date:
        day = self.cleaned_data["completed_on"]
        if day > self.today:
            raise forms.ValidationError(_("A milestone cannot be done on a future day."), code="future")
        return day
