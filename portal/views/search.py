"""One search box over everything the person may see, grouped by kind (portal.search)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from common.page_cache import kept_page

from .. import selectors
from ..search import SEARCH_MAX_LENGTH


@login_required
def search(request):
    query = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]

    def context() -> dict:
        return {
            "query": query,
            "results": selectors.search_everything(user=request.user, query=query) if query else None,
        }

    kept = kept_page(request, page="search", template="portal/_search_body.html", context=context)
    return render(request, "portal/search.html", {"kept": kept, "query": query, "crumbs": [(_("Search"), None)]})
