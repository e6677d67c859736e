"""Optimistic locking: the second of two people saving the same record does not overwrite the first.

A versioned model has `version = models.PositiveIntegerField(default=1, editable=False)`. Its edit
form carries the version the person started from (a hidden field, `VersionField`). The service
that saves it locks the row, calls `check_version`, and bumps the version on save. When someone
else saved in between, `StaleRecordError` says who changed what (read from the record's
django-simple-history), and the view shows it above the form.

The form shown again is merged three ways (`merge_stale_edit`) and carries the stored version, so
that saving it again keeps the other person's changes: a field the person left as it was takes the
stored value, one only they changed keeps their input, and one both changed differently keeps
their input with the stored value shown beside it (includes/edit_conflicts.html), for them to choose.
"""

from dataclasses import dataclass, replace

from django import forms
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.db import models, transaction
from django.http import QueryDict
from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .bilingual import edited_attribute
from .i18n import shown_by_its_name


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    before: str
    after: str


class StaleRecordError(ValidationError):
    """Someone saved the record after the person opened it; carries what they changed."""

    def __init__(self, *, changes: list[FieldChange], changed_by: str | None):
        self.changes = changes
        self.changed_by = changed_by
        summary = ", ".join(f"{change.label}: {change.before} → {change.after}" for change in changes)
        super().__init__(
            _(
                "Someone else (%(who)s) saved this record after you opened it, so your changes were not saved. "
                "Their changes: %(summary)s. Review the form (it keeps what you typed) and save again."
            ),
            code="stale",
            params={"who": changed_by or _("another user"), "summary": summary or _("none visible")},
        )


class VersionField(forms.IntegerField):
    """The hidden field carrying the version a person started editing from."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("required", True)
        super().__init__(**kwargs)


def _display(record: models.Model, field: models.Field) -> str:
    value = getattr(record, field.attname)
    if value in (None, ""):
        return "—"
    if field.is_relation:
        # The related record's name reads better than its id; a row deleted since shows as its id.
        try:
            return str(getattr(record, field.name))
        except ObjectDoesNotExist:
            return str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def changes_since(*, current: models.Model, version: int) -> tuple[list[FieldChange], str | None]:
    """Field by field, what changed between `version` and the stored record, and who saved last."""
    history = current.history.filter(version__gte=version).order_by("history_date", "history_id")
    # The last save at that version is what the person saw when they opened the form.
    start = history.filter(version=version).last()
    latest = current.history.order_by("-history_date", "-history_id").first()
    changed_by = str(latest.history_user) if latest and latest.history_user else None
    if start is None:
        return [], changed_by
    changes = []
    for field in type(current)._meta.concrete_fields:
        if field.name in {"version", "id", "updated_at", "created_at"} or shown_by_its_name(field):
            continue
        before, after = _display(start, field), _display(current, field)
        if before != after:
            changes.append(FieldChange(field.name, str(field.verbose_name), before, after))
    return changes, changed_by


def check_version(*, current: models.Model, submitted_version: int) -> None:
    """Raises StaleRecordError when the stored record moved past the version the person started from.

    Call it on a row locked with select_for_update(), inside the transaction that saves.
    """
    if current.version != submitted_version:
        changes, changed_by = changes_since(current=current, version=submitted_version)
        raise StaleRecordError(changes=changes, changed_by=changed_by)


# Kept by the save itself, never typed by a person.
_NOT_TYPED = {"version", "created_at", "updated_at"}


def differs(record: models.Model, stored: models.Model) -> bool:
    """Whether saving `record` would change any stored value that a person edits."""
    return any(
        getattr(record, field.attname) != getattr(stored, field.attname)
        for field in type(record)._meta.concrete_fields
        if field.name not in _NOT_TYPED
    )


def bump_version(record: models.Model) -> None:
    record.version = (record.version or 0) + 1


def _locked(record: models.Model) -> models.Model:
    """The stored row, locked until the end of the transaction (when there is one)."""
    queryset = type(record)._default_manager.filter(pk=record.pk)
    if transaction.get_connection().in_atomic_block:
        queryset = queryset.select_for_update()
    return queryset.get()


def stored_version(record: models.Model, *, lock: bool = False) -> int:
    """The version stored for the record, locked for the rest of the transaction when asked."""
    if lock:
        return _locked(record).version
    return type(record)._default_manager.filter(pk=record.pk).values_list("version", flat=True).get()


@dataclass(frozen=True)
class FieldConflict:
    """A field both people changed, differently: the stored value and the person's (kept in the form)."""

    field: str  # the form field's name in the page (with its prefix)
    label: str
    theirs: str
    mine: str
    # No history of what the form showed (many-to-many fields): perhaps only they changed it.
    unknown_base: bool = False


