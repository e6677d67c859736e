from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from parks.models import Person

from .models import Subscription


class SubscriptionForm(forms.Form):
    """Subscribes a partner contact, or oneself, to one agreement."""

    person = forms.ModelChoiceField(
        label=_("Partner contact"),
        queryset=Person.objects.exclude(email="").order_by("full_name"),
        required=False,
        help_text=_("Only people with an e-mail address are listed."),
    )
    myself = forms.BooleanField(label=_("Subscribe myself instead"), required=False)
    delivery = forms.ChoiceField(
        label=_("Delivery"), choices=Subscription.Delivery.choices, initial=Subscription.Delivery.DIGEST
    )
    frequency = forms.ChoiceField(
        label=_("Digest frequency"), choices=Subscription.Frequency.choices, initial=Subscription.Frequency.WEEKLY
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, initial=settings.LANGUAGE_CODE)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        cleaned = super().clean()
        person, myself = cleaned.get("person"), cleaned.get("myself")
        if bool(person) == bool(myself):
            raise forms.ValidationError(_("Choose a partner contact, or tick “Subscribe myself instead”."))
        if myself and not self.user.email:
            self.add_error("myself", _("Your account has no e-mail address; add one in your profile first."))
        return cleaned

    def subscriber(self) -> dict:
        """The `person` or `user` argument of services.subscription_create."""
        if self.cleaned_data["myself"]:
            return {"user": self.user}
        return {"person": self.cleaned_data["person"]}
