"""Names kept in two languages (django-modeltranslation): ordering and search over both.

`Localized("name")` is the name in the reader's language, the other language's where it is
missing, sorted with the reader's ICU collation on PostgreSQL (Russian: Cyrillic first, ё beside
е, case ignored; English: Latin first); SQLite (`make run`) sorts by code point.
`either_language("name", "icontains", q)` finds a record by its name in any language.
"""

from django.conf import settings
from django.db.models import CharField, F, Func, Q, Value
from django.db.models.expressions import Expression
from django.db.models.functions import Coalesce, NullIf
from django.utils.functional import lazy
from django.utils.translation import get_language, gettext
from modeltranslation.translator import NotRegistered, translator

# ICU collations PostgreSQL ships (with ICU support, the norm for PostgreSQL 10 and later).
COLLATIONS = {"ru": "ru-x-icu", "en": "en-x-icu"}
CYRILLIC = frozenset("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def reading_order() -> list[str]:
    """The reader's language first, then the others (the fallback order of modeltranslation)."""
    current = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    others = [code for code in languages() if code != current]
    return ([current] if current in languages() else []) + others


def either_language(field: str, lookup: str, value) -> Q:
    """`field__lookup=value` in any language, e.g. a park found by its Russian or English name."""
    query = Q()
    for code in languages():
        query |= Q(**{f"{field}_{code}__{lookup}": value})
    return query


def language_of_text(text: str) -> str:
    """`ru` for a text with Cyrillic letters, else `en`: where an untranslated name belongs."""
    return "ru" if CYRILLIC & set(text.lower()) else "en"


class _Collated(Func):
    """The expression as is, with the language's collation on PostgreSQL only."""

    template = "%(expressions)s"
    output_field = CharField()

    def __init__(self, expression, *, collation: str):
        super().__init__(expression)
        self.collation = collation

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f'({sql}) COLLATE "{self.collation}"', params


class Localized(Expression):
    """A translated field in the reader's language (decided when the query is built), else another one."""

    output_field = CharField()

    def __init__(self, field: str):
        super().__init__()
        self.field_name = field

    def __repr__(self) -> str:
        return f"Localized({self.field_name!r})"

    def prefix_references(self, prefix: str) -> "Localized":
        # Used when another model orders by a relation to this one (e.g. facilities by park).
        return Localized(f"{prefix}{self.field_name}")

    def get_refs(self) -> set:
        return set()

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        order = reading_order()
        names = [NullIf(F(f"{self.field_name}_{code}"), Value("")) for code in order]
        collation = COLLATIONS.get(order[0], COLLATIONS["en"])
        expression = _Collated(Coalesce(*names, F(self.field_name), output_field=CharField()), collation=collation)
        return expression.resolve_expression(query, allow_joins, reuse, summarize, for_save)


def populate_translations(fields_by_model: dict[str, tuple[str, ...]]):
    """A RunPython function copying each existing name into the field of its language (Cyrillic: ru).

    `fields_by_model` maps "app_label.ModelName" to its translated fields, historical models too,
    so that a record's history does not show the move as a change.
    """

    def populate(apps, schema_editor):
        for label, fields in fields_by_model.items():
            model = apps.get_model(label)
            changed = []
            for row in model._base_manager.only("pk", *fields).iterator():
                for field in fields:
                    value = getattr(row, field)
                    if value:
                        setattr(row, f"{field}_{language_of_text(value)}", value)
                changed.append(row)
            translated = [f"{field}_{code}" for field in fields for code in ("en", "ru")]
            model._base_manager.bulk_update(changed, translated, batch_size=1000)

    return populate


def _is_translated(model, path: str) -> bool:
    *relations, name = path.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    try:
        return name in translator.get_options_for_model(model).fields
    except NotRegistered:
        return False


def sort_expression(model, path: str) -> Expression:
    """What a list sorts by for `path`: a translated name in the reader's language, else the field."""
    return Localized(path) if _is_translated(model, path) else F(path)


def _descending(label) -> str:
    return gettext("%s (descending)") % label


class LazyDescendingFormat:
    """django-filter writes its "(descending)" sort labels once, at import, in English; these stay lazy."""

    def __mod__(self, label):
        return lazy(_descending, str)(label)


def shown_by_its_name(field) -> bool:
    """True for `title_en` on an English page: the field `title` already shows it, with fallback.

    Change lists (history, conflict messages) skip it, so that one edit is not listed twice.
    """
    language = getattr(field, "language", None)
    current = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return hasattr(field, "translated_field") and language == current
