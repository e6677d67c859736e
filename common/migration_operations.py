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
    """Adds an empty-by-default text column without rebuilding the table on SQLite.

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
        schema_editor.execute(f"ALTER TABLE {table} ADD COLUMN {column} {column_type} NOT NULL DEFAULT ''")
