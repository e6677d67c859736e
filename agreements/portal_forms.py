"""The portal's forms for agreements: one page with the agreement, its parties and its milestones.

Validation stays where the rules live: Agreement.clean (dates, renewal), Milestone.clean (due date
within the term), agreements.lifecycle.check_parties (through AgreementPartyInlineFormSet) and
agreements.access.may_record_parties. These forms only arrange the fields.
"""

from collections.abc import Sequence

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from common.bilingual import add_other_languages, keep_other_languages
from common.concurrency import VersionField
from parks.access import editor_park_ids, is_admin
from residents.models import KnowHow

from .access import may_record_parties, visible_agreements
from .filters import date_input
from .forms import AgreementPartyInlineFormSet
from .models import Agreement, AgreementDocument, AgreementParty, Milestone
from .people_pickers import People, check_person_of_park
from .selectors import PARK_RECORD_FIELDS, RELATION_FIELDS, concerned_record_choices, hidden_know_how

_LAYOUT = [
    (
        _("Agreement"),
        [
            ("reference", "kind", "status"),
            ("title", "title_en", "title_ru"),
            ("subject", "subject_en", "subject_ru"),
            ("is_public",),
        ],
    ),
    (_("Signing"), [("signed_on", "signing_event"), ("witnesses",)]),
    (
        _("Term"),
        [
            ("effective_from", "expires_on"),
            ("renewal", "renewal_months", "notice_period_days"),
            ("date_reminder_days", "milestone_confirmation"),
        ],
    ),
    (_("What it covers"), [("scope", "sectors"), ("facilities", "resident_companies"), ("ip_records", "know_how")]),
    (_("Amends or supplements"), [("parent", "parent_relation")]),
]


