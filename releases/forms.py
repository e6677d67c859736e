"""The two steps' forms: the release (pasted or uploaded), then the proposal as the person corrects it."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from agreements.access import visible_agreements
from agreements.filters import date_input
from agreements.models import Agreement, InnovationStage, SigningEvent
from parks.models import Facility, Technopolis

from .reading import release_text
from .services import MilestoneChoice, NewPark, PartyChoice, PersonChoice, Review

LANGUAGE_CHOICES = [("", _("Detect")), ("en", _("English")), ("ru", _("Russian"))]
TEXT_LIMIT = 100_000


class ReleaseForm(forms.Form):
    text = forms.CharField(
        label=_("Text of the press release"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        max_length=TEXT_LIMIT,
        help_text=_("Paste the announcement, in English or Russian, or upload it below."),
    )
    file = forms.FileField(
        label=_("Or upload it"),
        required=False,
        help_text=_("A .txt, .docx, .pdf or .html file, at most 2 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.docx,.pdf,.html,.htm"}),
    )
    language = forms.ChoiceField(label=_("Language of the release"), choices=LANGUAGE_CHOICES, required=False)

    def clean(self):
        cleaned = super().clean()
        upload, text = cleaned.get("file"), cleaned.get("text", "")
        if upload is not None and text.strip():
            raise ValidationError(_("Paste the text or upload a file, not both."), code="both")
        field = "file" if upload is not None else "text"
        try:
            cleaned["release"], cleaned["filename"] = release_text(text=text, upload=upload)
        except ValidationError as error:
            self.add_error(field, error)
        return cleaned


class ReviewForm(forms.Form):
    """The agreement as proposed; the release's text travels with it (nothing is stored before confirming)."""

    text = forms.CharField(widget=forms.HiddenInput, max_length=TEXT_LIMIT)
    language = forms.ChoiceField(choices=LANGUAGE_CHOICES[1:], widget=forms.HiddenInput)
    filename = forms.CharField(required=False, widget=forms.HiddenInput, max_length=255)
    action = forms.ChoiceField(
        label=_("What to do"),
        choices=[("create", _("Create a new agreement")), ("update", _("Update the existing agreement"))],
        initial="create",
        widget=forms.RadioSelect,
    )
    existing = forms.ModelChoiceField(queryset=Agreement.objects.none(), required=False, widget=forms.HiddenInput)
    reference = forms.CharField(label=_("Reference"), max_length=50, required=False)
    title = forms.CharField(label=_("Title"), max_length=500)
    kind = forms.ChoiceField(label=_("Kind"), choices=Agreement.Kind.choices)
    parent = forms.ModelChoiceField(
        label=_("Amends the agreement"),
        queryset=Agreement.objects.none(),
        required=False,
        help_text=_("For an amendment or supplementary agreement: the agreement it changes."),
    )
    signed_on = forms.DateField(label=_("Signed on"), required=False, widget=date_input())
    event = forms.ModelChoiceField(
        label=_("Signing event"),
        queryset=SigningEvent.objects.all(),
        required=False,
        empty_label=_("— a new event, or none —"),
    )
    new_event_name = forms.CharField(label=_("New event"), max_length=300, required=False)
    new_event_city = forms.CharField(label=_("City of the new event"), max_length=200, required=False)
    stages = forms.ModelMultipleChoiceField(
        label=_("Innovation chain covered"),
        queryset=InnovationStage.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    subject = forms.CharField(label=_("Subject"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        visible = visible_agreements(user)
        self.fields["existing"].queryset = visible
        self.fields["parent"].queryset = visible.order_by("reference")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "update" and not cleaned.get("existing"):
            self.add_error("action", _("There is no agreement to update: create a new one."))
        if cleaned.get("action") == "create":
            reference = (cleaned.get("reference") or "").strip()
            if not reference:
                self.add_error("reference", _("Give the new agreement its reference."))
            elif Agreement.objects.filter(reference=reference).exists():
                self.add_error("reference", _("An agreement with this reference exists already."))
        if cleaned.get("new_event_city") and not cleaned.get("new_event_name") and not cleaned.get("event"):
            self.add_error("new_event_name", _("Name the event held in this city, or clear the city."))
        return cleaned


class PartyForm(forms.Form):
    written = forms.CharField(widget=forms.HiddenInput, max_length=300)
    include = forms.BooleanField(label=_("A party"), required=False)
    park = forms.ModelChoiceField(
        label=_("Park in the portal"),
        queryset=Technopolis.objects.all(),
        required=False,
        empty_label=_("— a new park —"),
    )
    new_name = forms.CharField(label=_("New park's name"), max_length=200, required=False)
    region = forms.CharField(label=_("Region"), max_length=200, required=False)
    city = forms.CharField(label=_("City"), max_length=200, required=False)
    founded_year = forms.IntegerField(label=_("Founded in"), required=False, min_value=1900, max_value=2100)
    ownership = forms.ChoiceField(
        label=_("Ownership"), choices=[("", "—"), *Technopolis.Ownership.choices], required=False
    )
    government_funding = forms.NullBooleanField(label=_("Receives government funding"), required=False)
    resident_companies = forms.IntegerField(label=_("Resident companies"), required=False, min_value=0)
    products = forms.IntegerField(label=_("Products"), required=False, min_value=0)
    patents_and_trademarks = forms.IntegerField(label=_("Patents and trademarks"), required=False, min_value=0)
    know_how = forms.IntegerField(label=_("Know-how"), required=False, min_value=0)
    facilities = forms.MultipleChoiceField(
        label=_("Facilities"), choices=Facility.Kind.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    quote = forms.CharField(required=False, widget=forms.HiddenInput, max_length=2000)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("include") and not cleaned.get("park") and not (cleaned.get("new_name") or "").strip():
            self.add_error("park", _("Pick the park in the portal, or name the new park."))
        return cleaned

    def choice(self) -> PartyChoice:
        data = self.cleaned_data
        if data.get("park"):
            return PartyChoice(park=data["park"])
        figures = {
            key: data[key]
            for key in ("resident_companies", "products", "patents_and_trademarks", "know_how")
            if data.get(key) is not None
        }
        labels = dict(Facility.Kind.choices)
        return PartyChoice(
            park=None,
            new=NewPark(
                name=data["new_name"].strip(),
                region=data.get("region", ""),
                city=data.get("city", ""),
                founded_year=data.get("founded_year"),
                ownership=data.get("ownership", ""),
                government_funding=data.get("government_funding"),
                figures=figures,
                facilities=[(kind, str(labels[kind])) for kind in data.get("facilities", [])],
                quote=data.get("quote", ""),
            ),
        )


class RowWithParty(forms.Form):
    party = forms.ChoiceField(label=_("For the party"), required=False)

    def __init__(self, *args, party_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].choices = [("", "—"), *party_choices]


class PersonForm(RowWithParty):
    ROLES = [
        ("signatory", _("Signed for the party")),
        ("witness", _("Witness")),
        ("contact", _("Contact of the party")),
        ("skip", _("Leave out")),
    ]
    name = forms.CharField(label=_("Name"), max_length=200)
    role = forms.ChoiceField(label=_("Role"), choices=ROLES)
    person = forms.ModelChoiceField(
        label=_("Person in the portal"), queryset=None, required=False, empty_label=_("— a new person —")
    )
    position = forms.CharField(label=_("Position"), max_length=300, required=False)
    organisation = forms.CharField(label=_("Organisation"), max_length=300, required=False)
    field_order = ["name", "role", "party", "person", "position", "organisation"]

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") in ("signatory", "contact") and not cleaned.get("party"):
            self.add_error("party", _("Say which party this person signed for or works for."))
        return cleaned


class MilestoneForm(RowWithParty):
    include = forms.BooleanField(label=_("Record it"), required=False)
    title = forms.CharField(label=_("Milestone"), max_length=500)
    due_on = forms.DateField(label=_("Due on"), required=False, widget=date_input())
    field_order = ["include", "title", "due_on", "party"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("include") and not cleaned.get("due_on"):
            self.add_error("due_on", _("A milestone needs its due date; clear “Record it” to leave it out."))
        return cleaned


PartyFormSet = forms.formset_factory(PartyForm, extra=0)
PersonFormSet = forms.formset_factory(PersonForm, extra=0)
MilestoneFormSet = forms.formset_factory(MilestoneForm, extra=0)


def build_review(form: ReviewForm, parties, people, milestones) -> Review:
    """The cleaned forms as the service's Review; ValidationError for what only the whole can tell."""
    data = form.cleaned_data
    party_forms = list(parties.forms)
    included = [index for index, row in enumerate(party_forms) if row.cleaned_data.get("include")]
    if not included:
        raise ValidationError(_("Keep at least one party."), code="no_party")
    position = {index: new for new, index in enumerate(included)}  # row number -> index among the kept parties

    def party_of(row) -> int | None:
        value = row.cleaned_data.get("party")
        if value in ("", None):
            return None
        if int(value) not in position:
            raise ValidationError(
                _("“%(name)s” refers to a party left out.")
                % {"name": row.cleaned_data.get("name") or row.cleaned_data.get("title")},
                code="party_left_out",
            )
        return position[int(value)]

    chosen_people = [
        PersonChoice(
            name=row.cleaned_data["name"],
            role=row.cleaned_data["role"],
            person=row.cleaned_data.get("person"),
            position=row.cleaned_data.get("position", ""),
            organisation=row.cleaned_data.get("organisation", ""),
            party=party_of(row),
        )
        for row in people.forms
        if row.cleaned_data.get("role") != "skip"
    ]
    signed_for = [person.party for person in chosen_people if person.role == "signatory"]
    if len(signed_for) != len(set(signed_for)):
        raise ValidationError(
            _("Each party has one signatory: two people are marked as signing for the same party."),
            code="two_signatories",
        )
    new_event = None
    if not data.get("event") and data.get("new_event_name"):
        new_event = (data["new_event_name"].strip(), data.get("new_event_city", "").strip())
    return Review(
        text=data["text"],
        language=data["language"],
        filename=data.get("filename", ""),
        reference=(data.get("reference") or "").strip(),
        title=data["title"].strip(),
        kind=data["kind"],
        parent=data.get("parent"),
        signed_on=data.get("signed_on"),
        event=data.get("event"),
        new_event=new_event,
        stages=list(data.get("stages") or []),
        subject=data.get("subject", "").strip(),
        parties=[party_forms[index].choice() for index in included],
        people=chosen_people,
        milestones=[
            MilestoneChoice(title=row.cleaned_data["title"], due_on=row.cleaned_data["due_on"], party=party_of(row))
            for row in milestones.forms
            if row.cleaned_data.get("include")
        ],
        update=data.get("existing") if data.get("action") == "update" else None,
    )
