"""Scores an extracted proposal against the expected JSON of the corpus (extraction/corpus/).

    from extraction import scoring
    counts = scoring.score(proposal.to_dict(), expected)   # field -> Counts(tp, fp, fn)
    print(scoring.table(scoring.total([counts, ...])))

Each field is a line of the benchmark's table (bench/extract.py). Names are compared loosely (quotes,
case, "ё", the generic word "technopark" and Russian case endings do not count) because the
extractor writes what the text says and the text may say it in any case; dates, kinds, stages and
numbers are compared exactly.
"""

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

CORPUS = Path(__file__).resolve().parent / "corpus"

FIELDS = (
    "parties",
    "kind",
    "signed_on",
    "city",
    "event",
    "people",
    "roles",
    "signatory_party",
    "positions",
    "dates",
    "milestones",
    "stages",
    "facts",
)
# The facts with one value; sectors and facilities are lists of phrases, shown but not scored.
SCALAR_FACTS = (
    "founded",
    "region",
    "city",
    "residents",
    "products",
    "patents",
    "know_how",
    "ownership",
    "government_funding",
)


@dataclass(frozen=True)
class Counts:
    """True positives, false positives and false negatives of one field."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None


@dataclass
class Comparison:
    """One field's counts with the items behind its errors: extra (fp) and missing (fn)."""

    counts: Counts
    extra: list = field(default_factory=list)
    missing: list = field(default_factory=list)


# --- Normalisation -------------------------------------------------------------------------------

_QUOTES = str.maketrans("", "", "«»\"“”„‘’'`")
_EDGE_PUNCTUATION = ",.;:()[]!?"
# "technology park" is two words; the one-word generic names are dropped by prefix below.
_TECHNOLOGY_PARK = re.compile(r"\btechnology parks?\b")
# Prefixes, so that Russian case forms go too: технополиса, технопарком, technopolises.
_GENERIC_PREFIXES = ("technopol", "technopark", "технопол", "технопарк")


def normalise(text: str | None) -> str:
    """Casefolded, "ё" as "е", without quotes, single spaces."""
    text = (text or "").casefold().replace("ё", "е").translate(_QUOTES)
    return " ".join(text.split())


def party_core(name: str | None) -> str:
    """The distinctive part of a park's name: "Технополиса «Химград»" -> "химград"."""
    text = _TECHNOLOGY_PARK.sub(" ", normalise(name))
    words = [word.strip(_EDGE_PUNCTUATION) for word in text.split()]
    words = [word for word in words if word]
    core = [word for word in words if not word.startswith(_GENERIC_PREFIXES)]
    # A party called only "Technopark" keeps its name rather than becoming empty.
    return " ".join(core or words)


# --- Similarities: a score to rank candidate pairs, or None when the two do not match -------------

Similarity = Callable[[Any, Any], float | None]


def party_similarity(a: str | None, b: str | None) -> float | None:
    """Same park: close spelling of the cores, or the same first five letters of every word, which
    lets a Russian case ending through ("Сибирского моста" / "Сибирский мост")."""
    if not a or not b:
        return None
    core_a, core_b = party_core(a), party_core(b)
    score = fuzz.ratio(core_a, core_b)
    if score >= 85:
        return score
    words_a, words_b = core_a.split(), core_b.split()
    if len(words_a) != len(words_b):
        return None
    if words_a and all(x[:5] == y[:5] for x, y in zip(words_a, words_b, strict=True)):
        return score
    return None


def name_similarity(a: str | None, b: str | None) -> float | None:
    """Same person: equal after normalisation, or a spelling slip apart (ratio >= 90)."""
    if not a or not b:
        return None
    score = fuzz.ratio(normalise(a), normalise(b))
    return score if score >= 90 else None


def _both(*scores: float | None) -> float | None:
    return None if any(score is None for score in scores) else sum(scores) / len(scores)


def _threshold(score: float, minimum: float) -> float | None:
    return score if score >= minimum else None


def _text_similarity(a: str | None, b: str | None, scorer, minimum: float) -> float | None:
    if not a or not b:
        return None
    return _threshold(scorer(normalise(a), normalise(b)), minimum)


