"""Optimistic locking: the second of two people saving the same record does not overwrite the first.

A versioned model has `version = models.PositiveIntegerField(default=1, editable=False)`. Its edit
form carries the version the person started from (a hidden field, `VersionField`). The service
that saves it locks the row, calls `check_version`, and bumps the version on save. When someone
else saved in between, `StaleRecordError` says who changed what (read from the record's
django-simple-history), and the view shows it above the form, which keeps what the person typed.
"""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

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


class VersionedModelForm(forms.ModelForm):
    """A model form (e.g. in Django admin) that refuses to save over a newer version of its record.

    The hidden `version` starts from the stored version (also when the form shows an earlier
    version to revert to); clean() compares it with the stored row, locked until the end of the
    transaction, so nobody can save in between. The admin's save_model sets the next version.
    """

    version = VersionField(required=False)
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
            check_version(current=current, submitted_version=submitted)
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
