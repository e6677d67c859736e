"""The partner page's and the staff pages' forms: what a person typed, checked next to the fields.

The services check again under the milestone's lock (partners.services); their refusals are put
back on the form by `add_service_errors`.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from agreements.filters import date_input

from .models import COMMENT_MAX_LENGTH


def _text(label, *, required: bool, rows: int = 3, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


class LinkRequestForm(forms.Form):
    address = forms.EmailField(label=_("Your e-mail address"), max_length=254)


class ConfirmForm(forms.Form):
    completed_on = forms.DateField(label=_("Done on"), widget=date_input())
    note = _text(_("Note"), required=False, help_text=_("How it was done (optional)."))

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


class ProposeForm(forms.Form):
    proposed_due_on = forms.DateField(label=_("New due date"), widget=date_input())
    reason = _text(_("Reason"), required=True)

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["proposed_due_on"].widget.attrs["min"] = today.isoformat()

    def clean_proposed_due_on(self) -> datetime.date:
        day = self.cleaned_data["proposed_due_on"]
        if day < self.today:
            raise forms.ValidationError(_("The new due date cannot be in the past."), code="past")
        return day


class CommentForm(forms.Form):
    body = _text(_("Comment"), required=False, rows=3)
    evidence = forms.FileField(
        label=_("Evidence (a file)"),
        required=False,
        help_text=_("PDF, Word, Excel, OpenDocument, RTF, PNG or JPEG."),
    )

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not (cleaned.get("body") or "").strip() and not cleaned.get("evidence"):
            raise forms.ValidationError({"body": _("Write a comment or attach a file.")}, code="empty")
        return cleaned


class StaffCommentForm(CommentForm):
    staff_only = forms.BooleanField(
        label=_("Staff only"), required=False, help_text=_("A note among staff: partners never see it.")
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("reject", _("Decline"))], widget=forms.HiddenInput)
    message = _text(_("Message"), required=False, rows=2, help_text=_("Why you decline it (required to decline)."))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not (cleaned.get("message") or "").strip():
            raise forms.ValidationError({"message": _("Say why you decline it.")}, code="required")
        return cleaned


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal, next to the field it names (or above the form)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