@dataclass(frozen=True)
class StaleMerge:
    """The form's posted values after the merge, by name in the page, and the fields both people changed."""

    data: dict[str, list[str]]
    conflicts: list[FieldConflict]

    def apply(self, data: QueryDict) -> None:
        for name, values in self.data.items():
            if values:
                data.setlist(name, values)
            else:
                data.pop(name, None)  # e.g. an unticked box: posted as absent


def _record_at(stored: models.Model, version: int) -> models.Model | None:
    """The record as it was saved at `version` (the last save at it): its history row.

    The row itself, which has every field of the record, rather than `row.instance`: a model with
    translated fields would take the row's untranslated copy of a name for the active language's.
    """
    return stored.history.filter(version=version).order_by("history_date", "history_id").last()


def _value(record: models.Model, model_field: models.Field):
    """The value as a form field takes it: related records as records (a form may show them by another key)."""
    if model_field.many_to_many:
        return list(getattr(record, model_field.name).all())
    if model_field.is_relation:
        try:
            return getattr(record, model_field.name)
        except ObjectDoesNotExist:
            return getattr(record, model_field.attname)
    return getattr(record, model_field.attname)


def _as_posted(field: forms.Field, value) -> list[str]:
    """What a browser posts for `value` in `field`."""
    if isinstance(field, forms.BooleanField) and not isinstance(field, forms.NullBooleanField):
        return ["on"] if value else []
    prepared = field.prepare_value(value)
    if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        return [str(item) for item in prepared or []]
    widget = getattr(field.widget, "widget", field.widget)  # the admin wraps related fields' widgets
    shown = widget.format_value(prepared)
    if isinstance(shown, list):
        shown = shown[0] if shown else None
    return [] if shown in (None, "") else [str(shown)]


def _shown(model_field: models.Field, value) -> str:
    """A value as a person reads it beside the form."""
    if isinstance(value, list | tuple | models.QuerySet):
        return ", ".join(str(item) for item in value) or "—"
    if value in (None, ""):
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    return str(formats.localize(value))


def merge_stale_edit(form: forms.BaseForm, *, stored: models.Model, base_version: int) -> StaleMerge:
    """Three-way merge of a refused edit: base = the record at `base_version` (the version the person
    started from, read from its history), theirs = `stored`, mine = what the bound `form` posted.

    A field the person left as it was (mine == base) takes the stored value; one only they changed
    keeps their input; one both changed differently is a conflict: their input stays, the stored value
    is reported. Many-to-many fields have no history: when they differ from the stored ones, that is
    a conflict too. The merged data carries the stored version.
    """
    base = _record_at(stored, base_version)
    data: dict[str, list[str]] = {}
    conflicts: list[FieldConflict] = []
    cleaned = getattr(form, "cleaned_data", {})
    for name, field in form.fields.items():
        if name == "version" or field.disabled:
            continue
        try:
            model_field = stored._meta.get_field(edited_attribute(form, name))
        except FieldDoesNotExist:
            continue  # not a field of the record (e.g. "delete this row")
        if not (model_field.concrete or model_field.many_to_many):
            continue
        bound = form[name]
        posted = bound.data
        theirs = _value(stored, model_field)
        if isinstance(field, forms.ModelMultipleChoiceField):
            theirs = list(field.queryset.filter(pk__in=[record.pk for record in theirs]))  # the ones offered
        if not field.has_changed(theirs, posted):
            continue  # the same on both sides
        if base is not None and not model_field.many_to_many:
            if getattr(base, model_field.attname) == getattr(stored, model_field.attname):
                continue  # only the person changed it: their input stays
            if not field.has_changed(_value(base, model_field), posted):
                data[bound.html_name] = _as_posted(field, theirs)  # only they changed it
                continue
        mine = cleaned.get(name, posted)
        conflicts.append(
            FieldConflict(
                bound.html_name,
                str(bound.label),
                _shown(model_field, theirs),
                _shown(model_field, mine),
                unknown_base=base is None or model_field.many_to_many,
            )
        )
    if "version" in form.fields:
        data[form["version"].html_name] = [str(stored.version)]
    return StaleMerge(data=data, conflicts=conflicts)


