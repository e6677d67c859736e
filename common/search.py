"""How the portal matches what people type, in one place (the kinds searched are in portal.search).

On PostgreSQL:
- **words** are matched by full-text search in English and in Russian at once: the text and the
  query are stemmed by both dictionaries, so "agreements" finds "agreement", "соглашения" finds
  "соглашение", and several words must all appear (in any of the record's searched fields);
- **names** are also matched by trigrams (pg_trgm's word similarity), so a name typed in part or
  misspelt is found: "Gusev" finds Gousev, "химгра" finds Химград;
- **codes** (an INN, a registration number, a reference) are matched in part, as typed.
Results are ranked (how well the words match, how close the name is) and a snippet of the text
shows the words found. Each searched table keeps its words in a `search_vector` column (a trigger
fills it, see common.migration_operations.StoredSearchVector) with a GIN index; trigram indexes
(`Searched.indexes`) serve the names and codes.

SQLite, the quick local run's database, has neither: every field is matched in part (icontains).
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorExact,
    SearchVectorField,
    TrigramWordSimilarity,
)
from django.db import connection
from django.db.models import F, FloatField, Model, Q, Value
from django.db.models.expressions import Expression
from django.db.models.functions import Coalesce, Greatest, Upper

from .i18n import languages, reading_order

# Both dictionaries at once: a record's language is not known, and names mix both.
CONFIGS = ("english", "russian")
# Words of a query matched one by one (a longer query is a sentence pasted).
MAX_WORDS = 8
# Wrapped around the words found in a snippet; the template escapes the text, then marks them.
MARK_START, MARK_END = "\x02", "\x03"


def both(*fields: str) -> tuple[str, ...]:
    """The columns of fields kept in both languages (name → name_en, name_ru)."""
    return tuple(f"{name}_{code}" for name in fields for code in languages())


def on_postgresql() -> bool:
    return connection.vendor == "postgresql"


@dataclass(frozen=True)
class Query:
    """What was typed, and how to match each word: exactly (as a word of the text, or within a
    code) when it is found so anywhere the portal searches, else by closeness to a name (`fuzzy`).
    So "Gousev" and "polymer" match exactly and cheaply, "Gusev" finds Gousev, and in "Synthetic
    00042" each word is matched its own way."""

    text: str
    fuzzy: frozenset[str] = frozenset()

    @classmethod
    def of(cls, text: "str | Query") -> "Query":
        if isinstance(text, Query):
            return text
        if not on_postgresql() or not text.strip():
            return cls(text)
        words = words_of(text)
        found = _found_exactly(words)
        return cls(text, fuzzy=frozenset(word for word in words if word not in found))


def words_of(text: str) -> list[str]:
    # A longer query is a sentence pasted: its first words are enough to find it.
    return text.split()[:MAX_WORDS]


# Every model the site search reads, with what of it is searched (filled by Searched(model=...)).
_SEARCHED: list["Searched"] = []


