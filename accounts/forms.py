from django import forms
from django.utils.translation import gettext_lazy as _
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice


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
