"""Press releases read from real .txt, .docx, .pdf and .html files: the text a user gets, or why not."""

import codecs
import copy
import io
import struct
import zipfile
import zlib

import docx
import pytest
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from extraction.readers import MAX_TEXT_CHARS, MAX_UPLOAD_BYTES, UnreadableDocument, clean_text, read_document

DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
RUSSIAN = "Технополис «Эра» и АО «Ромашка» подписали соглашение о сотрудничестве — 12 марта 2025 года."
FRENCH = "Le technopôle signe un accord avec la société Crème Brûlée à Genève, près du lac."


def refusal(filename: str, data: bytes) -> UnreadableDocument:
    with pytest.raises(UnreadableDocument) as refused:
        read_document(filename, data)
    return refused.value


# Files built as their programs write them ---------------------------------------------------------


def png(width: int = 8, height: int = 8) -> bytes:
    """A grey RGB PNG, written by hand (no imaging library needed)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    rows = b"".join(b"\x00" + b"\x80\x80\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def word_file(build) -> bytes:
    document = docx.Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_file(*pages: list[str], draw=None, encrypt=None) -> bytes:
    """A PDF with a page per list of lines, in DejaVu Sans (it has the Cyrillic letters)."""
    pdfmetrics.registerFont(TTFont("DejaVuSans", DEJAVU))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, encrypt=encrypt)
    for lines in pages:
        pdf.setFont("DejaVuSans", 11)
        for number, line in enumerate(lines):
            pdf.drawString(50, 780 - 16 * number, line)
        if draw:
            draw(pdf)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def rewritten_zip(data: bytes, *, leave_out: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            if member.filename != leave_out:
                target.writestr(member, source.read(member))
    return buffer.getvalue()


# What every format shares -------------------------------------------------------------------------


@pytest.mark.parametrize("filename", ["release.txt", "release.docx", "release.pdf", "release.html"])
def test_an_empty_file_is_empty_whatever_its_kind(filename):
    assert refusal(filename, b"").code == "empty"


@pytest.mark.parametrize("filename", ["release.doc", "release.rtf", "release.odt", "setup.exe", "release", "release."])
def test_a_file_of_another_kind_is_refused_by_its_name(filename):
    error = refusal(filename, b"Technopolis signs an agreement")
    assert error.code == "unsupported_type"
    assert error.detail  # the extension, or that there is none


@pytest.mark.parametrize("filename", ["RELEASE.TXT", "Release.Txt", "C:\\Users\\anna\\Desktop\\release.txt"])
def test_the_extension_is_read_in_any_case_and_from_a_windows_path(filename):
    assert read_document(filename, RUSSIAN.encode()) == RUSSIAN


@pytest.mark.parametrize("filename", ["release.txt", "release.exe"])
def test_a_file_over_the_upload_limit_is_too_large_before_anything_else(filename):
    error = refusal(filename, b"a" * (5 * 1024 * 1024))
    assert error.code == "too_large"
    assert "5242880" in error.detail


def test_the_text_may_be_as_long_as_the_limit_and_no_longer():
    assert len(read_document("long.txt", ("а" * MAX_TEXT_CHARS).encode())) == MAX_TEXT_CHARS
    assert refusal("long.txt", ("а" * (MAX_TEXT_CHARS + 1)).encode()).code == "too_long"


def test_the_length_limit_counts_the_cleaned_text():
    # Padding that cleaning removes does not count against the limit.
    padded = "Соглашение подписано." + " " * (MAX_TEXT_CHARS * 2) + "\n" * MAX_TEXT_CHARS
    assert read_document("padded.txt", padded.encode()) == "Соглашение подписано."


def test_the_refusal_is_a_value_error_with_a_stable_code_and_detail():
    error = UnreadableDocument("unsupported_type", ".exe")
    assert isinstance(error, ValueError)
    assert (error.code, error.detail, str(error)) == ("unsupported_type", ".exe", "unsupported_type: .exe")
    copied = copy.deepcopy(error)  # as a cache or a task queue copies it
    assert (copied.code, copied.detail) == ("unsupported_type", ".exe")
    with pytest.raises(ValueError, match="unknown"):
        UnreadableDocument("broken")


# Plain text --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        RUSSIAN.encode("utf-8"),
        codecs.BOM_UTF8 + RUSSIAN.encode("utf-8"),
        codecs.BOM_UTF16_LE + RUSSIAN.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + RUSSIAN.encode("utf-16-be"),
        RUSSIAN.encode("cp1251"),
    ],
    ids=["utf-8", "utf-8 with BOM", "utf-16 LE", "utf-16 BE", "windows-1251"],
)
def test_a_russian_text_file_comes_out_intact_in_each_encoding_word_and_notepad_save(data):
    assert read_document("release.txt", data) == RUSSIAN


def test_a_text_in_a_western_windows_encoding_is_not_taken_for_russian():
    # In Windows-1251 these bytes would decode, as Cyrillic gibberish among Latin words.
    error = refusal("release.txt", FRENCH.encode("cp1252"))
    assert error.code == "encoding"


@pytest.mark.parametrize(
    "data",
    [b"Technopolis\x00signs", RUSSIAN.encode("utf-16-le"), png()],
    ids=["NUL bytes", "UTF-16 without BOM", "a picture named .txt"],
)
def test_binary_bytes_in_a_text_file_are_an_encoding_problem(data):
    assert refusal("release.txt", data).code == "encoding"


def test_a_text_file_of_spaces_and_blank_lines_is_empty():
    assert refusal("release.txt", b" \r\n\t\n\xc2\xa0\n\n").code == "empty"


def test_a_text_file_is_cleaned():
    data = "\ufeffЗаголовок  \r\n\r\n\r\n\r\nПервый\u00a0абзац.\x07\r\nВторой\tабзац.\r\n".encode()
    assert read_document("release.txt", data) == "Заголовок\n\nПервый абзац.\nВторой абзац."


# Word --------------------------------------------------------------------------------------------


def test_a_word_file_gives_its_paragraphs_and_table_cells_in_order():
    def build(document):
        document.add_heading("Соглашение о сотрудничестве", level=1)
        document.add_paragraph(RUSSIAN)
        table = document.add_table(rows=2, cols=2)
        for (row, column), text in {
            (0, 0): "Сторона",
            (0, 1): "Роль",
            (1, 0): "АО «Ромашка»",
            (1, 1): "Резидент",
        }.items():
            table.cell(row, column).text = text
        document.add_paragraph("Срок действия — 3 года.")

    text = read_document("release.docx", word_file(build))
    assert text == "\n".join(
        [
            "Соглашение о сотрудничестве",
            RUSSIAN,
            "Сторона",
            "Роль",
            "АО «Ромашка»",
            "Резидент",
            "Срок действия — 3 года.",
        ]
    )


def test_a_merged_table_cell_is_read_once():
    def build(document):
        table = document.add_table(rows=2, cols=2)
        merged = table.cell(0, 0).merge(table.cell(0, 1))
        merged.text = "Стороны соглашения"
        table.cell(1, 0).text = "Эра"
        table.cell(1, 1).text = "Ромашка"

    text = read_document("release.docx", word_file(build))
    assert text.count("Стороны соглашения") == 1
    assert text.split("\n")[-2:] == ["Эра", "Ромашка"]


def test_a_word_file_with_tracked_changes_gives_the_text_as_accepted():
    def build(document):
        paragraph = document.add_paragraph("Соглашение подписано ")
        for wrapper, tag, words in (("w:del", "w:delText", "11 марта"), ("w:ins", "w:t", "12 марта")):
            change, run, text = OxmlElement(wrapper), OxmlElement("w:r"), OxmlElement(tag)
            change.set(qn("w:id"), "1" if wrapper == "w:del" else "2")
            change.set(qn("w:author"), "Редактор")
            text.text = words
            run.append(text)
            change.append(run)
            paragraph._p.append(change)

    assert read_document("release.docx", word_file(build)) == "Соглашение подписано 12 марта"


TEXT_BOX = (
    '<w:r {w} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
    ' xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
    ' xmlns:v="urn:schemas-microsoft-com:vml"><mc:AlternateContent>'
    '<mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>'
    "<w:p><w:r><w:t>Цитата в рамке</w:t></w:r></w:p></w:txbxContent></wps:txbx></w:drawing></mc:Choice>"
    "<mc:Fallback><w:pict><v:textbox><w:txbxContent>"
    "<w:p><w:r><w:t>Цитата в рамке</w:t></w:r></w:p></w:txbxContent></v:textbox></w:pict></mc:Fallback>"
    "</mc:AlternateContent></w:r>"
)


def test_a_text_box_is_read_once_on_its_own_line():
    def build(document):
        paragraph = document.add_paragraph("До рамки. ")
        paragraph._p.append(parse_xml(TEXT_BOX.format(w=nsdecls("w"))))
        paragraph.add_run("После рамки.")

    assert read_document("release.docx", word_file(build)) == "До рамки. После рамки.\nЦитата в рамке"


def test_a_word_file_without_text_is_empty():
    assert refusal("release.docx", word_file(lambda document: document.add_paragraph("   "))).code == "empty"


@pytest.mark.parametrize(
    "data",
    [png(), b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, RUSSIAN.encode()],
    ids=["a picture", "an old .doc", "plain text"],
)
def test_a_file_that_is_not_a_zip_named_docx_is_corrupt(data):
    assert refusal("release.docx", data).code == "corrupt"


def test_a_zip_without_the_word_document_in_it_is_corrupt():
    whole = word_file(lambda document: document.add_paragraph(RUSSIAN))
    error = refusal("release.docx", rewritten_zip(whole, leave_out="word/document.xml"))
    assert error.code == "corrupt"


def test_a_docx_that_unpacks_to_too_much_is_refused_unread():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\x00" * (25 * 1024 * 1024))
    data = buffer.getvalue()
    assert len(data) < MAX_UPLOAD_BYTES  # small as uploaded: only its unpacked size gives it away
    error = refusal("release.docx", data)
    assert error.code == "too_large"
    assert "unpacked" in error.detail


# PDF ---------------------------------------------------------------------------------------------


def test_a_pdf_gives_its_russian_text_intact():
    text = read_document("RELEASE.PDF", pdf_file([RUSSIAN[:48], RUSSIAN[49:]]))
    assert text == f"{RUSSIAN[:48]}\n{RUSSIAN[49:]}"


def test_the_pages_of_a_pdf_are_separated_by_a_blank_line():
    text = read_document("release.pdf", pdf_file(["Первая страница пресс-релиза."], ["Вторая страница пресс-релиза."]))
    assert text == "Первая страница пресс-релиза.\n\nВторая страница пресс-релиза."


@pytest.mark.parametrize(
    "draw",
    [
        lambda pdf: pdf.drawImage(ImageReader(io.BytesIO(png(40, 60))), 50, 300, width=400, height=500),
        lambda pdf: (pdf.rect(50, 300, 400, 500, fill=1), pdf.line(50, 200, 500, 200)),
    ],
    ids=["a scanned page", "text drawn as outlines"],
)
def test_a_pdf_of_images_or_drawings_only_has_no_text_layer(draw):
    assert refusal("scan.pdf", pdf_file([], [], draw=draw)).code == "no_text_layer"


def test_a_page_number_alone_does_not_make_a_text_layer():
    scan = pdf_file(["1"], ["2"], draw=lambda pdf: pdf.drawImage(ImageReader(io.BytesIO(png())), 50, 300))
    assert refusal("scan.pdf", scan).code == "no_text_layer"


def test_a_pdf_locked_with_a_password_is_refused():
    locked = pdf_file([RUSSIAN[:48]], encrypt=StandardEncryption("secret", ownerPassword="owner"))
    error = refusal("release.pdf", locked)
    assert error.code == "corrupt"
    assert "encrypted" in error.detail


def test_a_pdf_restricted_by_its_owner_but_open_to_readers_is_read():
    restricted = pdf_file([RUSSIAN[:48]], encrypt=StandardEncryption("", ownerPassword="owner", canCopy=0))
    assert read_document("release.pdf", restricted) == RUSSIAN[:48]


@pytest.mark.parametrize(
    "data",
    [png(), RUSSIAN.encode(), b"%PDF-1.7\n" + bytes(range(256)) * 8],
    ids=["a picture", "plain text", "a header and garbage"],
)
def test_a_file_that_is_not_a_pdf_named_pdf_is_corrupt(data):
    assert refusal("release.pdf", data).code == "corrupt"


# HTML --------------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html lang="ru">
<head>
  {meta}
  <title>Новости технополиса</title>
  <style>body {{ color: red; }}</style>
  <script>alert(1)</script>
</head>
<body>
  <!-- черновик: не публиковать -->
  <h1>Технополис &laquo;Эра&raquo; и&nbsp;АО &quot;Ромашка&quot;</h1>
  <p>Стороны подписали
     соглашение &mdash; 12&nbsp;марта 2025&nbsp;г.<br>Срок: 3&#160;года &amp; более.</p>
  <ul>
    <li>Первое направление</li>
    <li>Второе направление</li>
  </ul>
  <noscript><p>Включите JavaScript</p></noscript>
  <template><p>Шаблон карточки</p></template>
  <script type="text/javascript">document.write("<p>вставка</p>");</script>
</body>
</html>
"""
PAGE_TEXT = (
    'Технополис «Эра» и АО "Ромашка"\n\n'
    "Стороны подписали соглашение — 12 марта 2025 г.\nСрок: 3 года & более.\n\n"
    "Первое направление\nВторое направление"
)


