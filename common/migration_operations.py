"""Migration operations for what only PostgreSQL (production, tests) can build."""

from django.db import migrations


class AddIndexOnPostgreSQL(migrations.AddIndex):
    """Adds the index on PostgreSQL and only records it elsewhere.

    SQLite, the quick local run's database, refuses NULLS LAST in an index; it needs no index tuned
    for thousands of rows anyway.
    """

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class AddConstraintOnPostgreSQL(migrations.AddConstraint):
    """Adds the check constraint on PostgreSQL and only records it elsewhere.

    SQLite adds a constraint by rebuilding the table with every index of the model's state, which
    fails on a table with a NULLS LAST index (see AddIndexOnPostgreSQL). The quick run still has the
    fields' validators.
    """

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class AddTextFieldInPlace(migrations.AddField):
    """Adds a text column (empty, or the field's default, in the rows there are) without rebuilding
    the table on SQLite.

    SQLite's schema editor rebuilds a table to add a NOT NULL column, and the rebuild fails on a table
    with a NULLS LAST index (see AddIndexOnPostgreSQL); ALTER TABLE ADD COLUMN with a default needs no
    rebuild. PostgreSQL adds the field as usual.
    """

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "sqlite":
            super().database_forwards(app_label, schema_editor, from_state, to_state)
            return
        model = to_state.apps.get_model(app_label, self.model_name)
        field = model._meta.get_field(self.name)
        quote = schema_editor.quote_name
        table, column = quote(model._meta.db_table), quote(field.column)
        column_type = field.db_type(schema_editor.connection)
        default = schema_editor.quote_value(field.get_default() or "")
        schema_editor.execute(f"ALTER TABLE {table} ADD COLUMN {column} {column_type} NOT NULL DEFAULT {default}")


class StoredSearchVector(migrations.operations.base.Operation):
    """PostgreSQL only: a `search_vector` column on `table` holding the words of `columns` in English
    and Russian (common.search), kept by a trigger on every insert and update, with its GIN index.

    The column is no model field: the site search reads it (common.search.StoredWords), nothing else
    sees it, so forms, history and the "did anything change" checks never meet a derived value.
    Searching a stored vector costs a lookup; an expression index made every match and every rank
    compute the text's vector again (1 s for 50,000 matching IP records).
    """

    reversible = True

    def __init__(self, table: str, columns: list[str]):
        self.table, self.columns = table, columns

    def state_forwards(self, app_label, state):
        pass

    def _vector(self, prefix: str) -> str:
        text = " || ' ' || ".join(f"COALESCE({prefix}{column}::text, '')" for column in self.columns)
        return f"to_tsvector('english'::regconfig, {text}) || to_tsvector('russian'::regconfig, {text})"

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = self.table
        schema_editor.execute(f"ALTER TABLE {table} ADD COLUMN search_vector tsvector")
        schema_editor.execute(
            f"CREATE FUNCTION {table}_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN NEW.search_vector := {self._vector('NEW.')}; RETURN NEW; END $$"
        )
        schema_editor.execute(
            f"CREATE TRIGGER {table}_search_vector BEFORE INSERT OR UPDATE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {table}_search_vector()"
        )
        # Table and column names come from the migration itself, never from input.
        schema_editor.execute(f"UPDATE {table} SET search_vector = {self._vector('')}")  # noqa: S608
        schema_editor.execute(f"CREATE INDEX {table}_search ON {table} USING gin (search_vector)")

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {self.table}_search_vector ON {self.table}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {self.table}_search_vector()")
        schema_editor.execute(f"ALTER TABLE {self.table} DROP COLUMN IF EXISTS search_vector")

    def describe(self):
        return f"Stored search vector of {self.table} ({', '.join(self.columns)})"

    def deconstruct(self):
        return self.__class__.__qualname__, [], {"table": self.table, "columns": self.columns}
