"""Reading an uploaded CSV or XLSX file as a header and a stream of rows of text, refusing what it is not.

Rows are streamed (csv reader over a decoding stream, openpyxl in read-only mode), so a large file
is never held whole in memory, and bounded: an XLSX whose parts would unpack to more than
IMPORT_MAX_UNPACKED_MB is refused before it is opened, and reading stops after IMPORT_MAX_ROWS rows
or IMPORT_MAX_COLUMNS cells in a row. Every refusal, whatever the bytes, is an ImportFileError whose
message says what is wrong and where (line and column).
"""

import codecs
import csv
import datetime
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import BinaryIO

import filetype
from django.conf import settings
from django.utils.translation import gettext as _

# More columns than any importer has, by far; a row wider than this is not one of our tables.
MAX_COLUMNS = 200
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


def _checked(line: int, cells: list[str]) -> list[str]:
    """The row's cells, refused when too many or when one holds a NUL (which the database cannot store)."""
    if len(cells) > MAX_COLUMNS:
        raise ImportFileError(
            _("Line %(line)s has %(count)s cells; a table to import has at most %(limit)s columns.")
            % {"line": line, "count": len(cells), "limit": MAX_COLUMNS}
        )
    for column, cell in enumerate(cells, start=1):
        if "\x00" in cell:
            raise ImportFileError(
                _("Line %(line)s, column %(column)s holds a NUL character (binary data); remove it and upload again.")
                % {"line": line, "column": column}
            )
    return cells


def _row_limit_error() -> ImportFileError:
    return ImportFileError(
        _("The file has more than %(limit)s rows; split it into smaller files and import them one by one.")
        % {"limit": settings.IMPORT_MAX_ROWS}
    )


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
    header = _checked(1, [_cell_text(cell) for cell in header])

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for count, row in enumerate(reader, start=1):
                if count > settings.IMPORT_MAX_ROWS:
                    raise _row_limit_error()
                yield reader.line_num, _checked(reader.line_num, [_cell_text(cell) for cell in row])
        except UnicodeDecodeError:
            raise ImportFileError(
                _("The file's encoding breaks after line %(line)s: save it as “CSV UTF-8” and upload it again.")
                % {"line": reader.line_num}
            ) from None
        except csv.Error as error:
            raise ImportFileError(
                _("Line %(line)s is not valid CSV: %(error)s") % {"line": reader.line_num, "error": error}
            ) from None

    return Table(header, rows())


# A sheet's declared size, <dimension ref="A1:K1200"/>, comes before its rows.
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Z]*\d*(?::([A-Z]+)(\d+))?"')
_SHEET_DATA = re.compile(rb"<(?:\w+:)?sheetData[\s>/]")
# Enough of a sheet's XML to reach its rows: the properties, views and column widths before them.
_SHEET_HEAD_BYTES = 1024 * 1024


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - ord("A") + 1
    return number


_ROW = re.compile(rb"<(?:\w+:)?row[\s>/]")


def _counted_rows(sheet: BinaryIO, head: bytes) -> int:
    """How many rows a sheet's XML holds, counted in a streamed pass (no parsing, little memory)."""
    count, tail, chunk = 0, b"", head
    while chunk:
        data = tail + chunk
        count += len(_ROW.findall(data))
        # A tag cut at the chunk's end is counted with the next chunk; one counted already is not kept.
        cut = data.rfind(b"<", max(0, len(data) - 16))
        tail = data[cut:] if cut != -1 and not _ROW.match(data, cut) else b""
        if tail:
            count -= len(_ROW.findall(tail))
        chunk = sheet.read(_SHEET_HEAD_BYTES)
    return count


