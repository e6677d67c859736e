"""Validators of agreement fields that are more than a type."""

import zipfile
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

MAX_LEAD_DAYS = 365


def parse_day_list(value: str) -> list[int]:
    """ "14, 3, 0" -> [14, 3, 0]; raises ValueError on anything else."""
    days = [int(part) for part in value.replace(" ", "").split(",") if part != ""]
    if any(day < 0 or day > MAX_LEAD_DAYS for day in days):
        raise ValueError(value)
    return sorted(set(days), reverse=True)


def validate_day_list(value: str) -> None:
    try:
        parse_day_list(value)
    except ValueError:
        raise ValidationError(
            _("Give whole numbers of days from 0 to %(max)d, separated by commas, e.g. 14, 3, 0."),
            params={"max": MAX_LEAD_DAYS},
            code="invalid_day_list",
        ) from None


# Documents: what may be uploaded, checked by content (magic bytes), not only by the file's name.
ALLOWED_DOCUMENT_EXTENSIONS = ["pdf", "doc", "docx", "odt", "rtf", "xls", "xlsx", "ods", "png", "jpg", "jpeg"]

# Office formats stored as ZIP containers, recognised by the part that names their content type.
_ZIP_DOCUMENTS = {
    "docx": lambda names, read: "word/document.xml" in names,
    "xlsx": lambda names, read: "xl/workbook.xml" in names,
    "odt": lambda names, read: "mimetype" in names and read("mimetype") == b"application/vnd.oasis.opendocument.text",
    "ods": lambda names, read: (
        "mimetype" in names and read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
    ),
}
# Office 97-2003 files are OLE compound files; the stream names (UTF-16) tell Word from Excel.
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE_STREAMS = {"doc": ["WordDocument"], "xls": ["Workbook", "Book"]}
# What filetype reports for the other allowed formats, by extension.
_DETECTED = {"pdf": {"pdf"}, "rtf": {"rtf"}, "png": {"png"}, "jpg": {"jpg"}, "jpeg": {"jpg"}}
# filetype looks at the first 261 bytes at most.
_SIGNATURE_BYTES = 8192


def _extension(name: str) -> str:
    return PurePath(name or "").suffix.lower().lstrip(".")


# The only archive part read is OpenDocument's "mimetype", a few dozen bytes; a larger one is not a
# real document (and could unpack to gigabytes from a small upload).
_MIMETYPE_MAX_BYTES = 200


def _small_part(archive: zipfile.ZipFile, name: str) -> bytes:
    if archive.getinfo(name).file_size > _MIMETYPE_MAX_BYTES:
        return b""
    # zipfile stops at the declared size, so a lying archive cannot unpack more than that.
    with archive.open(name) as part:
        return part.read(_MIMETYPE_MAX_BYTES).strip()


def _zip_matches(file, extension: str) -> bool:
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            return _ZIP_DOCUMENTS[extension](names, lambda name: _small_part(archive, name))
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError, EOFError):
        return False


def _ole_matches(content: bytes, extension: str) -> bool:
    return content.startswith(_OLE_SIGNATURE) and any(
        stream.encode("utf-16-le") in content for stream in _OLE_STREAMS[extension]
    )


def _content_matches(file, extension: str) -> bool:
    file.seek(0)
    if extension in _ZIP_DOCUMENTS:
        return _zip_matches(file, extension)
    if extension in _OLE_STREAMS:
        # The stream names sit in the file's directory, anywhere in it; the size was checked first.
        return _ole_matches(file.read(settings.DOCUMENT_MAX_UPLOAD_MB * 1024 * 1024), extension)
    kind = filetype.guess(file.read(_SIGNATURE_BYTES))
    return kind is not None and kind.extension in _DETECTED.get(extension, set())


def validate_document_size(file) -> None:
    limit = settings.DOCUMENT_MAX_UPLOAD_MB * 1024 * 1024
    if file.size > limit:
        raise ValidationError(
            # The size as the reader's language writes decimals (1.5 or 1,5).
            _("The file is %(size)s MB; documents may be at most %(limit)d MB.")
            % {"size": number_format(file.size / 1024 / 1024, 1), "limit": settings.DOCUMENT_MAX_UPLOAD_MB},
            code="file_too_large",
        )


def validate_document_content(file) -> None:
    """The file's content must be of an allowed type, the one its extension names.

    A renamed program or web page (`setup.exe` → `scan.pdf`) is refused. Files already stored were
    checked when they were uploaded, so only new uploads are read.
    """
    if getattr(file, "_committed", False):
        return
    if file.size > settings.DOCUMENT_MAX_UPLOAD_MB * 1024 * 1024:
        return  # validate_document_size refuses it, without this check reading it.
    extension = _extension(file.name)
    if extension not in ALLOWED_DOCUMENT_EXTENSIONS:
        return  # FileExtensionValidator gives the message.
    handle = getattr(file, "file", file)
    try:
        matches = _content_matches(handle, extension)
    finally:
        handle.seek(0)
    if not matches:
        raise ValidationError(
            _(
                "The file's content is not a %(type)s document, as its name says. "
                "Upload PDF, Word, Excel, OpenDocument, RTF, PNG or JPEG files with their usual extension."
            ),
            params={"type": extension.upper()},
            code="content_mismatch",
        )
