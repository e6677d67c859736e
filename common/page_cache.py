"""Page bodies made once per version of the records and kept in the cache (docs/performance.md, round 5).

Most of a page's time is spent making its body: building the queries, running them and rendering
rows through the template engine. The body of a page depends only on the records, on what the
reader may see and do, on the URL, the language and the day, so it is kept under a key made of
exactly those and served again until one of them changes:

- the records' version is the newest entry of every history table (one query of index lookups); any
  change through the portal, the admin, the API or an import writes history, so the next request
  after it sees a new version. A change made without history (a bulk update in a shell) shows after
  `KEEP_SECONDS` at most;
- the reader is named by what decides visibility and buttons: administrator or not, and the role in
  each park (parks.access);
- the CSRF token a body's forms carry is the reader's own: bodies are kept with a secret placeholder,
  replaced on the way out.

What is personal (the navigation, messages, what waits for this person) stays outside the body and
is made on every request.
"""

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache

from django.core.cache import cache as shared_cache
from django.db import connection
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.safestring import SafeString, mark_safe

from parks.access import is_admin, park_roles

KEEP_SECONDS = 5 * 60


@dataclass(frozen=True)
class KeptPage:
    body: SafeString
    # Plain values the page around the body needs (its title, breadcrumbs), kept with it.
    extras: dict = field(default_factory=dict)


@cache
def _version_sql() -> str:
    from simple_history.models import registered_models

    tables = sorted(model.history.model._meta.db_table for model in registered_models.values())
    # max(history_id) per table grows with every entry: created, changed or deleted records.
    # Table names come from the models, never from input.
    quoted = [connection.ops.quote_name(table) for table in tables]
    return "SELECT " + ", ".join(f"(SELECT max(history_id) FROM {table})" for table in quoted)  # noqa: S608


def data_version() -> tuple:
    """The newest history entry of every kind of record: one query, each part an index lookup."""
    with connection.cursor() as cursor:
        cursor.execute(_version_sql())
        return tuple(cursor.fetchone())


def reader_key(user) -> str:
    """What decides what a reader sees and may do on a page: admin (superusers apart from staff, whose
    admin rights differ), or their role in each park."""
    if is_admin(user):
        return "superuser" if user.is_superuser else f"staff:{user.pk}"
    return ",".join(f"{park}:{role}" for park, role in sorted(park_roles(user).items()))


@cache
def _csrf_placeholder() -> str:
    # Secret, so that no record's text can carry it and be given a reader's token.
    return "csrf-" + salted_hmac("common.page_cache.csrf", "placeholder").hexdigest()


def kept_page(
    request: HttpRequest,
    *,
    page: str,
    template: str,
    context: Callable[[], dict],
    extras: Iterable[str] = (),
    fresh: bool = False,
) -> KeptPage:
    """The body `template` renders with `context()`, made once per version of the records, reader, URL,
    language and day, and kept `KEEP_SECONDS` at most. `extras` names context values kept beside it;
    `fresh` makes it without the cache (a form with errors)."""
    parts = (
        page,
        data_version(),
        reader_key(request.user),
        request.get_full_path(),
        translation.get_language(),
        timezone.localdate(),
    )
    cache_key = "page-body:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    kept = None if fresh else shared_cache.get(cache_key)
    if kept is None:
        values = context()
        body = render_to_string(template, {**values, "csrf_token": _csrf_placeholder()}, request=request)
        kept = (str(body), {name: values[name] for name in extras})
        if not fresh:
            shared_cache.set(cache_key, kept, KEEP_SECONDS)
    body, kept_extras = kept
    if _csrf_placeholder() in body:
        body = body.replace(_csrf_placeholder(), get_token(request))
    return KeptPage(mark_safe(body), kept_extras)  # noqa: S308 (the portal's own template's output, escaped there)