_KEPT_BESIDE_THEIRS = _(
    "Saved meanwhile as “%(theirs)s”. Your value is kept here: save again to keep it, or change it."
)


def reshow_stale_edit(
    data: QueryDict, form: forms.BaseForm, *, stored: models.Model, base_version: int
) -> list[FieldConflict]:
    """After a refused save: `data` (the form's posted values, shown again) moves on to the stored
    version, merged, and each field both people changed says beside it what is stored."""
    if stored.version == base_version:
        return []
    merge = merge_stale_edit(form, stored=stored, base_version=base_version)
    merge.apply(data)
    for conflict in merge.conflicts:
        name = next(name for name in form.fields if form[name].html_name == conflict.field)
        form.add_error(name, ValidationError(_KEPT_BESIDE_THEIRS, code="conflict", params={"theirs": conflict.theirs}))
    return merge.conflicts


def reshow_stale_rows(data: QueryDict, formset: forms.BaseFormSet, *, label: str) -> list[FieldConflict]:
    """`reshow_stale_edit` for the stored rows of a formset that someone else saved meanwhile.

    `label` names a row's field in the list of conflicts, e.g. "Milestone “%(name)s”: %(field)s".
    """
    rows = [row for row in formset.initial_forms if row.instance.pk is not None and "version" in row.fields]
    stored = formset.model._default_manager.in_bulk([row.instance.pk for row in rows])
    conflicts: list[FieldConflict] = []
    for row in rows:
        record, seen = stored.get(row.instance.pk), getattr(row, "cleaned_data", {}).get("version")
        if record is None or seen is None:
            continue  # removed meanwhile: the save says so
        conflicts += [
            replace(conflict, label=label % {"name": record, "title": record, "field": conflict.label})
            for conflict in reshow_stale_edit(data, row, stored=record, base_version=seen)
        ]
    return conflicts


class VersionedModelForm(forms.ModelForm):
    """A model form (e.g. in Django admin) that refuses to save over a newer version of its record.

    The hidden `version` starts from the stored version (also when the form shows an earlier
    version to revert to); clean() compares it with the stored row, locked until the end of the
    transaction, so nobody can save in between. The admin's save_model sets the next version.
    """

    version = VersionField(required=False)
    # Set when a save is refused as stale: shown at the top of the page (templates/admin/change_form.html).
    refused_as_stale = False
    stale_conflicts: list[FieldConflict] = []
    # The page reverting to an earlier version shows a historical instance with its old version
    # number, so the stored one is read. Inline rows are always loaded fresh: set False there.
    read_stored_version = True

    class Meta:
        # The model's own `version` is not editable; the declared field above carries it.
        exclude = ["version"]  # noqa: DJ006 (only the non-editable field; the admin lists the others)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["version"].required = True
            # Also when bound: the version posted back as shown is no change (has_changed()).
            self.initial["version"] = (
                stored_version(self.instance) if self.read_stored_version else self.instance.version
            )

    def clean(self):
        cleaned_data = super().clean()
        submitted = cleaned_data.get("version")
        if self.instance.pk is not None and submitted is not None:
            current = _locked(self.instance)
            try:
                check_version(current=current, submitted_version=submitted)
            except StaleRecordError:
                # Shown again merged with the stored version, which it now carries (common.concurrency).
                self.data = self.data.copy()
                self.refused_as_stale = True
                self.stale_conflicts = reshow_stale_edit(self.data, self, stored=current, base_version=submitted)
                raise
        return cleaned_data

    def saves_nothing(self) -> bool:
        """True when saving would change nothing: an untouched form gets no new version and no history row.

        Both the form (many-to-many fields included) and the record it would save are compared, so
        that reverting to an earlier version from the history, whose form shows that version, still saves.
        """
        if self.instance.pk is None or self.has_changed():
            return False
        stored = type(self.instance)._default_manager.filter(pk=self.instance.pk).first()
        return stored is not None and not differs(self.instance, stored)


class VersionedInlineForm(VersionedModelForm):
    """A row of an admin inline: its instance comes fresh from the database, so no extra query."""

    read_stored_version = False
