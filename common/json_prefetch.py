"""Small related lists loaded inside their parent's own query, as JSON arrays (PostgreSQL).

A detail page that prefetches six short many-to-many lists pays six round trips for a handful of
rows. `json_rows` turns a queryset (with its ordering, filters and one level of select_related)
into an array of JSON objects annotated on the parent's row; `load_rows` turns that array back
into model instances and `attach` stores them where a prefetch would, so templates and code that
call `obj.relation.all()` work unchanged and run no query.

Pages go through `fetch_with_lists`, which takes that path on PostgreSQL and falls back to
ordinary prefetch_related elsewhere (the SQLite of `make run`): the same lists, more queries.
"""

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection, connections
from django.db.models import (
    DecimalField,
    F,
    Func,
    IntegerField,
    JSONField,
    Model,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
)
from django.db.models.functions import JSONObject


class _RowJson(Func):
    """to_jsonb(<table>.*): the whole row of the table that holds the given column (cheap to
    compile, unlike an expression per field)."""

    output_field = JSONField()

    def as_sql(self, compiler, connection, **extra_context):
        (column,) = self.get_source_expressions()
        sql, params = compiler.compile(column)
        return f"to_jsonb({sql.rsplit('.', 1)[0]}.*)", params


def _row_of(model: type[Model], prefix: str = "") -> _RowJson:
    # A field other than the primary key, so that the join to a related table is not trimmed away.
    field = next(field for field in model._meta.concrete_fields if not field.primary_key)
    return _RowJson(F(prefix + field.attname))


def _related_model(model: type[Model], path: str) -> type[Model]:
    for name in path.split("__"):
        model = model._meta.get_field(name).related_model
    return model


def json_rows(queryset: QuerySet, *, related: Sequence[str] = (), extra: Sequence[str] = ()) -> ArraySubquery:
    """An array of the queryset's rows as JSON objects: its model's row, each of `related` (a
    foreign key, or a path of them such as "company__technopolis", loaded as select_related would)
    and the `extra` annotations, in the queryset's order."""
    model = queryset.model
    values = {"row": _row_of(model)}
    for name in related:
        values[f"__{name}"] = _row_of(_related_model(model, name), f"{name}__")
    values.update({f"__{name}": F(name) for name in extra})
    if hasattr(queryset, "rewrite"):
        # modeltranslation's querysets add the translated columns to values(): one column is wanted.
        queryset = queryset.rewrite(False)
    return ArraySubquery(queryset.values(json=JSONObject(**values)))


def _value(field, value):
    if value is None:
        return None
    if isinstance(field, DecimalField):  # JSON numbers arrive as floats: back to the column's scale
        return Decimal(str(value)).quantize(Decimal(1).scaleb(-field.decimal_places))
    return field.to_python(value)  # dates and times arrive as ISO strings


def _instance(model: type[Model], row: dict) -> Model:
    fields = model._meta.concrete_fields
    return model.from_db(
        connection.alias,
        [field.attname for field in fields],
        [_value(field, row.get(field.column)) for field in fields],
    )


def load_rows(model: type[Model], rows: list[dict] | None, *, related: Sequence[str] = (), extra: Sequence[str] = ()):
    """Model instances from `json_rows`' array, with their related objects and annotations set."""
    instances = []
    for row in rows or []:
        instance = _instance(model, row["row"])
        # Shorter paths first: "company" is set before "company__technopolis" is set on it.
        for name in sorted(related, key=lambda path: path.count("__")):
            *steps, last = name.split("__")
            holder = instance
            for step in steps:
                holder = getattr(holder, step) if holder is not None else None
            if holder is None:
                continue
            field = holder._meta.get_field(last)
            target = row.get(f"__{name}")
            # A null foreign key gives an object of nulls: no related object.
            pk_column = field.related_model._meta.pk.column
            value = _instance(field.related_model, target) if target and target.get(pk_column) is not None else None
            field.set_cached_value(holder, value)
        for name in extra:
            setattr(instance, name, row.get(f"__{name}"))
        instances.append(instance)
    return instances


def attach(instance: Model, name: str, objects: list[Model]) -> None:
    """Stores `objects` as the prefetched content of `instance.<name>` (a many-to-many or reverse relation)."""
    relation = instance._meta.get_field(name)
    if relation.one_to_many:  # each child knows its parent, as after a prefetch
        for child in objects:
            relation.field.set_cached_value(child, instance)
    queryset = getattr(instance, name).get_queryset()
    queryset._result_cache = objects
    queryset._prefetch_done = True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[name] = queryset


# --- Both paths: what a page calls -----------------------------------------------------------

# A list shown beside the parent: its rows and the foreign keys to load along (as select_related).
# The rows are either a queryset of a relation of the parent (the name is the relation, or a
# relation of a relation such as "parties__witnesses", listed after its first step), or a function
# of the parent returning a queryset, for a list that is no relation (stored as a plain list
# attribute). In the parent's query that function gets a stand-in whose attributes are OuterRefs.
ListRows = QuerySet | Callable[[object], QuerySet]
Lists = Mapping[str, tuple[ListRows, Sequence[str]]]

_OWNER = "_json_prefetch_owner"  # on nested rows in the parent's query: the pk of the object they belong to


class _Outer:
    """The parent inside its own query: `parent.pk` in a list's function becomes OuterRef("pk")."""

    def __getattr__(self, name: str) -> OuterRef:
        return OuterRef(name)


def _back_lookup(relation) -> str:
    """The lookup from the relation's rows back to the object that holds the relation."""
    if relation.many_to_many and not relation.auto_created:  # a ManyToManyField declared on the holder
        return relation.related_query_name()
    return relation.field.name  # a reverse foreign key or many-to-many


