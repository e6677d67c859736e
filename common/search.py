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
)
from django.db import connection
from django.db.models import F, FloatField, Model, Q, Value
from django.db.models.expressions import Expression
from django.db.models.functions import Coalesce, Upper

from .i18n import languages, reading_order

# Both dictionaries at once: a record's language is not known, and names mix both.
CONFIGS = ("english", "russian")
# Words of a query matched one by one against names and codes (a longer query is a sentence pasted).
MAX_WORDS = 8
# Wrapped around the words found in a snippet; the template escapes the text, then marks them.
MARK_START, MARK_END = "\x02", "\x03"


def both(*fields: str) -> tuple[str, ...]:
    """The columns of fields kept in both languages (name → name_en, name_ru)."""
    return tuple(f"{name}_{code}" for name in fields for code in languages())


def on_postgresql() -> bool:
    return connection.vendor == "postgresql"


@dataclass(frozen=True)
class Searched:
    """What of one model is searched. `words`: text searched for its words; `names`: also in part or
    misspelt; `codes`: in part, as typed. `snippet`: the field (kept in both languages) whose text
    around the words found is shown."""

    words: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    snippet: str = ""
    snippet_in_both_languages: bool = True

    @property
    def columns(self) -> list[str]:
        """The columns whose words the stored vector holds (StoredSearchVector in the migrations)."""
        return [*self.names, *self.words]

    def match(self, query: str) -> Q:
        """The records that match `query`, as a filter: all its words, as words of the text (stemmed),
        or each word close to a name or within a code."""
        if not on_postgresql():
            condition = Q()
            for name in (*self.names, *self.words, *self.codes):
                condition |= Q(**{f"{name}__icontains": query})
            return condition
        condition = Q(SearchVectorExact(StoredWords(), _tsquery(query)))
        if self.names or self.codes:
            every_word = Q()
            for word in query.split()[:MAX_WORDS]:
                near = Q()
                for name in self.names:
                    near |= Q(**{f"{name}__trigram_word_similar": word})
                for name in self.codes:
                    near |= Q(**{f"{name}__icontains": word})
                every_word &= near
            condition |= every_word
        return condition

    def among(self, model: type[Model], query: str) -> Q:
        """`match` as a set of ids found first (through the indexes), for the outer query to join:
        left inline among other conditions, PostgreSQL may test every row instead."""
        if not on_postgresql():
            return self.match(query)
        return Q(pk__in=model._base_manager.filter(self.match(query)).values("pk"))

    def rank(self, query: str) -> Expression:
        """How well a record matches (higher first): the rank of its stored words, less for a long
        text (a name that is the word itself first). Names found only by their trigrams rank 0 and
        follow in the kind's own order; ranking them by likeness too cost a trigram comparison per
        matching row (a third of the search's time on a broad query)."""
        if not on_postgresql():
            return Value(0.0, output_field=FloatField())
        return SearchRank(StoredWords(), _tsquery(query), normalization=Value(2))

    def headline(self, query: str) -> Expression:
        """The snippet: the text in the reader's language (else the other's) around the words found,
        each between MARK_START and MARK_END; empty on SQLite."""
        if not self.snippet or not on_postgresql():
            return Value("")
        if self.snippet_in_both_languages:
            text = Coalesce(*[F(f"{self.snippet}_{code}") for code in reading_order()], Value(""))
        else:
            text = Coalesce(F(self.snippet), Value(""))
        return SearchHeadline(
            text,
            _tsquery(query),
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
