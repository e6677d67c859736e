"""What an uploaded spreadsheet may cost: bounded rows, cells and unpacked bytes, and a clear message
(with line and column) for every malformed file, never a server error."""

import contextlib
import io
import tracemalloc
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from agreements.validators import validate_document_content
from exchange.formats import ImportFileError, read_table
from exchange.services import import_preview
from parks.models import Membership
from residents.models import ResidentCompany
from tests import factories
from tests.support.spreadsheets import csv_bytes, sheet_rows_xml, sheet_start, xlsx_bytes, xlsx_with_sheet_xml

MB = 1024 * 1024


def _read_all(content: bytes, filename: str) -> list:
    table = read_table(io.BytesIO(content), filename, len(content))
    return [table.header, *table.rows]


def _error(content: bytes, filename: str = "file.xlsx") -> str:
    with pytest.raises(ImportFileError) as refused:
        _read_all(content, filename)
    return str(refused.value)


def _peak_while(action) -> tuple[int, object]:
    """Peak Python memory (bytes) allocated while `action` runs, and what it returned or raised."""
    tracemalloc.start()
    try:
        try:
            outcome = action()
        except ImportFileError as error:
            outcome = error
        return tracemalloc.get_traced_memory()[1], outcome
    finally:
        tracemalloc.stop()


def _million_rows(dimension: str | None):
    yield sheet_start(dimension)
    yield b'<row r="1"><c t="inlineStr"><is><t>INN</t></is></c></row>'
    for start in range(2, 1_000_002, 10_000):
        yield b"".join(b'<row r="%d"><c t="n"><v>1</v></c></row>' % number for number in range(start, start + 10_000))
    yield b"</sheetData></worksheet>"


@pytest.mark.parametrize(
    "dimension, message",
    [
        (
            "A1:A1000001",
            "The file has more than 50000 rows; split it into smaller files and import them one by one.",
        ),
        (None, "The file has more than 50000 rows; split it into smaller files and import them one by one."),
    ],
    ids=["declared", "undeclared"],
)
def test_a_workbook_of_a_million_rows_is_refused_before_its_rows_are_read(dimension, message):
    bomb = xlsx_with_sheet_xml(_million_rows(dimension))
    assert len(bomb) < 3 * MB  # a small upload, a sheet of 40 MB

    peak, outcome = _peak_while(lambda: _read_all(bomb, "rows.xlsx"))

    assert str(outcome) == message
    assert peak < 8 * MB, f"peak {peak / MB:.1f} MB"


def test_a_workbook_that_understates_its_size_is_read_only_as_far_as_it_says():
    bomb = xlsx_with_sheet_xml(_million_rows("A1:A3"))

    peak, rows = _peak_while(lambda: _read_all(bomb, "rows.xlsx"))

    assert rows == [["INN"], (2, ["1"]), (3, ["1"])]
    assert peak < 8 * MB, f"peak {peak / MB:.1f} MB"


def test_a_csv_stops_at_the_row_limit(settings):
    settings.IMPORT_MAX_ROWS = 1000
    content = b"INN,Name\n" + b"1,x\n" * 5000

    assert _error(content, "rows.csv") == (
        "The file has more than 1000 rows; split it into smaller files and import them one by one."
    )


def test_a_workbook_that_unpacks_past_the_limit_is_refused_before_it_is_read(settings):
    settings.IMPORT_MAX_UNPACKED_MB = 8
    filler = (b" " * MB for _ in range(12))
    bomb = xlsx_with_sheet_xml([sheet_start("A1:A1"), *filler, b"</sheetData></worksheet>"])

    peak, outcome = _peak_while(lambda: _read_all(bomb, "bomb.xlsx"))

    assert str(outcome) == "The workbook unpacks to 12 MB, over the limit of 8 MB; split it into smaller files."
    assert peak < 2 * MB, f"peak {peak / MB:.1f} MB"


def test_an_open_document_bomb_is_refused_without_being_unpacked(settings):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive, archive.open("mimetype", "w") as part:
        for _ in range(100):
            part.write(b"a" * MB)
    upload = SimpleUploadedFile("minutes.odt", buffer.getvalue())
    assert upload.size < MB

    def check():
        with pytest.raises(ValidationError) as refused:
            validate_document_content(upload)
        return refused.value

    peak, refusal = _peak_while(check)

    assert "The file's content is not a ODT document" in refusal.messages[0]
    assert peak < 2 * MB, f"peak {peak / MB:.1f} MB"


@pytest.mark.parametrize(
    "sheet, fragment",
    [
        (sheet_start("A1:A1") + b"<row r='1'><c t='inlineStr'><is><t>a\x00b</t></is></c></row>", "not well-formed"),
        (sheet_rows_xml([["INN"], ["&#0;"]]), "reference to invalid character number"),
        (sheet_rows_xml([["INN"], ["1"]])[:-30], "no element found"),
    ],
    ids=["raw NUL", "character reference to NUL", "truncated XML"],
)
def test_malformed_workbook_xml_is_a_clear_file_error(sheet, fragment):
    message = _error(xlsx_with_sheet_xml([sheet]))

    assert message.startswith("The file is not a readable Excel workbook (.xlsx)")
    assert fragment in message


