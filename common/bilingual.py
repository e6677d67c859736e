"""Forms for names kept in two languages: the reader's language first, the other one beside it.

A form lists the translated field as usual (e.g. "title"); `add_other_languages` shows it as the
reader's-language version (its own value, not the fallback) and adds the same field in the other
language (e.g. "title_ru" on an English page). For a required name one of the two must be filled;
an optional one may stay empty in both. An empty one falls back to the other on every page.
"""

from django import forms
from django.utils.translation import gettext_lazy, pgettext_lazy
from modeltranslation.translator import NotRegistered, translator

from .i18n import reading_order

_WITH_LANGUAGE = gettext_lazy("%(field)s (%(language)s)")
_ONE_NEEDED = gettext_lazy("Fill in at least one language.")
# "Title (English)", "Название (английский)": the language of one of a name's versions.
_LANGUAGE_OF_A_NAME = {
    "en": pgettext_lazy("language of a typed name", "English"),
    "ru": pgettext_lazy("language of a typed name", "Russian"),
}


def _language_name(code: str) -> str:
    return str(_LANGUAGE_OF_A_NAME.get(code, code))


def add_other_languages(form: forms.ModelForm, names: tuple[str, ...]) -> None:
    """Call at the end of __init__; call `keep_other_languages(form)` from clean()."""
    current, *others = reading_order()
    added = {f"{name}_{code}" for name in names for code in others}
    fields = {}
    form._other_languages = []
    for name, field in form.fields.items():
        if name in added:
            continue  # a model form's own field for another language (e.g. from admin fieldsets): made below
        fields[name] = field
        if name not in names:
            continue
        label = field.label
        field.label = _WITH_LANGUAGE % {"field": label, "language": _language_name(current)}
        # The pair is required when the name is: an optional name may stay empty in both languages.
        field.pair_required, field.required = field.required, False
        # What the form showed (its own value, not the fallback), also when bound: has_changed()
        # compares with it, and an untouched form must not count as a change.
        form.initial[name] = getattr(form.instance, f"{name}_{current}", None) or ""
        for code in others:
            other = f"{name}_{code}"
            model_field = form.instance._meta.get_field(other)
            fields[other] = forms.CharField(
                label=_WITH_LANGUAGE % {"field": label, "language": _language_name(code)},
                max_length=model_field.max_length,
                required=False,
                # No translation stays no translation (None), not an empty one: saved as shown, no change.
                empty_value=None if model_field.null else "",
                initial=getattr(form.instance, other, None) or "",
            )
            fields[other].widget.attrs["lang"] = code
        field.widget.attrs["lang"] = current
        form._other_languages.append((name, [f"{name}_{code}" for code in others]))
    form.fields = fields
    form._reader_language = current


def edited_attribute(form: forms.BaseForm, name: str) -> str:
    """The model attribute a form field edits: "title" is the reader's own version ("title_ru" on a Russian page)."""
    if any(name == translated for translated, _others in getattr(form, "_other_languages", [])):
        return f"{name}_{form._reader_language}"
    return name


def keep_other_languages(form: forms.ModelForm, cleaned_data: dict) -> None:
    """Puts the other languages' values on the instance; refuses a name left empty in every language."""
    for name, others in getattr(form, "_other_languages", []):
        if name not in cleaned_data:
            continue  # already refused for another reason
        left_empty = not cleaned_data.get(name) and not any(cleaned_data.get(other) for other in others)
        if left_empty and form.fields[name].pair_required:
            form.add_error(name, _ONE_NEEDED)
            continue
        if not cleaned_data.get(name):
            cleaned_data[name] = None  # no translation in the reader's language (not an empty one)
        for other in others:
            setattr(form.instance, other, cleaned_data.get(other) or None)


def translated_names(model) -> tuple[str, ...]:
    try:
        return tuple(translator.get_options_for_model(model).fields)
    except NotRegistered:
        return ()


def _bilingual_form(form_class: type[forms.ModelForm], model) -> type[forms.ModelForm]:
    names = tuple(name for name in translated_names(model) if name in form_class.base_fields)
    if not names:
        return form_class

    class BilingualForm(form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            add_other_languages(self, names)

        def clean(self):
            cleaned_data = super().clean()
            keep_other_languages(self, cleaned_data)
            return cleaned_data

    # The wrapper stands for the form it wraps (e.g. one the admin built), also in its module's name.
    BilingualForm.__name__ = form_class.__name__
    BilingualForm.__qualname__ = form_class.__qualname__
    BilingualForm.__module__ = form_class.__module__
    return BilingualForm


def _with_other_languages(model, fields):
    """Each translated name followed by its other-language versions; no other translation field."""
    names = translated_names(model)
    current, *others = reading_order()
    result = []
    for field in fields:
        if isinstance(field, list | tuple):
            result.append(type(field)(_with_other_languages(model, field)))
        elif field in names:
            result += [field, *(f"{field}_{code}" for code in others)]
        elif not any(field == f"{name}_{code}" for name in names for code in [current, *others]):
            result.append(field)
    return result


class BilingualAdminMixin:
    """Admin pages (and inlines) edit a translated name in the admin's language and, beside it, in the
    other one, as the portal's forms do."""

    def get_fieldsets(self, request, obj=None):
        return [
            (title, {**options, "fields": _with_other_languages(self.model, options["fields"])})
            for title, options in super().get_fieldsets(request, obj)
        ]

    def get_form(self, request, obj=None, **kwargs):
        return _bilingual_form(super().get_form(request, obj, **kwargs), self.model)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = _bilingual_form(formset.form, self.model)
        return formset
