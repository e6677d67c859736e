"""The import engine shared by every kind of record: one row at a time, with a report per row.

An importer reads rows in chunks; for each chunk it loads the stored records with the chunk's
natural keys (and the records they refer to) in a few queries, then decides row by row: create,
update, unchanged, or error (with the column and the reason). Validation is the models' own
(`full_clean`: field validators such as the INN check digits, and `clean()`), and the apps' rules
(access modules, agreement lifecycle). Writes are bulk, with history rows naming the importer.
"""

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from common.concurrency import bump_version
from parks.access import editor_park_ids, is_admin
from parks.models import Technopolis

from ..columns import Column

CREATE, UPDATE, UNCHANGED, ERROR = "create", "update", "unchanged", "error"
WRITE_BATCH = 1000
UPDATE_BATCH = 100


@dataclass
class RowResult:
    line: int
    action: str
    key: str
    # (column label, reason)
    errors: list[tuple[str, str]] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)


@dataclass
class Planned:
    """A valid row waiting to be written."""

    record: models.Model
    values: dict[str, str]
    existing: models.Model | None
    extra: Any = None
    # The model fields an update changes: only those are written.
    fields: list[str] = field(default_factory=list)


class RowErrors(Exception):
    def __init__(self, errors: list[tuple[str, str]]):
        self.errors = errors


class Importer:
    # Templates get the class itself (its kind, label, columns), not an instance.
    do_not_call_in_templates = True
    kind: ClassVar[str]
    label: ClassVar[Promise]
    model: ClassVar[type[models.Model]]
    columns: ClassVar[tuple[Column, ...]]
    # Columns forming the natural key: a row with the key of a stored record updates it.
    key_columns: ClassVar[tuple[str, ...]]

    def __init__(self, user: User):
        self.user = user
        self.admin = is_admin(user)
        self.editable_park_ids = editor_park_ids(user)
        self.found: dict[tuple, models.Model] = {}
        # Set while importing for real: stored rows are locked until the end of the transaction, so
        # nobody saves one between the check and the write (its version then moves on from the locked row).
        self.lock_rows = False
        self._parks: dict[str, Technopolis] | None = None

    # --- to override -------------------------------------------------------------------------
    @classmethod
    def for_export(cls, queryset: models.QuerySet) -> models.QuerySet:
        """`queryset` with what the export columns read loaded in bulk (no query per row)."""
        return queryset

    def load(self, rows: Sequence[dict[str, str]]) -> None:
        """Loads the stored records of a chunk of rows into `self.found` (by natural key), and their references."""
        raise NotImplementedError

    def resolve(self, record: models.Model, values: dict[str, str], existing: models.Model | None) -> Any:
        """Sets what refers to other records and checks the person may write it; raises RowErrors."""
        return None

    def extra_changed(self, planned: Planned) -> list[str]:
        """Column keys changed beyond the record's own fields (e.g. an agreement's parties)."""
        return []

    def write_extra(self, created: list[Planned], updated: list[Planned]) -> None:
        """Writes what belongs to the records beyond their own fields, after them."""

    def clean_exclude(self) -> list[str]:
        # Relations are resolved (and checked) by the importer from records loaded in bulk.
        return [f.name for f in self.model._meta.concrete_fields if f.is_relation]

    # --- shared --------------------------------------------------------------------------------
    def stored(self, queryset: models.QuerySet) -> models.QuerySet:
        return queryset.select_for_update(of=("self",)) if self.lock_rows else queryset

    def key(self, values: dict[str, str]) -> tuple:
        return tuple(values.get(name, "").strip() for name in self.key_columns)

    def column(self, key: str) -> Column:
        return next(column for column in self.columns if column.key == key)

    def label_of(self, key: str) -> str:
        return str(self.column(key).label) if key else _("row")

    def parks(self) -> dict[str, Technopolis]:
        """Every park by its lower-cased name, short name and slug (parks are few)."""
        if self._parks is None:
            self._parks = {}
            # Names in every language, where the park's names are translated.
            languages = [code for code, _name in settings.LANGUAGES]
            fields = [f"{field}_{code}" for field in ("name", "short_name") for code in languages]
            for park in Technopolis.objects.all():
                for name in (park.slug, park.short_name, park.name, *(getattr(park, f, "") for f in fields)):
                    if name:
                        self._parks.setdefault(name.strip().lower(), park)
        return self._parks

    def park(self, name: str, column: str) -> Technopolis:
        park = self.parks().get(name.strip().lower())
        if park is None:
            raise RowErrors([(column, _("There is no park “%(name)s”.") % {"name": name})])
        return park

    def check_park_editable(self, park: Technopolis, column: str) -> None:
        if not self.admin and park.pk not in self.editable_park_ids:
            raise RowErrors([(column, _("You may not edit records of %(park)s.") % {"park": park})])

    def _field_to_column(self, name: str) -> str:
        for column in self.columns:
            if column.field == name:
                return column.key
        return self.relation_columns().get(name, "")

    def relation_columns(self) -> dict[str, str]:
        """Model field -> column, for messages about fields set by `resolve`."""
        return {}

    def plan_row(self, values: dict[str, str]) -> tuple[Planned | None, list[tuple[str, str]], list[str]]:
        """What to do with one row: (the record to write or None when unchanged, errors, changed columns)."""
        existing = self.found.get(self.key(values))
        record = copy.copy(existing) if existing is not None else self.model()
        errors: list[tuple[str, str]] = []
        for column in self.columns:
            if column.field is None or column.key not in values:
                continue
            try:
                setattr(record, column.field, column.parse(values[column.key]))
            except ValidationError as error:
                errors += [(column.key, message) for message in error.messages]
        if errors:
            return None, errors, []
        try:
            extra = self.resolve(record, values, existing)
        except RowErrors as error:
            return None, error.errors, []
        planned = Planned(record, values, existing, extra)
        changed: list[str] = []
        if existing is not None:
            fields = {column.field: column.key for column in self.columns if column.field} | self.relation_columns()
            planned.fields = [
                name
                for name, key in fields.items()
                if key in values and self._value(record, name) != self._value(existing, name)
            ]
            changed = [fields[name] for name in planned.fields] + self.extra_changed(planned)
            if not changed:
                return None, [], []
        try:
            record.full_clean(exclude=self.clean_exclude(), validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            return None, self._messages(error), []
        return planned, [], changed

    def _value(self, record: models.Model, name: str) -> Any:
        return getattr(record, self.model._meta.get_field(name).attname)

    def _messages(self, error: ValidationError) -> list[tuple[str, str]]:
        if not hasattr(error, "error_dict"):
            return [("", message) for message in error.messages]
        return [
            ("" if name == NON_FIELD_ERRORS else self._field_to_column(name), message)
            for name, messages in error.message_dict.items()
            for message in messages
        ]

    def written_fields(self, updated: list[Planned]) -> list[str]:
        return sorted({name for planned in updated for name in planned.fields} | {"version"})

    def write(self, created: list[Planned], updated: list[Planned]) -> None:
        if created:
            bulk_create_with_history(
                [planned.record for planned in created], self.model, batch_size=WRITE_BATCH, default_user=self.user
            )
        if updated:
            for planned in updated:
                bump_version(planned.record)
            bulk_update_with_history(
                [planned.record for planned in updated],
                self.model,
                self.written_fields(updated),
                # Small batches: an UPDATE of many rows at once is one CASE per field, slow past a few hundred.
                batch_size=UPDATE_BATCH,
                default_user=self.user,
            )
        self.write_extra(created, updated)
