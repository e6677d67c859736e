"""Reading an uploaded CSV or XLSX file as a header and a stream of rows of text, refusing what it is not.

Rows are streamed (csv reader over a decoding stream, openpyxl in read-only mode), so a large file
is never held whole in memory. Every refusal is an ImportFileError whose message says what is wrong.
"""

import codecs
import csv
import datetime
import io
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import BinaryIO

import filetype
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# Enough of the file to tell its encoding and delimiter.
_SAMPLE_BYTES = 64 * 1024
_XLSX_MAGIC = b"PK\x03\x04"
# Our exports (common/exports.py) put an apostrophe before text a spreadsheet would run as a formula;
# reading such a file back takes it off again, so an export re-imports unchanged.
_FORMULA_PREFIXES = ("=", "+", "-", "@")


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message is for the person who uploaded it."""


@dataclass
class Table:
    header: list[str]
    # (line number in the file, the row's cells as text); line 1 is the header.
    rows: Iterator[tuple[int, list[str]]]


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float | Decimal) and value == int(value):
        return str(int(value))
    text = str(value).strip()
    if text.startswith("'") and text[1:2] in _FORMULA_PREFIXES:
        return text[1:]
    return text


def _looks_cp1251(sample: bytes) -> bool:
    """Whether bytes that are not UTF-8 read as Russian text in Windows-1251 (Excel's "CSV" on Russian Windows)."""
    try:
        text = sample.decode("cp1251")
    except UnicodeDecodeError:
        return False
    foreign = [char for char in text if ord(char) > 127]
    if not foreign:
        return False
    cyrillic = sum(1 for char in foreign if "CYRILLIC" in unicodedata.name(char, "") or char in "№«»—–")
    return cyrillic / len(foreign) >= 0.9


def _csv_encoding(sample: bytes, complete: bool) -> str:
    try:
        codecs.getincrementaldecoder("utf-8-sig")().decode(sample, final=complete)
    except UnicodeDecodeError:
        if _looks_cp1251(sample):
            return "cp1251"
        raise ImportFileError(
            _("The file is not UTF-8 text (broken or unknown encoding). Save it as “CSV UTF-8” and upload it again.")
        ) from None
    return "utf-8-sig"


def _read_csv(stream: BinaryIO, size: int) -> Table:
    sample = stream.read(_SAMPLE_BYTES)
    if b"\x00" in sample:
        raise ImportFileError(_("The file is not a CSV text file (it contains binary data)."))
    encoding = _csv_encoding(sample, complete=size <= _SAMPLE_BYTES)
    first_line = sample.decode(encoding, errors="replace").splitlines()[0] if sample.strip() else ""
    # Excel writes ";" in locales where "," is the decimal separator (Russian among them).
    delimiter = max(",;\t", key=first_line.count)
    stream.seek(0)
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    reader = csv.reader(text, delimiter=delimiter)
    try:
        header = next(reader, None)
    except (UnicodeDecodeError, csv.Error) as error:
        raise ImportFileError(_("The header row cannot be read: %(error)s") % {"error": error}) from None
    if not header or not any(cell.strip() for cell in header):
        raise ImportFileError(_("The file is empty: it has no header row."))

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for row in reader:
                yield reader.line_num, [_cell_text(cell) for cell in row]
        except UnicodeDecodeError:
            raise ImportFileError(
                _("The file's encoding breaks after line %(line)s: save it as “CSV UTF-8” and upload it again.")
                % {"line": reader.line_num}
            ) from None
        except csv.Error as error:
            raise ImportFileError(
                _("Line %(line)s is not valid CSV: %(error)s") % {"line": reader.line_num, "error": error}
            ) from None

    return Table([_cell_text(cell) for cell in header], rows())


def _read_xlsx(stream: BinaryIO) -> Table:
    import openpyxl  # imported here: only uploads of spreadsheets need it

    try:
        workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        cells = sheet.iter_rows(values_only=True)
        header = next(cells, None)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, IndexError, TypeError) as error:
        raise ImportFileError(
            _("The file is not a readable Excel workbook (.xlsx): %(error)s") % {"error": error}
        ) from None
    if not header or not any(cell not in (None, "") for cell in header):
        raise ImportFileError(_("The file is empty: it has no header row."))

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for line, row in enumerate(cells, start=2):
                yield line, [_cell_text(cell) for cell in row]
        finally:
            workbook.close()

    return Table([_cell_text(cell) for cell in header], rows())


def read_table(stream: BinaryIO, filename: str, size: int) -> Table:
    """The file's first sheet (XLSX) or its rows (CSV), by what the content is, not by its name."""
    if size == 0:
        raise ImportFileError(_("The file is empty."))
    if size > MAX_UPLOAD_BYTES:
        raise ImportFileError(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {"size": round(size / 1024 / 1024, 1), "limit": MAX_UPLOAD_BYTES // 1024 // 1024}
        )
    head = stream.read(262)
    stream.seek(0)
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if head.startswith(_XLSX_MAGIC):
        return _read_xlsx(stream)
    if extension == "xlsx":
        raise ImportFileError(_("The file is named .xlsx but is not an Excel workbook."))
    kind = filetype.guess(head)
    if kind is not None:
        raise ImportFileError(
            _("The file is a %(type)s file, not a CSV or XLSX spreadsheet.") % {"type": kind.extension.upper()}
        )
    return _read_csv(stream, size)
