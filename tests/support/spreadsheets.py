"""Building CSV and XLSX files in memory for the import and export tests (helpers only, no tests)."""

import csv
import io
import zipfile

import openpyxl


def csv_bytes(rows: list[list], *, encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_rows(content: bytes) -> list[list]:
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


SHEET = "xl/worksheets/sheet1.xml"
_SHEET_START = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
_SHEET_END = b"</sheetData></worksheet>"


def xlsx_with_sheet_xml(chunks) -> bytes:
    """A real workbook whose first sheet's XML is `chunks` (bytes, streamed into the archive): for
    workbooks no spreadsheet program would write, e.g. a million rows or broken XML."""
    template = zipfile.ZipFile(io.BytesIO(xlsx_bytes([["x"]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in template.infolist():
            if info.filename != SHEET:
                archive.writestr(info.filename, template.read(info.filename))
        with archive.open(SHEET, "w", force_zip64=True) as sheet:
            for chunk in chunks:
                sheet.write(chunk)
    return buffer.getvalue()


def sheet_start(dimension: str | None) -> bytes:
    """The opening of a sheet's XML up to its rows, declaring `dimension` (e.g. "A1:C10") if given."""
    declared = f'<dimension ref="{dimension}"/>'.encode() if dimension else b""
    return _SHEET_START.replace(b"<sheetData>", declared + b"<sheetData>")


def sheet_rows_xml(rows) -> bytes:
    """The sheet XML of `rows` of text cells (inline strings), for xlsx_with_sheet_xml."""
    width = max(len(row) for row in rows)
    parts = [sheet_start(f"A1:{openpyxl.utils.get_column_letter(width)}{len(rows)}")]
    for number, row in enumerate(rows, start=1):
        cells = "".join(f'<c t="inlineStr"><is><t>{value}</t></is></c>' for value in row)
        parts.append(f'<row r="{number}">{cells}</row>'.encode())
    parts.append(_SHEET_END)
    return b"".join(parts)
