"""One search box over everything the person may see, grouped by kind (portal.search)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from .. import selectors
from ..search import SEARCH_MAX_LENGTH


@login_required
def search(request):
    query = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    results = selectors.search_everything(user=request.user, query=query) if query else None
    return render(request, "portal/search.html", {"query": query, "results": results, "crumbs": [(_("Search"), None)]})
