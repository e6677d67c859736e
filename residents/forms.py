"""The company form of the portal, with its products, IP records and know-how as formsets.

Validation is the models' own (`clean()`, validators and constraints, run by the model forms);
the forms only choose the fields, the widgets and which parks a person may pick.
"""

from crispy_forms.bootstrap import InlineCheckboxes
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import QuerySet
from django.forms.models import InlineForeignKeyField
from django.utils.translation import gettext_lazy as _

from common.bilingual import add_other_languages, keep_other_languages
from common.concurrency import VersionField
from parks.models import Technopolis

from .models import IntellectualProperty, KnowHow, Product, ResidentCompany


class DateInput(forms.DateInput):
    """The browser's date picker; it shows the date in the user's locale and sends ISO dates."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _https_by_default(field: models.Field, **kwargs) -> forms.Field | None:
    """Web addresses typed without a scheme are taken as https (Django 6's default), not http."""
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


def _carry_version(form: forms.ModelForm) -> None:
    """A stored record's form carries the version the person starts from (common.concurrency)."""
    if form.instance.pk is not None:
        form.fields["version"].required = True
        form.fields["version"].initial = form.instance.version


class ResidentCompanyForm(forms.ModelForm):
    version = VersionField(required=False)

    class Meta:
        formfield_callback = _https_by_default
        model = ResidentCompany
        fields = [
            "name",
            "legal_form",
            "inn",
            "technopolis",
            "sectors",
            "residency_start",
            "residency_end",
            "website",
            "staff_count",
        ]
        labels = {"technopolis": _("Park")}
        widgets = {
            "residency_start": DateInput(),
            "residency_end": DateInput(),
            "sectors": forms.CheckboxSelectMultiple(),
        }

    def __init__(self, *args, parks: QuerySet[Technopolis], **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        # The page's <form> also holds the formsets.
        self.helper.form_tag = False
        add_other_languages(self, ("name",))
        self.helper.layout = Layout(
            Row(
                *[Column(name, css_class="col-md-6") for name in ("name", "name_en", "name_ru") if name in self.fields]
            ),
            Row(
                Column("legal_form", css_class="col-md-3"),
                Column("inn", css_class="col-md-3"),
            ),
            Row(
                Column("technopolis", css_class="col-md-6"),
                Column("residency_start", css_class="col-sm-6 col-md-3"),
                Column("residency_end", css_class="col-sm-6 col-md-3"),
            ),
            Row(Column("website", css_class="col-md-6"), Column("staff_count", css_class="col-md-3")),
            InlineCheckboxes("sectors"),
            "version",
        )
        _carry_version(self)
        # Any other park posted is refused as "not one of the available choices".
        self.fields["technopolis"].queryset = parks
        if not self.is_bound and self.instance.technopolis_id is None:
            # Most editors work for one park: offer it rather than a blank choice.
            choices = list(parks[:2])
            if len(choices) == 1:
                self.initial["technopolis"] = choices[0].pk
        self.fields["inn"].widget.attrs.update(inputmode="numeric", autocomplete="off")

    def clean(self):
        cleaned_data = super().clean()
        keep_other_languages(self, cleaned_data)
        return cleaned_data


class OwnedRecordForm(forms.ModelForm):
    """A row of a company's formset.

    An inline formset leaves the company out of the model's validation, and with it every unique
    constraint that names the company (a product's name per company); they are checked here,
    against the stored rows, and reported on the other field the constraint names.
    """

    version = VersionField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _carry_version(self)

    def validate_unique(self) -> None:
        super().validate_unique()
        links = {name for name, field in self.fields.items() if isinstance(field, InlineForeignKeyField)}
        model = self._meta.model
        exclude = self._get_validation_exclusions()
        for constraint in model._meta.constraints:
            if not isinstance(constraint, models.UniqueConstraint) or not links & set(constraint.fields):
                continue
            try:
                constraint.validate(model, self.instance, exclude=exclude)
            except ValidationError as error:
                others = [name for name in constraint.fields if name not in links]
                field = others[0] if len(others) == 1 else None
                if field not in self.fields:
                    # The copy of a constraint for one language (e.g. name_ru): shown on the name.
                    field = field.rsplit("_", 1)[0] if field else None
                self.add_error(field if field in self.fields else None, error)


class ProductForm(OwnedRecordForm):
    class Meta:
        model = Product
        fields = ["name", "sector", "year_launched", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class IntellectualPropertyForm(OwnedRecordForm):
    class Meta:
        model = IntellectualProperty
        fields = ["kind", "registration_number", "title", "status", "filed_on", "registered_on", "expires_on"]
        widgets = {"filed_on": DateInput(), "registered_on": DateInput(), "expires_on": DateInput()}

    def _update_errors(self, errors: ValidationError) -> None:
        # The constraint names two fields, so Django reports a duplicate as a form-wide error;
        # the registration number is what the person has to correct.
        form_wide = getattr(errors, "error_dict", {}).get(NON_FIELD_ERRORS, [])
        duplicate = [error for error in form_wide if _unique_number_message() in error.messages]
        if duplicate:
            remaining = [error for error in form_wide if error not in duplicate]
            if remaining:
                errors.error_dict[NON_FIELD_ERRORS] = remaining
            else:
                del errors.error_dict[NON_FIELD_ERRORS]
            errors.error_dict.setdefault("registration_number", []).extend(duplicate)
        super()._update_errors(errors)


def _unique_number_message() -> str:
    for constraint in IntellectualProperty._meta.constraints:
        if constraint.name == "ip_registration_number_unique_per_kind":
            return str(constraint.get_violation_error_message())
    raise LookupError("ip_registration_number_unique_per_kind")


class KnowHowForm(OwnedRecordForm):
    class Meta:
        model = KnowHow
        fields = ["title", "confidentiality", "recorded_on", "description"]
        widgets = {"recorded_on": DateInput(), "description": forms.Textarea(attrs={"rows": 2})}


class OwnedRecordsFormSet(forms.BaseInlineFormSet):
    """A company's rows of one kind; choice lists are read once for all rows, not once per row."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        shared: dict[str, list] = {}
        for form in self.forms:
            for name in form._meta.fields:
                field = form.fields[name]
                if isinstance(field, forms.ModelChoiceField):
                    if name not in shared:
                        shared[name] = list(field.choices)
                    field.choices = shared[name]


def _formset(form: type[forms.ModelForm], model, extra: int):
    return forms.inlineformset_factory(
        ResidentCompany,
        model,
        form=form,
        formset=OwnedRecordsFormSet,
        extra=extra,
        can_delete=True,
    )


# Blank rows offered at the end of each table; "Save and add more" offers them again.
EXTRA_ROWS = 2
ProductFormSet = _formset(ProductForm, Product, EXTRA_ROWS)
IntellectualPropertyFormSet = _formset(IntellectualPropertyForm, IntellectualProperty, EXTRA_ROWS)
KnowHowFormSet = _formset(KnowHowForm, KnowHow, EXTRA_ROWS)

FORMSET_TITLES = {
    "products": _("Products"),
    "ip_records": _("Patents, trademarks and other IP"),
    "know_how": _("Know-how"),
}