def _same_value(a: Any, b: Any) -> float | None:
    # type() as well: True == 1 in Python, but a flag is not a count.
    return 100.0 if type(a) is type(b) and a == b else None


def _fact_value_similarity(key: str, a: Any, b: Any) -> float | None:
    if key == "region":
        return _text_similarity(a, b, fuzz.token_set_ratio, 80) if isinstance(a, str) else None
    if key == "city":
        return _text_similarity(a, b, fuzz.ratio, 85) if isinstance(a, str) else None
    return _same_value(a, b)


# --- Matching ------------------------------------------------------------------------------------


def match(predicted: list, expected: list, similarity: Similarity) -> Comparison:
    """One-to-one matching, greedy best pair first: a predicted item counts for one expected item."""
    candidates = []
    for i, item in enumerate(predicted):
        for j, wanted in enumerate(expected):
            score = similarity(item, wanted)
            if score is not None:
                candidates.append((score, i, j))
    # Stable sort: on a tie the earlier items pair first, so the result does not depend on chance.
    candidates.sort(key=lambda candidate: -candidate[0])
    used_predicted, used_expected = set(), set()
    for _score, i, j in candidates:
        if i not in used_predicted and j not in used_expected:
            used_predicted.add(i)
            used_expected.add(j)
    extra = [item for i, item in enumerate(predicted) if i not in used_predicted]
    missing = [item for j, item in enumerate(expected) if j not in used_expected]
    return Comparison(Counts(len(used_predicted), len(extra), len(missing)), extra, missing)


def _scalar(predicted: Any, expected: Any, same: Callable[[Any, Any], bool]) -> Comparison:
    """A null prediction for a known value is fn; a wrong one is both fp and fn."""
    if predicted is None and expected is None:
        return Comparison(Counts())
    if predicted is None:
        return Comparison(Counts(fn=1), missing=[expected])
    if expected is None:
        return Comparison(Counts(fp=1), extra=[predicted])
    if same(predicted, expected):
        return Comparison(Counts(tp=1))
    return Comparison(Counts(fp=1, fn=1), extra=[predicted], missing=[expected])


def _multiset(predicted: list, expected: list) -> Comparison:
    have, want = Counter(predicted), Counter(expected)
    extra, missing = list((have - want).elements()), list((want - have).elements())
    return Comparison(Counts(sum((have & want).values()), len(extra), len(missing)), extra, missing)


# --- Reading a proposal --------------------------------------------------------------------------

_ROLES = (("signatories", "signatory"), ("witnesses", "witness"), ("quoted", "quoted"))


def _people(record: Mapping) -> list[dict]:
    """Everyone named, with the role the list they sit in gives them."""
    return [{**person, "role": role} for key, role in _ROLES for person in record.get(key) or [] if person.get("name")]


def _dates(record: Mapping) -> list[str]:
    dates = [record.get("signed_on")] + [milestone.get("due") for milestone in record.get("milestones") or []]
    return [date for date in dates if date]


def _facts(record: Mapping) -> list[tuple[str, str, Any]]:
    return [
        (party, key, values[key])
        for party, values in (record.get("facts") or {}).items()
        for key in SCALAR_FACTS
        if values.get(key) is not None
    ]


# --- Scoring -------------------------------------------------------------------------------------