def test_a_workbook_broken_far_down_says_after_which_line_it_broke():
    rows = [["INN"]] + [[str(number)] for number in range(5000)] + [["&#0;"]]

    message = _error(xlsx_with_sheet_xml([sheet_rows_xml(rows)]))

    # The parser reads ahead, so the rows up to the line named are known to be sound.
    line = int(message.split("(after line ")[1].split(")")[0])
    assert 1000 < line <= 5001, message


def test_a_truncated_workbook_is_a_clear_file_error():
    workbook = xlsx_bytes([["INN", "Name"], ["1", "x"]])

    assert _error(workbook[: len(workbook) // 2]).startswith("The file is not a readable Excel workbook (.xlsx)")


def test_a_nul_in_a_csv_value_past_the_first_64_kb_names_its_line_and_column():
    rows = [["INN", "Name", "Park"]] + [["1655000001", "Sintez", "Himgrad"]] * 3000 + [["1655000002", "Bad\x00", "H"]]

    message = _error(csv_bytes(rows), "companies.csv")

    assert message == "Line 3002, column 2 holds a NUL character (binary data); remove it and upload again."


def test_a_nul_early_marks_the_file_binary_and_a_later_one_in_a_key_names_its_cell():
    assert _error(b"INN,Name\x00,Park\n1,2,3\n", "companies.csv") == (
        "The file is not a CSV text file (it contains binary data)."
    )
    key_later = b"INN,Name,Park\n" + b"1,2,3\n" * 12_000 + b"16550\x0000001,Name,Park\n"
    assert _error(key_later, "companies.csv") == (
        "Line 12002, column 1 holds a NUL character (binary data); remove it and upload again."
    )


@pytest.mark.django_db
def test_a_nul_in_a_value_is_refused_at_preview_and_nothing_can_be_confirmed(client, media_root):
    park = factories.TechnopolisFactory(name="Himgrad")
    client.force_login(factories.member(park, Membership.Role.EDITOR))
    content = (
        csv_bytes([["INN", "Name", "Park"]] + [["1655000001", "Sintez", "Himgrad"]] * 4000)
        + b"1655000002,A\x00,Himgrad\n"
    )

    response = client.post(
        reverse("exchange:import"), {"kind": "companies", "file": SimpleUploadedFile("c.csv", content)}
    )

    assert response.status_code == 200
    assert "Line 4002, column 2 holds a NUL character" in response.content.decode()
    assert "Confirm and import" not in response.content.decode()
    assert list(media_root.glob("**/*.upload")) == []
    assert not ResidentCompany.objects.exists()


# Any bytes at all, named either way, as CSV or as the start of a workbook: the readers answer with
# rows or with an ImportFileError, never with another exception.
_WORKBOOK = xlsx_bytes([["INN", "Name", "Park"], ["1655000001", "Sintez", "Himgrad"]])


@hypothesis_settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(content=st.binary(min_size=1, max_size=4096), filename=st.sampled_from(["f.csv", "f.xlsx", "f"]))
def test_no_bytes_make_the_readers_fail_other_than_with_a_file_error(content, filename):
    with contextlib.suppress(ImportFileError):
        _read_all(content, filename)


@hypothesis_settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(position=st.integers(0, len(_WORKBOOK) - 1), replacement=st.binary(min_size=1, max_size=16))
def test_no_corruption_of_a_workbook_makes_the_reader_fail_other_than_with_a_file_error(position, replacement):
    corrupted = _WORKBOOK[:position] + replacement + _WORKBOOK[position + len(replacement) :]
    with contextlib.suppress(ImportFileError):
        _read_all(corrupted, "f.xlsx")


@hypothesis_settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cell=st.text(max_size=40))
def test_no_text_in_a_sheet_cell_makes_the_reader_fail_other_than_with_a_file_error(cell):
    escaped = cell.replace("&", "&amp;").replace("<", "&lt;")
    with contextlib.suppress(ImportFileError):
        _read_all(xlsx_with_sheet_xml([sheet_rows_xml([["INN"], [escaped]])]), "f.xlsx")


@pytest.mark.django_db
def test_the_preview_of_a_malformed_workbook_is_a_page_with_the_message(client, media_root):
    park = factories.TechnopolisFactory(name="Himgrad")
    user = factories.member(park, Membership.Role.EDITOR)
    path = media_root / "broken.xlsx"
    path.write_bytes(xlsx_with_sheet_xml([sheet_rows_xml([["INN", "Name", "Park"], ["&#0;", "x", "Himgrad"]])]))

    report = import_preview(user=user, kind="companies", path=path, filename=path.name)

    assert len(report.file_errors) == 1
    assert report.file_errors[0].startswith("The file is not a readable Excel workbook (.xlsx)")
    assert "reference to invalid character number" in report.file_errors[0]


@pytest.mark.parametrize("rows, refused", [(3000, False), (3001, True)])
def test_the_rows_of_an_undeclared_sheet_are_counted_exactly_across_chunks(settings, rows, refused):
    settings.IMPORT_MAX_ROWS = 2999  # and the header
    padding = "x" * 997  # rows of about 1 KB: the count crosses the reader's 1 MB chunks
    sheet = sheet_rows_xml([["INN"]] + [[padding]] * (rows - 1))
    undeclared = sheet.replace(sheet[sheet.index(b"<dimension") : sheet.index(b"<sheetData")], b"")

    if refused:
        assert _error(xlsx_with_sheet_xml([undeclared])).startswith("The file has more than 2999 rows")
    else:
        assert len(_read_all(xlsx_with_sheet_xml([undeclared]), "f.xlsx")) == rows
