"""Press releases as plain text: .txt, .docx, .pdf and .html files read into one cleaned string.

    text = read_document("release.docx", data)   # str, or raises UnreadableDocument

UnreadableDocument.code says why a file cannot be read; the Django layer maps each code to a
translated message, so these codes are an interface and must stay as they are:

    empty             no bytes, or no text once cleaned
    too_large         more than MAX_UPLOAD_BYTES, or a .docx whose members unpack to more than 20 MB
    too_long          the text is longer than MAX_TEXT_CHARS characters
    unsupported_type  not a .txt, .docx, .pdf, .html or .htm name
    corrupt           not what the extension says, damaged, or a PDF locked with a password
    no_text_layer     a PDF whose pages yield (almost) no text: a scan, or text drawn as outlines
    encoding          a text or HTML file in none of UTF-8, UTF-16 (with BOM), Windows-1251 (Russian)

UnreadableDocument.detail is a short technical detail in English (the extension, the size, what
was expected), which the Django layer may show inside its message.
"""

import codecs
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable
from html.parser import HTMLParser

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_TEXT_CHARS = 100_000
# What the members of a .docx may unpack to: a 2 MB zip of zeros can unpack to gigabytes.
MAX_DOCX_UNPACKED_BYTES = 20 * 1024 * 1024
# Fewer non-space characters than this in a whole PDF means there is no text layer to read.
MIN_PDF_TEXT_CHARS = 20

CODES = frozenset({"empty", "too_large", "too_long", "unsupported_type", "corrupt", "no_text_layer", "encoding"})


class UnreadableDocument(ValueError):
    """A file that gives no text, with a stable `code` (see the module docstring) and a `detail`."""

    def __init__(self, code: str, detail: str = ""):
        if code not in CODES:
            raise ValueError(f"unknown UnreadableDocument code {code!r}")
        # Both in args, so that the exception pickles and copies with its code.
        super().__init__(code, detail)
        self.code = code
        self.detail = detail

    def __str__(self) -> str:
        return f"{self.code}: {self.detail}" if self.detail else self.code