def compare(predicted: Mapping, expected: Mapping) -> dict[str, Comparison]:
    """Every field's counts and the items behind its errors (for the benchmark's --verbose)."""
    people_predicted, people_expected = _people(predicted), _people(expected)

    def pairs(people: list[dict], key: str, role: str | None = None) -> list[tuple[str, str]]:
        return [
            (person["name"], person[key])
            for person in people
            if person.get(key) and (role is None or person["role"] == role)
        ]

    return {
        "parties": match(predicted.get("parties") or [], expected.get("parties") or [], party_similarity),
        "kind": _scalar(predicted.get("kind"), expected.get("kind"), lambda a, b: a == b),
        "signed_on": _scalar(predicted.get("signed_on"), expected.get("signed_on"), lambda a, b: a == b),
        "city": _scalar(
            predicted.get("city"),
            expected.get("city"),
            lambda a, b: _text_similarity(a, b, fuzz.ratio, 85) is not None,
        ),
        "event": _scalar(
            predicted.get("event"),
            expected.get("event"),
            lambda a, b: _text_similarity(a, b, fuzz.token_set_ratio, 85) is not None,
        ),
        "people": match(
            [person["name"] for person in people_predicted],
            [person["name"] for person in people_expected],
            name_similarity,
        ),
        "roles": match(
            pairs(people_predicted, "role"),
            pairs(people_expected, "role"),
            lambda a, b: name_similarity(a[0], b[0]) if a[1] == b[1] else None,
        ),
        "signatory_party": match(
            pairs(people_predicted, "party", "signatory"),
            pairs(people_expected, "party", "signatory"),
            lambda a, b: _both(name_similarity(a[0], b[0]), party_similarity(a[1], b[1])),
        ),
        "positions": match(
            pairs(people_predicted, "position"),
            pairs(people_expected, "position"),
            lambda a, b: _both(name_similarity(a[0], b[0]), _text_similarity(a[1], b[1], fuzz.token_set_ratio, 80)),
        ),
        "dates": _multiset(_dates(predicted), _dates(expected)),
        "milestones": match(
            [(item.get("title"), item.get("due")) for item in predicted.get("milestones") or []],
            [(item.get("title"), item.get("due")) for item in expected.get("milestones") or []],
            lambda a, b: _text_similarity(a[0], b[0], fuzz.token_set_ratio, 70) if a[1] == b[1] else None,
        ),
        "stages": _multiset(
            sorted(set(predicted.get("stages") or [])),
            sorted(set(expected.get("stages") or [])),
        ),
        "facts": match(
            _facts(predicted),
            _facts(expected),
            lambda a, b: (
                _both(party_similarity(a[0], b[0]), _fact_value_similarity(a[1], a[2], b[2])) if a[1] == b[1] else None
            ),
        ),
    }


def score(predicted: Mapping, expected: Mapping) -> dict[str, Counts]:
    """tp, fp and fn per field (FIELDS, in order) of one proposal against its expected record."""
    return {name: comparison.counts for name, comparison in compare(predicted, expected).items()}


def total(scores: Iterable[Mapping[str, Counts]]) -> dict[str, Counts]:
    """The sum of several documents' scores, field by field."""
    result = {name: Counts() for name in FIELDS}
    for counts in scores:
        for name, value in counts.items():
            result[name] = result.get(name, Counts()) + value
    return result


# --- Corpus and report ---------------------------------------------------------------------------


def load_corpus(part: str) -> list[tuple[str, str, dict]]:
    """(name, text, expected) for each NAME.txt + NAME.json in extraction/corpus/<part>/, by name."""
    folder = CORPUS / part
    if not folder.is_dir():
        raise ValueError(f"No corpus part {part!r} in {CORPUS} (tuning or heldout).")
    documents = []
    for text_path in sorted(folder.glob("*.txt")):
        expected_path = text_path.with_suffix(".json")
        if not expected_path.exists():
            raise FileNotFoundError(f"{text_path.name} has no expected record {expected_path.name}.")
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        documents.append((text_path.stem, text_path.read_text(encoding="utf-8"), expected))
    return documents


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f}%"


def table(rows: Mapping[str, Counts] | Iterable[tuple[str, Counts]]) -> str:
    """A Markdown table: field | tp | fp | fn | precision | recall (— where nothing was counted)."""
    items = rows.items() if isinstance(rows, Mapping) else rows
    lines = ["| field | tp | fp | fn | precision | recall |", "|---|---:|---:|---:|---:|---:|"]
    for name, counts in items:
        lines.append(
            f"| {name} | {counts.tp} | {counts.fp} | {counts.fn} "
            f"| {_percent(counts.precision)} | {_percent(counts.recall)} |"
        )
    return "\n".join(lines)