class AgreementForm(forms.ModelForm):
    parent = forms.ModelChoiceField(
        queryset=Agreement.objects.none(),
        to_field_name="reference",
        required=False,
        widget=forms.TextInput,
        label=_("Parent agreement"),
        help_text=_("The reference of the agreement this one amends or supplements."),
        error_messages={"invalid_choice": _("No agreement you can see has this reference.")},
    )

    class Meta:
        model = Agreement
        fields = [
            "reference",
            "title",
            "kind",
            "status",
            "is_public",
            "subject",
            "signed_on",
            "signing_event",
            "witnesses",
            "effective_from",
            "expires_on",
            "renewal",
            "renewal_months",
            "notice_period_days",
            "date_reminder_days",
            "milestone_confirmation",
            "scope",
            "sectors",
            "facilities",
            "resident_companies",
            "ip_records",
            "know_how",
            "parent",
            "parent_relation",
        ]
        widgets = {
            "signed_on": date_input(),
            "effective_from": date_input(),
            "expires_on": date_input(),
            "subject": forms.Textarea(attrs={"rows": 3}),
            "scope": forms.CheckboxSelectMultiple,
            "sectors": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user: User | AnonymousUser, people: People | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        editing = self.instance.pk is not None
        if people is not None:
            # The parties' people; the script narrows the list to the parks chosen in the party rows.
            people.scope(self.fields["witnesses"])
            self.fields["witnesses"].widget.attrs["data-people-of-parties"] = "parties"
        self.fields["parent"].queryset = visible_agreements(user).exclude(pk=self.instance.pk)
        if self.instance.parent_id and not self.is_bound:
            self.initial["parent"] = self.instance.parent.reference
        self._hidden_know_how: list[KnowHow] = []
        if editing:
            # The status changes only through the lifecycle's transition buttons.
            del self.fields["status"]
            self._limit_to_party_parks(user)
            # The version the person starts from: a save over someone else's newer one is refused.
            self.fields["version"] = VersionField(initial=self.instance.version)
        else:
            # Chosen among the records of the stored parties' parks, so offered once the parties are saved.
            for name in PARK_RECORD_FIELDS:
                del self.fields[name]
        add_other_languages(self, ("title", "subject"))
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = self._layout()

    def _limit_to_party_parks(self, user: User | AnonymousUser) -> None:
        parks = list(self.instance.parties.values_list("technopolis_id", flat=True))
        for name, choices in concerned_record_choices(self.instance, user=user, park_ids=parks).items():
            self.fields[name].queryset = choices
        self._hidden_know_how = hidden_know_how(self.instance, user=user)

    def _layout(self) -> Layout:
        fieldsets = []
        for legend, rows in _LAYOUT:
            layout_rows = []
            for row in rows:
                present = [name for name in row if name in self.fields]
                if present:
                    layout_rows.append(Row(*[Column(name, css_class="col-12 col-md") for name in present]))
            if layout_rows:
                fieldsets.append(Fieldset(legend, *layout_rows))
        if "version" in self.fields:
            fieldsets.append("version")
        return Layout(*fieldsets)

    def clean_know_how(self):
        return [*self.cleaned_data["know_how"], *self._hidden_know_how]

    def clean(self):
        cleaned_data = super().clean()
        keep_other_languages(self, cleaned_data)
        return cleaned_data

    def relations(self) -> dict[str, list]:
        """The many-to-many values to save with the agreement."""
        return {name: list(self.cleaned_data[name]) for name in RELATION_FIELDS if name in self.fields}


class PartyForm(forms.ModelForm):
    """A party row: its signatory is one of its park's people."""

    def __init__(self, *args, people: People | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is not None:
            people.scope(
                self.fields["signatory"],
                park_id=_chosen_id(self, "technopolis"),
                keep=[self.instance.signatory_id],
                source_id=self["technopolis"].auto_id,
            )

    def clean(self):
        cleaned_data = super().clean()
        park = cleaned_data.get("technopolis")
        try:
            check_person_of_park(cleaned_data.get("signatory"), park.pk if park else None, field_label=_("signatory"))
        except ValidationError as error:
            self.add_error("signatory", error)
        return cleaned_data


def _chosen_id(form: forms.ModelForm, name: str) -> int | None:
    """The park a row is about: as posted, else as stored; None for a new, empty row."""
    value = form[name].value()
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


class PartyFormSet(AgreementPartyInlineFormSet):
    """The parties, checked by the lifecycle's rules and by who may record them."""

    def __init__(self, *args, user: User | AnonymousUser, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        park_ids = [
            form.cleaned_data["technopolis"].pk
            for form in self.forms
            if form.cleaned_data.get("technopolis") and not self._should_delete_form(form)
        ]
        if not may_record_parties(self.user, park_ids):
            raise ValidationError(
                _("One of the parties must be a park you edit: you record agreements your park takes part in."),
                code="not_own_park",
            )


def party_formset(
    *, data=None, instance: Agreement, user: User | AnonymousUser, extra: int, people: People | None = None
) -> PartyFormSet:
    formset_class = inlineformset_factory(
        Agreement,
        AgreementParty,
        form=PartyForm,
        formset=PartyFormSet,
        fields=["technopolis", "role", "signatory"],
        extra=extra,
        can_delete=True,
        can_delete_extra=False,
    )
    formset = formset_class(data, instance=instance, prefix="parties", user=user, form_kwargs={"people": people})
    if not is_admin(user) and instance.pk is None and not formset.is_bound:
        # A new agreement of an editor usually has their own park as a party: prefill it.
        own = sorted(editor_park_ids(user))
        if len(own) == 1 and formset.forms:
            formset.forms[0].initial.setdefault("technopolis", own[0])
    return formset


class MilestoneForm(forms.ModelForm):
    """A milestone row; a stored one carries the version the person started from."""

    version = VersionField(required=False)

    def __init__(self, *args, people: People | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["version"].required = True
            self.fields["version"].initial = self.instance.version
        if people is not None:
            people.scope(
                self.fields["responsible_person"],
                park_id=_chosen_id(self, "responsible_technopolis"),
                keep=[self.instance.responsible_person_id],
                source_id=self["responsible_technopolis"].auto_id,
            )
        add_other_languages(self, ("title", "description"))

    def clean(self):
        cleaned_data = super().clean()
        keep_other_languages(self, cleaned_data)
        park = cleaned_data.get("responsible_technopolis")
        try:
            check_person_of_park(
                cleaned_data.get("responsible_person"), park.pk if park else None, field_label=_("responsible person")
            )
        except ValidationError as error:
            self.add_error("responsible_person", error)
        return cleaned_data


def milestone_formset(*, data=None, instance: Agreement, extra: int, people: People | None = None) -> BaseInlineFormSet:
    formset_class = inlineformset_factory(
        Agreement,
        Milestone,
        form=MilestoneForm,
        fields=[
            "title",
            "description",
            "due_on",
            "responsible_technopolis",
            "responsible_person",
            "status",
            "completed_on",
            "reminder_days",
            "confirmation",
        ],
        widgets={
            "due_on": date_input(),
            "completed_on": date_input(),
            "description": forms.Textarea(attrs={"rows": 2}),
        },
        extra=extra,
        can_delete=True,
        can_delete_extra=False,
    )
    return formset_class(
        data,
        instance=instance,
        prefix="milestones",
        queryset=Milestone.objects.order_by("due_on", "pk"),
        form_kwargs={"people": people},
    )


class DocumentForm(forms.ModelForm):
    """Kind, title, file and, optionally, the document it is a new version of.

    The model's validators check the file's extension, size and content. Only the latest version
    of each document of the agreement is offered to be superseded.
    """

    class Meta:
        model = AgreementDocument
        fields = ["kind", "title", "file", "supersedes"]
        help_texts = {"supersedes": _("Optional: the earlier version stays on the page and can still be downloaded.")}

    def __init__(self, *args, agreement: Agreement, latest: Sequence[AgreementDocument] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["supersedes"]
        field.queryset = AgreementDocument.objects.filter(agreement=agreement, superseded_by__isnull=True)
        field.empty_label = _("— a new document —")
        if latest is not None:
            # The page has the latest versions already: offered without another query.
            field.choices = [("", field.empty_label), *[(document.pk, str(document)) for document in latest]]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Row(
                Column("kind", css_class="col-12 col-md-3"),
                Column("title", css_class="col-12 col-md-4"),
                Column("file", css_class="col-12 col-md-5"),
            ),
            Row(Column("supersedes", css_class="col-12 col-md-7")),
        )