def test_an_html_page_gives_its_visible_text_in_blocks():
    text = read_document("release.html", PAGE.format(meta='<meta charset="windows-1251">').encode("cp1251"))
    assert text == PAGE_TEXT
    for hidden in ("alert", "color", "Новости", "черновик", "JavaScript", "Шаблон", "вставка"):
        assert hidden not in text


@pytest.mark.parametrize(
    ("meta", "data"),
    [
        ('<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">', lambda page: page.encode("koi8-r")),
        ('<meta charset="utf-8">', lambda page: page.encode("utf-8")),
        ("", lambda page: page.encode("utf-8")),
        ("", lambda page: codecs.BOM_UTF8 + page.encode("utf-8")),
        ("", lambda page: page.encode("utf-16")),
        ("", lambda page: page.encode("cp1251")),
        ('<meta charset="utf-8">', lambda page: page.encode("cp1251")),
    ],
    ids=["koi8-r declared", "utf-8 declared", "utf-8", "utf-8 BOM", "utf-16 BOM", "windows-1251", "declared wrongly"],
)
def test_an_html_page_is_decoded_by_its_bom_or_declaration_or_a_guess(meta, data):
    assert read_document("release.htm", data(PAGE.format(meta=meta))) == PAGE_TEXT


def test_an_html_page_in_a_western_encoding_without_declaration_is_an_encoding_problem():
    page = f"<html><body><p>{FRENCH}</p></body></html>"
    assert refusal("release.html", page.encode("cp1252")).code == "encoding"
    assert (
        read_document("release.html", page.replace("<html>", '<html><meta charset="windows-1252">').encode("cp1252"))
        == FRENCH
    )


