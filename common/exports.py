"""CSV downloads of the portal's lists."""

import csv
from collections.abc import Iterable, Sequence

from django.http import StreamingHttpResponse

# Spreadsheets run a cell that starts with one of these as a formula; exported text must not.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    def write(self, value: str) -> str:
        return value


def spreadsheet_text(value) -> str:
    """The text of a cell, defused so that a spreadsheet never runs it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_PREFIXES) else text


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> StreamingHttpResponse:
    """Streams rows as UTF-8 CSV with a byte order mark, so Excel reads Cyrillic correctly."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff" + writer.writerow([str(column) for column in header])
        for row in rows:
            yield writer.writerow([spreadsheet_text(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
