"""One search box over parks, companies, IP records and the agreements the person may see."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from .. import selectors


@login_required
def search(request):
    query = request.GET.get("q", "").strip()[: selectors.SEARCH_MAX_LENGTH]
    results = selectors.search_everything(user=request.user, query=query) if query else None
    return render(request, "portal/search.html", {"query": query, "results": results, "crumbs": [(_("Search"), None)]})
