"""An uploaded or pasted release made text, with the reader's refusals said in the person's language."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from extraction.readers import MAX_TEXT_CHARS, MAX_UPLOAD_BYTES, UnreadableDocument, clean_text, read_document

MESSAGES = {
    "empty": _("The release is empty: paste its text or choose a file with text in it."),
    "too_large": _("The file is too large: at most %(max)s MB."),
    "too_long": _("The text is too long: at most %(max)s characters."),
    "unsupported_type": _("This kind of file cannot be read: upload a .txt, .docx, .pdf or .html file."),
    "corrupt": _("The file cannot be opened: it is damaged, or not what its name says (%(detail)s)."),
    "no_text_layer": _(
        "The PDF has no text in it, only images (a scan?). Paste the text, or upload a PDF with a text layer."
    ),
    "encoding": _("The file's characters cannot be read: save it as UTF-8 text and upload it again."),
}


def refusal(error: UnreadableDocument) -> ValidationError:
    message = MESSAGES.get(error.code, MESSAGES["corrupt"])
    params = {
        "max": f"{MAX_UPLOAD_BYTES // (1024 * 1024)}" if error.code == "too_large" else f"{MAX_TEXT_CHARS:,}",
        "detail": error.detail,
    }
    return ValidationError(message, code=error.code, params=params)


def release_text(*, text: str = "", upload=None) -> tuple[str, str]:
    """(text, file name) of a pasted text or an uploaded file; ValidationError naming what is wrong."""
    if upload is not None:
        if upload.size > MAX_UPLOAD_BYTES:
            raise refusal(UnreadableDocument("too_large", f"{upload.size} bytes"))
        try:
            return read_document(upload.name, upload.read()), upload.name
        except UnreadableDocument as error:
            raise refusal(error) from None
    cleaned = clean_text(text or "")
    if not cleaned:
        raise refusal(UnreadableDocument("empty", ""))
    if len(cleaned) > MAX_TEXT_CHARS:
        raise refusal(UnreadableDocument("too_long", f"{len(cleaned)} characters"))
    return cleaned, ""
