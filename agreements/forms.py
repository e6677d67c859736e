"""Forms that check an agreement's parties together, as the lifecycle asks."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .lifecycle import check_parties


class AgreementPartyInlineFormSet(forms.BaseInlineFormSet):
    """An agreement's parties, checked against the status being saved with them.

    In the admin the formset is built around the agreement as submitted (not yet saved), so
    `self.instance.status` is the status the user chose, and the parties are those of the forms
    not marked for deletion.
    """

    def clean(self) -> None:
        # Checked before super().clean(), whose generic duplicate message would come first and
        # name no park.
        if not any(self.errors):
            self._check_parties()
        super().clean()

    def _check_parties(self) -> None:
        party_forms = [
            form
            for form in self.forms
            if form.cleaned_data.get("technopolis") and not (self.can_delete and self._should_delete_form(form))
        ]
        try:
            check_parties(self.instance.status, [form.cleaned_data["technopolis"].pk for form in party_forms])
        except ValidationError as error:
            if error.code == "duplicate_party":
                self._mark_duplicates(party_forms)
            raise

    @staticmethod
    def _mark_duplicates(party_forms: list[forms.ModelForm]) -> None:
        seen: set[int] = set()
        for form in party_forms:
            park = form.cleaned_data["technopolis"]
            if park.pk in seen:
                form.add_error(
                    "technopolis",
                    ValidationError(
                        _("%(park)s is already a party to this agreement."),
                        code="duplicate_party",
                        params={"park": park},
                    ),
                )
            seen.add(park.pk)