def test_an_html_page_with_only_scripts_is_empty():
    assert (
        refusal("release.html", b"<html><head><title>x</title></head><script>alert(1)</script></html>").code == "empty"
    )


def test_table_cells_and_line_breaks_in_html():
    page = "<table><tr><td>Сторона</td><td>Эра</td></tr><tr><td>Срок</td><td>3 года</td></tr></table>Итог<br><br>Конец"
    assert read_document("release.html", page.encode()) == "Сторона Эра\nСрок 3 года\n\nИтог\n\nКонец"


# Cleaning ----------------------------------------------------------------------------------------


def test_cleaning_normalises_newlines_spaces_and_control_characters():
    raw = "Строка один\r\nСтрока\u00a0два\u202f\u2003\rСтрока\tтри\x0cСтрока\x07 че\u00adты\u200bре"
    assert clean_text(raw) == "Строка один\nСтрока два\nСтрока три\nСтрока четыре"


def test_cleaning_strips_line_ends_and_keeps_one_blank_line_at_most():
    assert clean_text("\n\n  Заголовок   \n\n\n\n\nТекст  \n\nКонец\n\n") == "Заголовок\n\nТекст\n\nКонец"


def test_cleaning_keeps_quotes_and_dashes_and_composes_letters():
    typographic = '«Эра» — “Ромашка” – „Лес“ ‘x’ 2020–2025 ООО "Поле"'
    assert clean_text(typographic) == typographic
    assert clean_text("Подписи\u0306") == "Подписй"


def test_cleaning_twice_changes_nothing():
    once = clean_text(" a\u00a0\r\n\r\n\r\nb\t\x00c \n")
    assert clean_text(once) == once == "a\n\nb c"


@pytest.mark.parametrize(
    "page",
    [
        "<html><head><title>Новости</title><meta charset=utf-8><p>Текст релиза</p>",
        "<head><title>Новости</title>Текст релиза",
        "<title>Новости</title><body>Текст релиза</body>",
    ],
    ids=["a paragraph in the head", "text in the head", "no head"],
)
def test_a_page_whose_head_is_never_closed_gives_its_body_without_the_title(page):
    assert read_document("release.html", page.encode()) == "Текст релиза"
