"""Forms of the portal's own pages. Each lists its fields, so nothing else can be posted into a record."""

from django import forms
from django.utils.translation import gettext_lazy as _


class CalendarTokenForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("create", _("Create")),
            ("regenerate", _("Regenerate")),
            ("revoke", _("Revoke")),
        ]
    )
