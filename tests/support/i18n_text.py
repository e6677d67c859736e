"""What a reader sees of a page (text, and the titles, labels and placeholders that assistive tools read)."""

import re
from html.parser import HTMLParser

READ_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
_LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__()
        self.chunks: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value:
                self.chunks.append(value)
            if tag == "input" and name == "value" and dict(attrs).get("type") in ("submit", "button") and value:
                self.chunks.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.chunks.append(" ".join(data.split()))


def visible_text(html: str) -> list[str]:
    reader = _Reader()
    reader.feed(html)
    return reader.chunks


def english_left(html: str, *, allowed: set[str]) -> list[str]:
    """Chunks with a Latin word that is neither data of the page nor a name like PDF or CSV."""
    left = []
    for chunk in visible_text(html):
        words = {word for word in _LATIN_WORD.findall(chunk) if word not in allowed}
        if words:
            left.append(chunk)
    return left
