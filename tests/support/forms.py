"""What a page's forms post back unchanged, as a browser would: for the tests that edit and re-save."""

import datetime

from django.forms import BaseForm, FileField, NullBooleanSelect
from django.urls import reverse


def form_values(form: BaseForm) -> dict[str, object]:
    """What a rendered form posts back unchanged (as a browser would)."""
    data: dict[str, object] = {}
    for bound_field in form:
        value = bound_field.value()
        if isinstance(bound_field.field.widget, NullBooleanSelect):
            # "Unknown", "Yes", "No": a select, which always posts its choice.
            data[bound_field.html_name] = {True: "true", False: "false"}.get(value, "unknown")
            continue
        if value is None or value is False or isinstance(bound_field.field, FileField):
            continue
        if value is True:
            value = "on"
        elif isinstance(value, list | tuple):
            value = [str(item) for item in value]
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        data[bound_field.html_name] = value
    return data


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def admin_page_data(response) -> dict[str, object]:
    """What the admin page in `response` would post unchanged: its form, inline forms and management forms."""
    data = form_values(response.context["adminform"].form)
    # The history's revert page has no inlines.
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        data.update(form_values(formset.management_form))
        for form in formset.forms:
            data.update(form_values(form))
    return data