def read_document(filename: str, data: bytes) -> str:
    """The cleaned text of a file, chosen by its extension; UnreadableDocument when there is none."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise UnreadableDocument("too_large", f"{len(data)} bytes")
    extension = _extension(filename)
    reader = READERS.get(extension)
    if reader is None:
        raise UnreadableDocument("unsupported_type", extension or "no extension")
    if not data:
        raise UnreadableDocument("empty", "0 bytes")
    text = clean_text(reader(bytes(data)))
    if not text:
        raise UnreadableDocument("empty", "no text")
    if len(text) > MAX_TEXT_CHARS:
        raise UnreadableDocument("too_long", f"{len(text)} characters")
    return text


def _extension(filename: str) -> str:
    # Browsers on Windows may send a whole path; only the last name counts.
    name = re.split(r"[/\\]", filename or "")[-1]
    stem, dot, extension = name.rpartition(".")
    return f".{extension.lower()}" if dot and stem else ""


# Text --------------------------------------------------------------------------------------------

_NEWLINES = re.compile(r"\r\n|[\r\v\f\x85\u2028\u2029]")
# Characters that may need replacing: all but the printable ASCII, Latin-1 (bar the no-break space and
# the soft hyphen), Cyrillic, quotes, dashes and № a release is mostly made of, which need no look-up
# (2 MB of text is cleaned in a tenth of a second, not in a second).
_UNCOMMON = re.compile(r"[^\n -~\u00a1-\u00ac\u00ae-\u00ff\u0400-\u04ff\u2010-\u2027\u2116]")


def _replace(match: re.Match) -> str:
    char = match.group()
    category = unicodedata.category(char)
    if char == "\t" or category == "Zs":
        return " "
    # Cc: control characters; Cf: soft hyphens, zero-width spaces, BOMs, direction marks, which
    # split words invisibly; Cs: lone surrogates, which the database cannot store.
    return "" if category in ("Cc", "Cf", "Cs") else char


def clean_text(text: str) -> str:
    """Text with \\n newlines, plain spaces, no control characters, no trailing spaces, at most one
    blank line in a row, stripped; quotes, dashes and letters are kept (composed, NFC)."""
    # Composed letters: a PDF may give "й" as "и" plus a combining breve, which no pattern matches.
    text = _UNCOMMON.sub(_replace, unicodedata.normalize("NFC", _NEWLINES.sub("\n", text)))
    text = re.sub(r" +\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _decode(data: bytes, declared: str | None = None, visible: Callable[[str], str] | None = None) -> str:
    """Bytes as text: by their BOM, else the declared charset, else UTF-8, else Russian Windows-1251
    (judged on the part of the text a reader sees, `visible(text)`, when markup surrounds it)."""
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return _without_nul(data.decode(codec))
            except UnicodeDecodeError:
                raise UnreadableDocument("encoding", f"invalid {codec}") from None
    if b"\x00" in data:
        raise UnreadableDocument("encoding", "NUL bytes")
    if declared:
        try:
            return data.decode(declared)
        except UnicodeDecodeError:
            pass  # the declaration is wrong: guess as if there were none
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1251")
    except UnicodeDecodeError:
        text = ""
    if text and _looks_russian(visible(text) if visible else text):
        return text
    raise UnreadableDocument("encoding", "not UTF-8, UTF-16 or Windows-1251")


def _without_nul(text: str) -> str:
    if "\x00" in text:
        raise UnreadableDocument("encoding", "NUL characters")
    return text


def _looks_russian(text: str) -> bool:
    # Any bytes but one decode as Windows-1251: only mostly Cyrillic letters say it was the right guess
    # (Western European text in Windows-1252 would come out as Cyrillic gibberish among Latin letters).
    letters = [char for char in text if char.isalpha()]
    cyrillic = sum(1 for char in letters if "\u0400" <= char <= "\u04ff")
    return bool(letters) and cyrillic > len(letters) / 2


def _read_txt(data: bytes) -> str:
    return _decode(data)


# Word --------------------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_W_P = f"{_W}p"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_RUN_TEXT = {f"{_W}t": None, f"{_W}tab": " ", f"{_W}br": "\n", f"{_W}cr": "\n", f"{_W}noBreakHyphen": "-"}


def _read_docx(data: bytes) -> str:
    """Every paragraph of the body, table cells (nested ones too) and text boxes included, in order and
    each once; tracked insertions and content controls are read, tracked deletions are not."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            # zipfile never unpacks a member beyond its declared size (a false one fails the CRC), so
            # the declared sizes bound what python-docx will unpack.
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        raise UnreadableDocument("corrupt", "not a .docx (zip) file") from None
    if unpacked > MAX_DOCX_UNPACKED_BYTES:
        raise UnreadableDocument("too_large", f"{unpacked} bytes unpacked")

    import docx  # only here: the other formats need not load it

    try:
        body = docx.Document(io.BytesIO(data)).element.body
    # python-docx fails in many ways on a zip that is not a Word document (KeyError for a missing
    # part, ValueError for another content type, lxml's errors for broken XML): all say the same.
    except Exception:
        raise UnreadableDocument("corrupt", "not a Word document") from None
    return "\n".join(_paragraph_text(paragraph) for paragraph in body.iter(_W_P) if not _in_fallback(paragraph))


def _paragraph_text(paragraph) -> str:
    """A w:p's own text, without that of the text boxes anchored in it."""
    parts = []
    for element in paragraph.iter(*_RUN_TEXT):
        # A text box's paragraphs sit inside a run of this one, and are read as paragraphs of their own.
        if next(element.iterancestors(_W_P), None) is paragraph:
            replacement = _RUN_TEXT[element.tag]
            parts.append(element.text or "" if replacement is None else replacement)
    return "".join(parts)


def _in_fallback(element) -> bool:
    # A text box is written twice (DrawingML, then a VML fallback for old Word): read the first only.
    return next(element.iterancestors(_MC_FALLBACK), None) is not None


# PDF ---------------------------------------------------------------------------------------------


def _read_pdf(data: bytes) -> str:
    # pypdf tries hard to repair what it reads; a file not even starting like a PDF is not one.
    if b"%PDF-" not in data[:1024]:
        raise UnreadableDocument("corrupt", "not a PDF")

    import pypdf

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableDocument("corrupt", "encrypted PDF")
        pages = [page.extract_text() or "" for page in reader.pages]
    except UnreadableDocument:
        raise
    # pypdf's errors on broken files are of many kinds (PdfReadError, KeyError, ValueError...);
    # AES-encrypted files raise DependencyError without a crypto library: all are unreadable here.
    except Exception as error:
        detail = "encrypted PDF" if isinstance(error, pypdf.errors.DependencyError) else "damaged PDF"
        raise UnreadableDocument("corrupt", detail) from None
    text = "\n\n".join(pages)
    if len(re.sub(r"\s", "", text)) < MIN_PDF_TEXT_CHARS:
        raise UnreadableDocument("no_text_layer", f"{len(pages)} pages without text")
    return text


