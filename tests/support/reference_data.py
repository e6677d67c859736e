"""Reference data the migrations create (the innovation chain, the sweeps' schedule), put back in a
test database that lost it.

Transactional tests (browser, Celery, concurrency) end with a flush, which empties every table, data
migrations' rows included. Within a run pytest-django orders them last; but a database kept for the
next run (--reuse-db) starts that run flushed. The data migrations' own functions put the rows back:
they are idempotent, and reusing them keeps the data in one place.
"""

import importlib

from django.apps import apps

DATA_MIGRATIONS = [
    ("agreements", "0002_innovation_stages", "create_stages"),
    ("agreements", "0006_names_in_two_languages", "name_stages_in_russian"),
    ("notifications", "0002_default_schedule", "create_schedule"),
]


def reference_data_restore() -> None:
    for app_label, migration, function in DATA_MIGRATIONS:
        module = importlib.import_module(f"{app_label}.migrations.{migration}")
        getattr(module, function)(apps, None)
