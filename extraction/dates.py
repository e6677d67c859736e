"""Explicit dates in a sentence, with their spans: a day, a month or a year, never guessed.

Exact dates written in words go through dateparser (restricted to the release's language); dates in
figures and partial ones (a month, a year) are read here, since dateparser would invent the missing day.
"""

import datetime
import re
from dataclasses import dataclass
from functools import cache

EN_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10,
    "nov": 11, "dec": 12,
}  # fmt: skip
EN_MONTH = (
    r"(?P<month>(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?"
    r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?)"
)
RU_MONTHS = {
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6, "июл": 7, "август": 8, "сентябр": 9,
    "октябр": 10, "ноябр": 11, "декабр": 12,
}  # fmt: skip
RU_MONTH = r"(?P<month>(?:январ|феврал|март|апрел|июн|июл|август|сентябр|октябр|ноябр|декабр)[а-я]*|ма[йяе])"
YEAR = r"(?P<year>(?:19|20)\d\d)"
RU_YEAR_WORD = r"(?:\s*(?:года|году|год|г\.))?"


@dataclass(frozen=True)
class FoundDate:
    start: int
    end: int
    value: str  # YYYY-MM-DD, YYYY-MM or YYYY
    precision: str  # day, month, year


def _patterns(language: str) -> list[tuple[str, re.Pattern]]:
    if language == "ru":
        return [
            ("day", re.compile(rf"\b(?P<day>\d{{1,2}})\s+{RU_MONTH}\s+{YEAR}{RU_YEAR_WORD}", re.I)),
            ("figures", re.compile(r"\b(?P<day>\d{1,2})\.(?P<num>\d{1,2})\.(?P<year>\d{4})(?:\s*(?:года|г\.))?")),
            ("iso", re.compile(r"\b(?P<year>\d{4})-(?P<num>\d{2})-(?P<day>\d{2})\b")),
            ("month", re.compile(rf"\b{RU_MONTH}\s+{YEAR}{RU_YEAR_WORD}", re.I)),
            (
                "year",
                re.compile(
                    rf"(?:\bв\s+|\bдо\s+|\bк\s+|\bконц[еау]\s+|\bтечение\s+|\bначал[еау]\s+|полугоди[еиюя]\s+|квартал[еау]?\s+){YEAR}\s*(?:года|году|г\.)",
                    re.I,
                ),
            ),
        ]
    return [
        ("day", re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{EN_MONTH},?\s+{YEAR}\b", re.I)),
        ("day", re.compile(rf"\b{EN_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+{YEAR}\b", re.I)),
        ("figures", re.compile(r"\b(?P<day>\d{1,2})[./](?P<num>\d{1,2})[./](?P<year>\d{4})\b")),
        ("iso", re.compile(r"\b(?P<year>\d{4})-(?P<num>\d{2})-(?P<day>\d{2})\b")),
        ("month", re.compile(rf"\b{EN_MONTH}\s+(?:of\s+)?{YEAR}\b", re.I)),
        (
            "year",
            re.compile(
                rf"\b(?:in|by|until|before|during|end of|start of|beginning of|early|late|mid-?|"
                rf"(?:first|second) half of|(?:first|second|third|fourth) quarter of|Q[1-4])\s+{YEAR}\b",
                re.I,
            ),
        ),
    ]


@cache
def _compiled(language: str):
    return _patterns(language)


def _month_number(language: str, name: str) -> int:
    name = name.casefold().rstrip(".")
    if language == "ru":
        if name.startswith("ма") and not name.startswith("март"):
            return 5
        return next(number for stem, number in RU_MONTHS.items() if name.startswith(stem))
    return EN_MONTHS[name[:3]]


def _parse_words(language: str, text: str) -> datetime.date | None:
    import dateparser  # imported on first use: its language data takes a while to load

    parsed = dateparser.parse(
        text,
        languages=[language],
        settings={"STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"], "DATE_ORDER": "DMY"},
    )
    return parsed.date() if parsed else None


def find_dates(text: str, language: str) -> list[FoundDate]:
    """Every explicit date in the text, left to right, the most precise reading of each place."""
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _compiled(language):
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < stop and end > begin for begin, stop in taken):
                continue
            value = _value(kind, match, language)
            if value:
                found.append(FoundDate(start, end, *value))
                taken.append((start, end))
    return sorted(found, key=lambda date: date.start)


def _value(kind: str, match: re.Match, language: str) -> tuple[str, str] | None:
    year = int(match["year"])
    if kind == "year":
        return str(year), "year"
    if kind == "month":
        return f"{year:04d}-{_month_number(language, match['month']):02d}", "month"
    if kind == "day":
        parsed = _parse_words(language, match.group())
        if parsed is None:  # an abbreviation dateparser does not know ("Sept."): the parts are known already
            try:
                parsed = datetime.date(year, _month_number(language, match["month"]), int(match["day"]))
            except ValueError:
                return None
        return parsed.isoformat(), "day"
    try:
        return datetime.date(year, int(match["num"]), int(match["day"])).isoformat(), "day"
    except ValueError:
        return None