# HTML --------------------------------------------------------------------------------------------

_SKIPPED = {"script", "style", "noscript", "template", "head", "title"}
# What a <head> may hold: anything else (or text) starts the body, as in a browser, <body> or not.
_HEAD_TAGS = {"title", "meta", "link", "base", "style", "script", "noscript", "template"}
# Blocks end a line; those a browser sets apart with a margin end a paragraph (a blank line after).
_LINE_BLOCKS = {"div", "li", "tr", "dt", "dd", "caption", "figcaption", "summary", "nav", "main", "form", "fieldset"}
_PARAGRAPH_BLOCKS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "blockquote", "ul", "ol", "dl", "table",
    "header", "footer", "aside", "figure", "hr", "pre", "address", "details",
}  # fmt: skip
_CELLS = {"td", "th"}
# Stand-ins for block edges while the text is gathered: control characters, taken out of the page's text.
_LINE, _PARAGRAPH = "\x00", "\x01"
_EDGES = re.compile(r"[ \x00\x01]*[\x00\x01][ \x00\x01]*")
_META_CHARSET = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.IGNORECASE)


class _TextParser(HTMLParser):
    """The visible text of a page: blocks on lines of their own, spaces collapsed as a browser does."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping: list[str] = []
        self.preformatted = 0

    def handle_starttag(self, tag, attrs):
        if self.skipping == ["head"] and tag not in _HEAD_TAGS:
            self.skipping.clear()
        if tag in _SKIPPED:
            self.skipping.append(tag)
        elif not self.skipping:
            self._edge(tag)
            if tag in _CELLS:
                self.parts.append(" ")
            self.preformatted += tag == "pre"

    def handle_startendtag(self, tag, attrs):
        if tag not in _SKIPPED:  # <br/>, <hr/>; a self-closed <script/> hides nothing
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in self.skipping:
            while self.skipping.pop() != tag:
                pass
        elif not self.skipping:
            self._edge(tag)
            if tag == "pre" and self.preformatted:
                self.preformatted -= 1

    def _edge(self, tag):
        if tag == "br":
            self.parts.append("\n")  # a real line break: two of them make a blank line
        elif tag in _PARAGRAPH_BLOCKS:
            self.parts.append(_PARAGRAPH)
        elif tag in _LINE_BLOCKS:
            self.parts.append(_LINE)

    def handle_data(self, data):
        if self.skipping == ["head"] and data.strip():
            self.skipping.clear()
        if self.skipping:
            return
        # Newlines in the source are spaces on the page, except inside <pre>.
        data = data.replace(_LINE, "").replace(_PARAGRAPH, "")
        self.parts.append(re.sub(r"[ \t\r\f]+" if self.preformatted else r"[ \t\r\n\f]+", " ", data))

    def text(self) -> str:
        # Edges next to each other (</li> <li>, </div></p>) make one break, a paragraph's if any is one;
        # spaces met across inline tags and cells make one space, as on the page.
        text = _EDGES.sub(lambda edges: "\n\n" if _PARAGRAPH in edges.group() else "\n", "".join(self.parts))
        return "\n".join(line.strip(" ") for line in re.sub(" {2,}", " ", text).split("\n"))


def _read_html(data: bytes) -> str:
    # The markup's Latin letters would outweigh a short page's Russian: the guess looks at the text.
    return _visible_text(_decode(data, _declared_charset(data[:4096]), visible=_visible_text))


def _visible_text(page: str) -> str:
    parser = _TextParser()
    try:
        parser.feed(page)
        parser.close()
    # html.parser accepts nearly anything; what it cannot take is not a page worth guessing at.
    except Exception:
        raise UnreadableDocument("corrupt", "unparsable HTML") from None
    return parser.text()


def _declared_charset(head: bytes) -> str | None:
    match = _META_CHARSET.search(head)
    if not match:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii")).name
    except LookupError:
        return None
    # As browsers do (WHATWG encoding standard): a page that reached here has no BOM, so a UTF-16
    # declaration is false; Latin-1 and ASCII are read as their superset, Windows-1252.
    if name.startswith(("utf-16", "utf-32")):
        return "utf-8"
    if name in ("latin-1", "iso8859-1", "ascii"):
        return "cp1252"
    return name


READERS = {".txt": _read_txt, ".docx": _read_docx, ".pdf": _read_pdf, ".html": _read_html, ".htm": _read_html}