@dataclass(frozen=True)
class Searched:
    """What of one model is searched. `words`: text searched for its words; `names`: also in part or
    misspelt; `codes`: in part, as typed. `snippet`: the field (kept in both languages) whose text
    around the words found is shown. `model` ("app.Model") marks the model's own definition, whose
    words the table stores (StoredSearchVector), and registers it for Query.of's check."""

    words: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    snippet: str = ""
    snippet_in_both_languages: bool = True
    model: str = ""

    def __post_init__(self):
        if self.model:
            _SEARCHED.append(self)

    @property
    def columns(self) -> list[str]:
        """The columns whose words the stored vector holds (StoredSearchVector in the migrations)."""
        return [*self.names, *self.words]

    def _exact(self, text: str) -> Q:
        # Only a model's own definition has its words stored (the table's search_vector holds exactly
        # its columns); a narrower one, such as a party's names, matches its codes.
        stored = self.model and self.columns
        condition = Q(SearchVectorExact(StoredWords(), _tsquery(text))) if stored else Q(pk__in=[])
        for name in self.codes:
            condition |= Q(**{f"{name}__icontains": text})
        return condition

    def _near(self, word: str) -> Q:
        # Names only: a code is matched in part as typed (its trigram index is on the upper-cased text).
        near = Q(pk__in=[])
        for name in self.names:
            near |= Q(**{f"{name}__trigram_word_similar": word})
        return near

    def match(self, query: "str | Query") -> Q:
        """The records that match, as a filter: all the words, as words of the text (stemmed) or
        within a code, and each word found nowhere so, close to a name."""
        query = Query.of(query)
        if not on_postgresql():
            return contains(query.text, *self.names, *self.words, *self.codes)
        if not query.fuzzy:
            return self._exact(query.text)
        every_word = Q()
        for word in words_of(query.text):
            every_word &= self._near(word) if word in query.fuzzy else self._exact(word)
        return every_word

    def among(self, model: type[Model], query: "str | Query") -> Q:
        """`match` as a set of ids found first (through the indexes), for the outer query to join:
        left inline among other conditions, PostgreSQL may test every row instead."""
        if not on_postgresql():
            return self.match(query)
        return Q(pk__in=model._base_manager.filter(self.match(query)).values("pk"))

    def rank(self, query: "str | Query") -> Expression:
        """How well a record matches (higher first): the rank of its stored words, less for a long
        text (a name that is the word itself first); for a fuzzy query, how close its closest name is."""
        query = Query.of(query)
        if not on_postgresql():
            return Value(0.0, output_field=FloatField())
        if query.fuzzy and self.names:
            likeness = [TrigramWordSimilarity(query.text, Coalesce(F(name), Value(""))) for name in self.names]
            return Greatest(*likeness) if len(likeness) > 1 else likeness[0]
        return SearchRank(StoredWords(), _tsquery(query.text), normalization=Value(2))

    def headline(self, query: "str | Query") -> Expression:
        """The snippet: the text in the reader's language (else the other's) around the words found,
        each between MARK_START and MARK_END; empty on SQLite and for a fuzzy query."""
        query = Query.of(query)
        if not self.snippet or not on_postgresql() or query.fuzzy:
            return Value("")
        if self.snippet_in_both_languages:
            text = Coalesce(*[F(f"{self.snippet}_{code}") for code in reading_order()], Value(""))
        else:
            text = Coalesce(F(self.snippet), Value(""))
        return SearchHeadline(
            text,
            _tsquery(query.text),
            # PostgreSQL's "russian" parses Cyrillic words with the Russian stemmer and Latin ones
            # with the English: the words found are marked in a text of either language.
            config="russian",
            start_sel=MARK_START,
            stop_sel=MARK_END,
            max_words=30,
            min_words=12,
            max_fragments=2,
            fragment_delimiter=" … ",
        )

    def indexes(self, prefix: str) -> list:
        """GIN indexes for `match` (PostgreSQL), named `<prefix>_s<n>`: each name's trigrams, each
        code's upper-cased trigrams (icontains compares upper-cased text). The words' index is on
        the stored vector (StoredSearchVector)."""
        expressions = [
            *[OpClass(F(name), name="gin_trgm_ops") for name in self.names],
            *[OpClass(Upper(name), name="gin_trgm_ops") for name in self.codes],
        ]
        return [GinIndex(expression, name=f"{prefix}_s{n}") for n, expression in enumerate(expressions, start=1)]


class StoredWords(Expression):
    """The record's `search_vector` column (PostgreSQL; kept by a trigger, see
    common.migration_operations.StoredSearchVector): its words in both dictionaries."""

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection, **extra_context):
        alias = compiler.query.get_initial_alias()
        return f"{compiler.quote_name_unless_alias(alias)}.search_vector", []


def _found_exactly(words: list[str]) -> set[str]:
    """The words that some searched model has among its records' words or codes: one query, an
    EXISTS per word and table, each served by its indexes."""
    from django.apps import apps

    columns, params = [], []
    for word in words:
        parts = []
        for searched in _SEARCHED:
            queryset = apps.get_model(searched.model)._base_manager.filter(searched._exact(word)).order_by()
            sql, query_params = queryset.values("pk")[:1].query.sql_with_params()
            parts.append(f"EXISTS({sql})")
            params += query_params
        columns.append("(" + " OR ".join(parts) + ")")
    if not columns or not _SEARCHED:
        return set()
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(columns), params)
        found = cursor.fetchone()
    return {word for word, exists in zip(words, found, strict=True) if exists}


def _tsquery(query: str) -> SearchQuery:
    english, russian = (SearchQuery(query, config=config, search_type="websearch") for config in CONFIGS)
    return english | russian


def contains(query: str, *fields: str, translated: Sequence[str] = ()) -> Q:
    """A plain `icontains` over fields (and translated fields in either language), for the few
    filters that match a short list's names as typed (sectors, facilities, signing events)."""
    condition = Q()
    for name in (*fields, *both(*translated)):
        condition |= Q(**{f"{name}__icontains": query})
    return condition
