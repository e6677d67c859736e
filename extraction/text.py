"""Text plumbing shared by both languages: sentences with their spans, language, folding of names."""

import re
from dataclasses import dataclass
from functools import lru_cache

import razdel

CYRILLIC = re.compile(r"[А-Яа-яЁё]")
LATIN = re.compile(r"[A-Za-z]")
QUOTES = "«»\"“”„‟'`’‘"


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str
    paragraph: int

    def span(self, start: int, end: int) -> tuple[int, int]:
        """A span inside the sentence, in the whole text's offsets."""
        return self.start + start, self.start + end


def detect_language(text: str) -> str:
    """'ru' when Cyrillic letters outnumber Latin ones, else 'en' (a release is written in one language)."""
    return "ru" if len(CYRILLIC.findall(text)) > len(LATIN.findall(text)) else "en"


def split_sentences(text: str) -> list[Sentence]:
    """Sentences in order, never across a paragraph break (a blank line or a new line)."""
    sentences: list[Sentence] = []
    for paragraph_index, match in enumerate(re.finditer(r"[^\n]+", text)):
        offset = match.start()
        pieces: list[list[int]] = []
        for piece in razdel.sentenize(match.group()):
            if pieces and ABBREVIATION_END.search(match.group()[pieces[-1][0] : pieces[-1][1]]):
                pieces[-1][1] = piece.stop  # "the St. | Petersburg forum" is one sentence
            else:
                pieces.append([piece.start, piece.stop])
        for start, end in pieces:
            sentences.append(
                Sentence(len(sentences), offset + start, offset + end, match.group()[start:end], paragraph_index)
            )
    return sentences


# Abbreviations razdel takes for a sentence's end.
ABBREVIATION_END = re.compile(
    r"(?:\b(?:St|Mr|Ms|Mrs|Dr|Prof|Jr|Sr|No|vs|Ave|Blvd|Corp|Inc|Ltd|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)"
    r"|\b(?:г|ул|им|гг|д|пр|проф|акад))\.$"
)


TRANSLIT = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        [
            "a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p", "r", "s", "t",
            "u", "f", "h", "ts", "ch", "sh", "sch", "", "y", "", "e", "yu", "ya",
        ],
        strict=True,
    )
)  # fmt: skip
# Spelling variants that transliterations of one Russian name take ("Gousev"/"Gusev", "Himgrad"/"Khimgrad",
# "Liulin"/"Lyulin"), folded to one form.
LATIN_VARIANTS = [
    ("kh", "h"),
    ("ou", "u"),
    ("yu", "iu"),
    ("ya", "ia"),
    ("yo", "e"),
    ("ye", "e"),
    ("ts", "c"),
    ("tz", "c"),
    ("x", "ks"),
    ("w", "v"),
    ("j", "i"),
    ("y", "i"),
]


# Bounded: whole sentences are folded too, and a web process reads release after release.
@lru_cache(maxsize=8192)
def fold(name: str) -> str:
    """A name reduced to what survives spelling: lower case, Latin letters, no quotes or punctuation.

    "Технополис «Гусев»", 'Technopolis "Gousev"' and "technopolis gusev" fold alike.
    """
    lowered = name.casefold().replace("ё", "е")
    latin = "".join(TRANSLIT.get(char, char) for char in lowered)
    for variant, folded in LATIN_VARIANTS:
        latin = latin.replace(variant, folded)
    latin = re.sub(r"[^a-z0-9]+", " ", latin)
    latin = re.sub(r"(.)\1+", r"\1", latin)  # doubled letters: "Kazann", "Stoyanovva"
    return latin.strip()


def strip_quotes(text: str) -> str:
    return text.strip().strip(QUOTES + " ,.;:").strip()


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
