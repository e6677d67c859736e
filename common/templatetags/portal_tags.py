from django import forms, template
from django.utils import timezone
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from common.search import MARK_END, MARK_START

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with `changes` applied, e.g. for pagination and sort links."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


def _options(field) -> SafeString:
    # Built here rather than through Django's per-option widget templates, which cost a template
    # render per <option> (hundreds on the park and sector selects of every list's filter form).
    value = field.value()
    values = value if isinstance(value, (list, tuple)) else ["" if value is None else value]
    chosen = {str(item) for item in values}
    return _options_of(field.field.choices, chosen)


def _options_of(choices, chosen: set[str]) -> SafeString:
    parts = []
    for option_value, option_label in choices:
        if isinstance(option_label, (list, tuple)):  # a group of choices
            inner = _options_of(option_label, chosen)
            parts.append(format_html('<optgroup label="{}">{}</optgroup>', option_value, inner))
            continue
        option_value = "" if option_value is None else str(getattr(option_value, "value", option_value))
        selected = " selected" if option_value in chosen else ""
        parts.append(format_html('<option value="{}"{}>{}</option>', option_value, selected, option_label))
    return format_html_join("\n", "{}", ((part,) for part in parts))


@register.simple_tag
def filter_field(field) -> SafeString:
    """A filter form's field with plain Bootstrap markup (label, control, errors): a light stand-in
    for crispy-forms' field templates on the lists' GET forms."""
    widget = field.field.widget
    invalid = " is-invalid" if field.errors else ""
    errors = format_html_join("", '<div class="invalid-feedback d-block">{}</div>', ((e,) for e in field.errors))
    help_text = (
        format_html('<div id="{}_helptext" class="form-text">{}</div>', field.auto_id, field.help_text)
        if field.help_text
        else ""
    )
    if isinstance(widget, forms.CheckboxInput):
        control = field.as_widget(attrs={"class": "form-check-input" + invalid})
        return format_html(
            '<div id="div_{}" class="mb-3"><div class="form-check">{}'
            '<label for="{}" class="form-check-label">{}</label>{}{}</div></div>',
            field.auto_id,
            control,
            field.id_for_label,
            field.label,
            errors,
            help_text,
        )
    if isinstance(widget, forms.Select) and not widget.allow_multiple_selected:
        control = format_html(
            '<select name="{}" class="form-select{}" id="{}">{}</select>',
            field.html_name,
            invalid,
            field.auto_id,
            _options(field),
        )
    else:
        control = field.as_widget(attrs={"class": "form-control" + invalid})
    return format_html(
        '<div id="div_{}" class="mb-3"><label for="{}" class="form-label">{}</label>{}{}{}</div>',
        field.auto_id,
        field.id_for_label,
        field.label,
        control,
        errors,
        help_text,
    )


# An agreement status's badge colour (agreements' lifecycle statuses); anything else is a warning.
_STATUS_BADGES = {
    "draft": "text-bg-secondary",
    "negotiation": "text-bg-info",
    "signed": "text-bg-primary",
    "active": "text-bg-success",
    "completed": "text-bg-dark",
    "terminated": "text-bg-danger",
}


@register.simple_tag
def status_badge(status: str, label: str) -> SafeString:
    """An agreement status as a coloured badge; a tag, not an include, as it is drawn on every row."""
    return format_html('<span class="badge {}">{}</span>', _STATUS_BADGES.get(status, "text-bg-warning"), label)


@register.filter
def narrows(filterset) -> bool:
    """Whether the reader set any of the list's filters (sorting and paging do not narrow it): an empty
    list then says "nothing matches these filters", otherwise that nothing is recorded yet."""
    data = filterset.form.data
    return any(value.strip() for name in filterset.form.fields if name != "sort" for value in data.getlist(name))


@register.filter
def machine_datetime(value) -> str:
    """A moment for a <time datetime> attribute: ISO 8601 to the second, as HTML accepts it (no
    microseconds), in the portal's time zone."""
    if not value:
        return ""
    return timezone.localtime(value).replace(microsecond=0).isoformat()


@register.filter
def search_snippet(text: str) -> str:
    """A search result's snippet (common.search.Searched.headline): the text escaped, the words
    found between <mark> tags, and nothing else of the stored text taken as HTML."""
    if not text:
        return ""
    marked = conditional_escape(text).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    return mark_safe(marked)  # noqa: S308 - escaped above; only the two markers become tags
