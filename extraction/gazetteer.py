"""What the portal already knows (parks, people, events, sectors), for matching names found in a text.

The portal builds a Gazetteer from its database; the extraction itself never asks a database. Names are
compared folded (extraction.text.fold), so transliterations and spelling variants meet: "Gousev",
"Gusev" and "Гусев"; a typo costs a few points of similarity, not the match.
"""

from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from .text import fold

# Words that name what a park is, not which one it is: "Technopolis Gousev" is matched on "gusev".
GENERIC_WORDS = {
    "technopolis", "technoplis", "tehnopolis", "technopark", "tehnopark", "park", "technology", "science",
    "industrial", "innovation", "innovative", "center", "centre", "the", "of", "ooo", "llc", "jsc", "ao",
    "zao", "oao", "management", "company", "project", "area", "and", "scientific", "technological",
    "development", "tekhnopolis", "tehnopolisa", "tehnoparka", "tehnopolisom", "tehnoparkom",
    "tehnopolise", "tehnoparke", "tehnopolisu", "tehnoparku", "upravliaiushaia", "kompaniia", "pro", "proekt",
    "nauchno", "tehnicheskogo", "razvitiia", "teritoriia", "oez", "sez",
}  # fmt: skip
MATCHED = 90  # at or above: the same record
UNCERTAIN = 75  # from here to MATCHED: proposed, flagged for a person to check


@dataclass(frozen=True)
class Entry:
    id: int
    label: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class Match:
    id: int
    label: str
    score: float
    status: str  # "matched" or "uncertain"


def core(name: str) -> str:
    """The folded name without generic words ('Технополис «Химград»' -> 'himgrad')."""
    words = [word for word in fold(name).split() if word not in GENERIC_WORDS]
    return " ".join(words) or fold(name)


@dataclass
class Gazetteer:
    parks: list[Entry] = field(default_factory=list)
    people: list[Entry] = field(default_factory=list)
    events: list[Entry] = field(default_factory=list)
    sectors: list[Entry] = field(default_factory=list)

    def match_park(self, name: str) -> Match | None:
        return _best(self.parks, core(name), core)

    def match_person(self, name: str) -> Match | None:
        # Word order varies ("Liulin Alexey"), so people are compared as sets of words.
        return _best(self.people, fold(name), fold, scorer=fuzz.token_sort_ratio)

    def match_event(self, name: str) -> Match | None:
        return _best(self.events, fold(name), fold, scorer=fuzz.token_set_ratio)

    def match_sector(self, phrase: str) -> Match | None:
        return _best(self.sectors, fold(phrase), fold, scorer=fuzz.token_set_ratio)


def _best(entries, query: str, key, scorer=fuzz.ratio) -> Match | None:
    if not query or not entries:
        return None
    choices = {
        (index, name_index): key(name)
        for index, entry in enumerate(entries)
        for name_index, name in enumerate(entry.names)
        if name
    }
    best = process.extractOne(query, choices, scorer=_stem_tolerant(scorer), score_cutoff=UNCERTAIN)
    if best is None:
        return None
    _choice, score, (index, _name_index) = best
    entry = entries[index]
    return Match(entry.id, entry.label, round(score, 1), "matched" if score >= MATCHED else "uncertain")


def _stem_tolerant(scorer):
    """Russian case endings ('Химграда', 'Гусевым') cost little: words are compared on their stems too."""

    def score(query: str, choice: str, **kwargs) -> float:
        plain = scorer(query, choice)
        stems = scorer(_stems(query), _stems(choice))
        return max(plain, stems - 2)

    return score


def _stems(folded: str) -> str:
    return " ".join(word[:-2] if len(word) > 5 else word for word in folded.split())
