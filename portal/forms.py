"""Forms of the portal's own pages. Each lists its fields, so nothing else can be posted into a record."""

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from parks.models import Membership, Technopolis


class StaffAddForm(forms.Form):
    """A person to give a role in one of the parks the current user manages."""

    email = forms.EmailField(label=_("E-mail"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    technopolis = forms.ModelChoiceField(label=_("Park"), queryset=Technopolis.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.VIEWER)

    def __init__(self, *args, parks: QuerySet[Technopolis], **kwargs):
        super().__init__(*args, **kwargs)
        # Only the parks the user manages: another park's id is refused as an invalid choice.
        self.fields["technopolis"].queryset = parks
        self.fields["email"].help_text = _(
            "If nobody has an account with this address yet, one is made and an e-mail asks the person to "
            "choose a password."
        )


class StaffRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class CalendarTokenForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("create", _("Create")),
            ("regenerate", _("Regenerate")),
            ("revoke", _("Revoke")),
        ]
    )