def _sheet_size_error(sheet: BinaryIO) -> ImportFileError | None:
    """Refuses a sheet with more rows or columns than are imported, before openpyxl opens it.

    openpyxl sizes every sheet when it opens a workbook; a sheet that does not declare its size
    (<dimension ref="A1:K1200"/>, as streaming writers omit it) is parsed whole for that, holding
    every row (a million rows: minutes and gigabytes). So such a sheet's rows are counted first,
    cheaply; a declared size is trusted, as openpyxl stops reading where it says.
    """
    head = sheet.read(_SHEET_HEAD_BYTES)
    end = _SHEET_DATA.search(head)
    match = _DIMENSION.search(head, 0, end.start() if end else len(head))
    if match is None:
        rows, columns = _counted_rows(sheet, head), 0
    elif match.group(2) is None:
        return None  # a single cell, "A1"
    else:
        rows, columns = int(match.group(2)), _column_number(match.group(1))
    if rows > settings.IMPORT_MAX_ROWS + 1:
        return _row_limit_error()
    if columns > MAX_COLUMNS:
        return ImportFileError(
            _("The sheet has %(count)s columns; a table to import has at most %(limit)s.")
            % {"count": columns, "limit": MAX_COLUMNS}
        )
    return None


def _workbook_error(stream: BinaryIO) -> ImportFileError | None:
    """Refuses a workbook that would cost more to read than the limits allow, before openpyxl opens it.

    Python's zipfile stops a part at the size the archive's directory declares (and fails on a
    wrong checksum), so the declared sizes bound what unpacking can cost, whatever the bytes say.
    """
    limit = settings.IMPORT_MAX_UNPACKED_MB * 1024 * 1024
    try:
        with zipfile.ZipFile(stream) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            if unpacked > limit:
                return ImportFileError(
                    _(
                        "The workbook unpacks to %(size)s MB, over the limit of %(limit)s MB; "
                        "split it into smaller files."
                    )
                    % {"size": unpacked // 1024 // 1024, "limit": settings.IMPORT_MAX_UNPACKED_MB}
                )
            for name in archive.namelist():
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    with archive.open(name) as sheet:
                        if error := _sheet_size_error(sheet):
                            return error
    except Exception as error:  # noqa: BLE001 (zipfile fails on untrusted bytes in many ways; all mean "unreadable")
        return _unreadable(error)
    finally:
        stream.seek(0)
    return None


def _unreadable(error: Exception, line: int | None = None) -> ImportFileError:
    # The XML parser tells where in the sheet's XML it stopped; the person needs the row.
    where = _(" (after line %(line)s)") % {"line": line} if line else ""
    return ImportFileError(
        _("The file is not a readable Excel workbook (.xlsx)%(where)s: %(error)s")
        % {"where": where, "error": str(error) or error.__class__.__name__}
    )


def _read_xlsx(stream: BinaryIO) -> Table:
    import openpyxl  # imported here: only uploads of spreadsheets need it

    if error := _workbook_error(stream):
        raise error
    # openpyxl and the XML parser under it fail on broken input with many kinds of exception (a
    # truncated part, an invalid character reference, a NUL); whichever it is, the file is unreadable.
    try:
        workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        cells = sheet.iter_rows(values_only=True)
        header = next(cells, None)
    except Exception as error:  # noqa: BLE001 (see above)
        raise _unreadable(error) from None
    if not header or not any(cell not in (None, "") for cell in header):
        workbook.close()
        raise ImportFileError(_("The file is empty: it has no header row."))
    header = _checked(1, [_cell_text(cell) for cell in header])

    def rows() -> Iterator[tuple[int, list[str]]]:
        line = 1
        try:
            while True:
                try:
                    row = next(cells, None)
                except Exception as error:  # noqa: BLE001 (see above)
                    raise _unreadable(error, line) from None
                if row is None:
                    return
                line += 1
                if line > settings.IMPORT_MAX_ROWS + 1:
                    raise _row_limit_error()
                yield line, _checked(line, [_cell_text(cell) for cell in row])
        finally:
            workbook.close()

    return Table(header, rows())


def read_table(stream: BinaryIO, filename: str, size: int) -> Table:
    """The file's first sheet (XLSX) or its rows (CSV), by what the content is, not by its name."""
    if size == 0:
        raise ImportFileError(_("The file is empty."))
    if size > settings.IMPORT_MAX_UPLOAD_MB * 1024 * 1024:
        raise ImportFileError(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {"size": round(size / 1024 / 1024, 1), "limit": settings.IMPORT_MAX_UPLOAD_MB}
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
