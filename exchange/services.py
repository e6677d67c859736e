"""Importing a file: a preview that writes nothing, then, once confirmed, everything or nothing.

The uploaded file is kept server-side under MEDIA_ROOT/imports/<user id>/ with a random name; the
preview page carries a signed token naming it and the person who uploaded it, so that the
confirmation re-reads and re-validates the very same file, and nobody else can confirm it. It is
kept only while the preview can still be confirmed: deleted on confirm, on cancel, when the preview
offers nothing to confirm, after IMPORT_PREVIEW_MINUTES (forget_expired_uploads, run by beat), and
a person's oldest pending files make room when theirs exceed IMPORT_PENDING_MB_PER_USER.
"""

import datetime
import itertools
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.core import signing
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from .formats import ImportFileError, Table, read_table
from .importers import CREATE, ERROR, IMPORTERS, UNCHANGED, UPDATE, Importer, RowResult

CHUNK_ROWS = 1000
# Rows listed on the preview page; the counts always cover the whole file.
REPORT_ROWS = 500
_SALT = "exchange.import"


@dataclass
class ImportReport:
    kind: str
    counts: Counter = field(default_factory=Counter)
    rows: list[RowResult] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def has_errors(self) -> bool:
        return bool(self.file_errors or self.counts[ERROR])

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def rows_left_out(self) -> int:
        return self.total - len(self.rows)

    def add(self, result: RowResult) -> None:
        self.counts[result.action] += 1
        # Every error is listed (up to a limit), other rows only while there is room.
        limit = REPORT_ROWS * 2 if result.action == ERROR else REPORT_ROWS
        if len(self.rows) < limit:
            self.rows.append(result)


def _header_map(importer: Importer, table: Table, report: ImportReport) -> list[str | None]:
    """The column key of each header cell (None: ignored), after checking the required columns are there."""
    keys: list[str | None] = []
    for name in table.header:
        # The templates mark required columns with " *".
        lowered = name.strip().removesuffix("*").strip().lower()
        column = next((column for column in importer.columns if lowered in column.names()), None)
        if column is None and name.strip():
            report.ignored_columns.append(name)
        # An export's read-only columns (counts, names the importer does not set) are known, not imported.
        imported = column is not None and column.imported and column.key not in keys
        keys.append(column.key if imported else None)
    missing = [str(column.label) for column in importer.columns if column.required and column.key not in keys]
    if missing:
        report.file_errors.append(
            _("Required columns are missing: %(columns)s. Download the template to see the expected columns.")
            % {"columns": ", ".join(missing)}
        )
    return keys


def _chunks(rows: Iterator, size: int) -> Iterator[list]:
    while chunk := list(itertools.islice(rows, size)):
        yield chunk


def _run(importer: Importer, table: Table, *, apply: bool) -> ImportReport:
    started = time.perf_counter()
    importer.lock_rows = apply
    report = ImportReport(kind=importer.kind)
    keys = _header_map(importer, table, report)
    if report.file_errors:
        return report
    seen: dict[tuple, int] = {}
    for chunk in _chunks(table.rows, CHUNK_ROWS):
        rows = [
            (line, {key: cell for key, cell in zip(keys, cells, strict=False) if key})
            for line, cells in chunk
            if any(cell for cell in cells)
        ]
        importer.load([values for _line, values in rows])
        created, updated = [], []
        for line, values in rows:
            key = importer.key(values)
            label = " / ".join(key)
            missing = [name for name, part in zip(importer.key_columns, key, strict=True) if not part]
            if missing:
                errors = [(name, _("This column is required.")) for name in missing]
            elif key in seen:
                errors = [("", _("The same record appears on line %(line)s already.") % {"line": seen[key]})]
            else:
                seen[key] = line
                planned, errors, changed = importer.plan_row(values)
            if errors:
                report.add(RowResult(line, ERROR, label, [(importer.label_of(c), m) for c, m in errors]))
            elif planned is None:
                report.add(RowResult(line, UNCHANGED, label))
            elif planned.existing is None:
                created.append(planned)
                report.add(RowResult(line, CREATE, label))
            else:
                updated.append(planned)
                report.add(RowResult(line, UPDATE, label, changed=[importer.label_of(c) for c in changed]))
        if apply and not report.has_errors:
            importer.write(created, updated)
    report.seconds = time.perf_counter() - started
    return report


