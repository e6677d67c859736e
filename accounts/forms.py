"""Forms of the pages about people. Each lists its fields, so nothing else can be posted into a record."""

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from parks.models import Membership, Technopolis


class TokenForm(forms.Form):
    """A six-digit code from the authenticator app, checked against the person's devices.

    django-otp counts failed codes per device and refuses codes for a growing delay after each
    failure, so the code cannot be guessed by trying all million of them.
    """

    otp_token = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def __init__(self, *args, user, device: TOTPDevice | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = device

    def clean_otp_token(self) -> str:
        token = self.cleaned_data["otp_token"].strip().replace(" ", "")
        if self.device is not None:
            matched = self.device if self.device.verify_token(token) else None
        else:
            matched = match_token(self.user, token)
        if matched is None:
            raise forms.ValidationError(_("This code is not valid. Enter the current code from your app."))
        self.matched_device = matched
        return token


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