def _correlated(model: type[Model], path: str, rows: QuerySet) -> QuerySet:
    """The relation's rows of the parent in whose query they are annotated; nested rows with their owner's pk."""
    lookups = []
    for name in path.split("__"):
        relation = model._meta.get_field(name)
        lookups.insert(0, _back_lookup(relation))
        model = relation.related_model
    rows = rows.filter(**{"__".join(lookups): OuterRef("pk")})
    return rows.annotate(**{_OWNER: F(lookups[0])}) if len(lookups) > 1 else rows


def _owners(parent: Model, path: str) -> list[Model]:
    """The objects holding the last step of `path`, reached through the lists already attached."""
    owners = [parent]
    for name in path.split("__")[:-1]:
        owners = [child for owner in owners for child in getattr(owner, name).all()]
    return owners


def _attach_json(parent: Model, name: str, objects: list[Model]) -> None:
    *_steps, last = name.split("__")
    if not _steps:
        attach(parent, name, objects)
        return
    owners = _owners(parent, name)
    by_owner: dict[int, list[Model]] = {owner.pk: [] for owner in owners}
    for instance in objects:
        by_owner[instance.__dict__.pop(_OWNER)].append(instance)
    for owner in owners:
        attach(owner, last, by_owner[owner.pk])


def fetch_with_lists(queryset: QuerySet, lists: Lists, *, get: Callable[[QuerySet], Model] = QuerySet.get) -> Model:
    """The parent `get(queryset)` returns (e.g. QuerySet.get or a 404 helper), with `lists` loaded.

    On PostgreSQL every list comes inside the parent's own query (json_rows); elsewhere relations
    are prefetched with the same querysets and each other list is one query after the parent.
    Either way a relation reads as `parent.<name>.all()`, any other list as `parent.<name>`, and
    the querysets' annotations are set on the rows.
    """
    model = queryset.model
    relations = {name: spec for name, spec in lists.items() if isinstance(spec[0], QuerySet)}
    others = {name: spec for name, spec in lists.items() if name not in relations}
    clashes = [name for name in others if hasattr(model, name)]
    if clashes:
        raise ValueError(f"{model.__name__} already has {clashes}: a list that is no relation needs a new name.")
    if connections[queryset.db].vendor != "postgresql":
        parent = get(
            queryset.prefetch_related(
                *(Prefetch(name, queryset=_along(rows, fks)) for name, (rows, fks) in relations.items())
            )
        )
        for name, (rows, fks) in others.items():
            setattr(parent, name, list(_along(rows(parent), fks)))
        return parent
    rows_of = {name: _correlated(model, name, rows) for name, (rows, _fks) in relations.items()}
    rows_of |= {name: rows(_Outer()) for name, (rows, _fks) in others.items()}
    columns = {name: "_json_" + name.replace("__", "_") for name in lists}
    parent = get(
        queryset.annotate(
            **{
                columns[name]: json_rows(rows_of[name], related=lists[name][1], extra=_annotations(rows_of[name]))
                for name in lists
            }
        )
    )
    for name, (_rows, fks) in lists.items():
        rows = rows_of[name]
        objects = load_rows(rows.model, getattr(parent, columns[name]), related=fks, extra=_annotations(rows))
        if name in relations:
            _attach_json(parent, name, objects)
        else:
            setattr(parent, name, objects)
    return parent


def with_lists(queryset: QuerySet, lists: Lists) -> QuerySet:
    """`queryset` whose every row brings `lists` (relations of its model, as in fetch_with_lists): in its
    own query as JSON arrays on PostgreSQL, prefetched elsewhere. `lists_attached` turns the rows
    taken from it (a page of a list) into objects whose `<name>.all()` runs no query."""
    if connections[queryset.db].vendor != "postgresql":
        return queryset.prefetch_related(
            *(Prefetch(name, queryset=_along(rows, fks)) for name, (rows, fks) in lists.items())
        )
    model = queryset.model
    return queryset.annotate(
        **{
            _list_column(name): json_rows(_correlated(model, name, rows), related=fks, extra=_annotations(rows))
            for name, (rows, fks) in lists.items()
        }
    )


def lists_attached(objects, lists: Lists) -> list[Model]:
    """The objects of a `with_lists` queryset, with their lists stored as a prefetch would."""
    objects = list(objects)
    for parent in objects:
        for name, (rows, fks) in lists.items():
            column = _list_column(name)
            if column in parent.__dict__:  # PostgreSQL: the JSON array (elsewhere already prefetched)
                loaded = load_rows(rows.model, parent.__dict__.pop(column), related=fks, extra=_annotations(rows))
                _attach_json(parent, name, loaded)
    return objects


def _list_column(name: str) -> str:
    return "_json_" + name.replace("__", "_")


class RowCount(Subquery):
    """How many rows the queryset has, as a value in another query (one query for several counts)."""

    template = "(SELECT count(*) FROM (%(subquery)s) AS counted)"
    output_field = IntegerField()

    def __init__(self, queryset: QuerySet):
        super().__init__(queryset.order_by().values("pk"))


def related_paths(queryset: QuerySet) -> list[str]:
    """The foreign keys the queryset's select_related names, as paths ("company__technopolis")."""

    def walk(tree: dict, prefix: str) -> list[str]:
        paths = []
        for name, subtree in tree.items():
            paths.append(prefix + name)
            paths += walk(subtree, f"{prefix}{name}__")
        return paths

    tree = queryset.query.select_related
    return walk(tree, "") if isinstance(tree, dict) else []


def _along(rows: QuerySet, fks: Sequence[str]) -> QuerySet:
    return rows.select_related(*fks) if fks else rows  # select_related() without names would follow every key


def _annotations(rows: QuerySet) -> list[str]:
    return list(rows.query.annotation_select)