def _import(*, user: User, kind: str, path: Path, filename: str, apply: bool) -> ImportReport:
    importer = IMPORTERS[kind](user)
    with path.open("rb") as stream:
        try:
            table = read_table(stream, filename, path.stat().st_size)
            if not apply:
                return _run(importer, table, apply=False)
            with transaction.atomic():
                report = _run(importer, table, apply=True)
                if report.has_errors:
                    transaction.set_rollback(True)
                return report
        except ImportFileError as error:
            report = ImportReport(kind=kind)
            report.file_errors.append(str(error))
            return report


def import_preview(*, user: User, kind: str, path: Path, filename: str) -> ImportReport:
    """What importing the file would do, row by row; writes nothing."""
    return _import(user=user, kind=kind, path=path, filename=filename, apply=False)


def import_apply(*, user: User, kind: str, path: Path, filename: str) -> ImportReport:
    """Validates the file again and writes all its rows in one transaction, or nothing if any row fails."""
    return _import(user=user, kind=kind, path=path, filename=filename, apply=True)


def _preview_lifetime() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.IMPORT_PREVIEW_MINUTES)


def _uploads_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def _user_dir(user_pk: int) -> Path:
    return _uploads_root() / str(int(user_pk))


def forget_expired_uploads() -> int:
    """Deletes every pending upload older than a preview lives; returns how many."""
    cutoff = time.time() - _preview_lifetime().total_seconds()
    removed = 0
    for path in _uploads_root().glob("**/*.upload"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue  # confirmed or cancelled meanwhile
    return removed


def _make_room(directory: Path, incoming: int) -> None:
    """Deletes the person's oldest pending uploads until the new one fits their allowance."""
    allowance = settings.IMPORT_PENDING_MB_PER_USER * 1024 * 1024
    pending = []
    for path in directory.glob("*.upload"):
        try:
            stat = path.stat()
        except FileNotFoundError:
            continue
        pending.append((stat.st_mtime, stat.st_size, path))
    pending.sort()
    total = sum(size for _mtime, size, _path in pending)
    while pending and total + incoming > allowance:
        _mtime, size, path = pending.pop(0)
        path.unlink(missing_ok=True)
        total -= size


def upload_store(*, user: User, kind: str, file: UploadedFile) -> str:
    """Keeps the uploaded file under a random name in the person's folder; returns the signed token that names it."""
    directory = _user_dir(user.pk)
    directory.mkdir(parents=True, exist_ok=True)
    _make_room(directory, file.size)
    name = f"{uuid.uuid4().hex}.upload"
    with (directory / name).open("wb") as target:
        for piece in file.chunks():
            target.write(piece)
    return signing.dumps({"name": name, "user": user.pk, "kind": kind, "filename": file.name}, salt=_SALT)


@dataclass(frozen=True)
class StoredUpload:
    path: Path
    kind: str
    filename: str


def upload_open(*, user: User, token: str) -> StoredUpload | None:
    """The upload the token names, when it is the user's, recent and still there; None otherwise."""
    try:
        data = signing.loads(token, salt=_SALT, max_age=_preview_lifetime())
    except signing.BadSignature:
        return None
    path = _user_dir(data["user"]) / Path(data["name"]).name
    if data["user"] != user.pk or data["kind"] not in IMPORTERS or not path.is_file():
        return None
    return StoredUpload(path, data["kind"], data["filename"])


def upload_discard(upload: StoredUpload) -> None:
    upload.path.unlink(missing_ok=True)


__all__ = ["CREATE", "ERROR", "UNCHANGED", "UPDATE", "ImportReport", "import_apply", "import_preview"]


def upload_cancel(*, user: User, token: str) -> bool:
    """Deletes the person's previewed upload without importing it; False when it was gone already."""
    upload = upload_open(user=user, token=token)
    if upload is None:
        return False
    upload_discard(upload)
    return True


@dataclass(frozen=True)
class Preview:
    report: ImportReport
    filename: str
    # Signs the kept file while the preview can be confirmed; None when there is nothing to confirm.
    token: str | None


def upload_and_preview(*, user: User, kind: str, file: UploadedFile) -> Preview:
    """Keeps the file and previews it; a file whose preview cannot be confirmed is not kept."""
    token = upload_store(user=user, kind=kind, file=file)
    upload = upload_open(user=user, token=token)
    report = import_preview(user=user, kind=kind, path=upload.path, filename=upload.filename)
    if report.has_errors or not (report.counts[CREATE] or report.counts[UPDATE]):
        upload_discard(upload)
        token = None
    return Preview(report, upload.filename, token)


def confirm_upload(*, user: User, upload: StoredUpload) -> ImportReport:
    """Imports the previewed file; it is deleted whether it imported or was refused (a refusal means a new upload)."""
    try:
        return import_apply(user=user, kind=upload.kind, path=upload.path, filename=upload.filename)
    finally:
        upload_discard(upload)
