"""The network pages: who works with whom, the innovation chain covered, the track record.

Each picture is an SVG drawn by the portal, with a table of the same figures beside it; `?format=`
downloads it as SVG or PNG, or its figures as CSV or XLSX, in the reader's language.
"""

import cairosvg
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from common.exports import csv_response, xlsx_response
from common.page_cache import kept_page
from parks.models import Technopolis

from . import drawing, selectors, tables
from .filters import NetworkFilterForm

DOWNLOADS = ("svg", "png", "csv", "xlsx")
LINKS_SHOWN = 50
# A safety net beside the data version: a change made without history (a bulk update) shows within this.


def _common(request: HttpRequest, filters: NetworkFilterForm) -> dict:
    """What every network page shows: the filters, the download buttons, links the downloads keep."""
    return {
        "filters": filters,
        "query": _query_without_format(request),
        "download_formats": [
            ("svg", _("Picture (SVG)")),
            ("png", _("Picture (PNG)")),
            ("csv", _("Figures (CSV)")),
            ("xlsx", _("Figures (XLSX)")),
        ],
        # A downloaded picture links back to the portal's pages with full addresses.
        "link_prefix": settings.SITE_URL if request.GET.get("format") else "",
    }


def _picture_response(request: HttpRequest, template: str, context: dict, name: str) -> HttpResponse:
    svg = render_to_string(template, {**context, "standalone": True}, request=request)
    if request.GET["format"] == "png":
        response = HttpResponse(cairosvg.svg2png(bytestring=svg.encode(), scale=2), content_type="image/png")
    else:
        response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{request.GET["format"]}"'
    return response


def _table_response(request: HttpRequest, table: tables.Table, name: str) -> HttpResponse:
    if request.GET["format"] == "xlsx":
        return xlsx_response(f"{name}.xlsx", table.header, table.rows)
    return csv_response(f"{name}.csv", table.header, table.rows)


def _download(request: HttpRequest, *, template: str, context: dict, table, name: str):
    """The download asked for (`?format=`), or None for the page itself; `table` makes the figures'
    table, only when they are downloaded."""
    chosen = request.GET.get("format")
    if not chosen:
        return None
    if chosen not in DOWNLOADS:
        raise Http404("Unknown format")
    if chosen in ("svg", "png"):
        return _picture_response(request, template, context, name)
    return _table_response(request, table(), name)


def _query_without_format(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("format", None)
    return query.urlencode()


def _network_figures(request: HttpRequest, filters: NetworkFilterForm, query: str, today) -> tuple:
    """The graph, its picture and its busiest links."""
    graph = selectors.network_graph(user=request.user, filters=filters, today=today)

    def edge_url(a: int, b: int) -> str:
        url = reverse("network:edge", args=[a, b])
        return f"{url}?{query}" if query else url

    picture = drawing.network_drawing(graph, edge_url=edge_url)
    names = {node.park.pk: str(node.park) for node in graph.nodes}
    links = [
        {
            "first": names[edge.a],
            "second": names[edge.b],
            "url": edge_url(edge.a, edge.b),
            "total": edge.total,
            "counts": [edge.by_group[group] for group in selectors.EDGE_GROUPS],
        }
        for edge in graph.edges[:LINKS_SHOWN]
    ]
    return graph, picture, links


def _kept_body(request: HttpRequest, page: str, template: str, context) -> str:
    """The page's body below its tabs, kept per version of the records (common.page_cache): the map
    and the chain are the portal's dearest pages to make (docs/performance.md)."""
    return kept_page(request, page=f"network-{page}", template=template, context=context).body


@login_required
@require_GET
def network(request: HttpRequest) -> HttpResponse:
    filters = NetworkFilterForm(request.GET or None)
    query = _query_without_format(request)
    today = timezone.localdate()
    if request.GET.get("format"):
        graph, picture, _links = _network_figures(request, filters, query, today)
        context = {**_common(request, filters), "picture": picture, "graph": graph}
        return _download(
            request,
            template="network/includes/network.svg",
            context=context,
            table=lambda: tables.network_table(graph),
            name="network",
        )

    def context() -> dict:
        graph, picture, links = _network_figures(request, filters, query, today)
        return {
            **_common(request, filters),
            "picture": picture,
            "graph": graph,
            "links": links,
            "more_links": len(graph.edges) > LINKS_SHOWN,
        }

    body = _kept_body(request, "network", "network/_network_body.html", context)
    return render(request, "network/network.html", {"body": body})


@login_required
@require_GET
def edge(request: HttpRequest, park_a: int, park_b: int) -> HttpResponse:
    first = get_object_or_404(Technopolis, pk=park_a)
    second = get_object_or_404(Technopolis, pk=park_b)
    filters = NetworkFilterForm(request.GET or None)
    agreements = selectors.agreements_between(user=request.user, filters=filters, park_a=first, park_b=second)
    return render(
        request,
        "network/edge.html",
        {"first": first, "second": second, "agreements": agreements[:200], "query": _query_without_format(request)},
    )


def _chosen_park(request: HttpRequest) -> Technopolis | None:
    slug = request.GET.get("park")
    return get_object_or_404(Technopolis, slug=slug) if slug else None


@login_required
@require_GET
def coverage(request: HttpRequest) -> HttpResponse:
    filters = NetworkFilterForm(request.GET or None)
    park = _chosen_park(request)

    def context() -> dict:
        found = selectors.stage_coverage(user=request.user, filters=filters, park=park)
        return {
            **_common(request, filters),
            "picture": drawing.coverage_drawing(
                found, row_name=lambda subject: getattr(subject, "reference", str(subject))
            ),
            "coverage": found,
            "park": park,
            "parks": Technopolis.objects.order_by("name"),
        }

    if request.GET.get("format"):
        made = context()
        return _download(
            request,
            template="network/includes/coverage.svg",
            context=made,
            table=lambda: tables.coverage_table(made["coverage"], by_agreement=park is not None),
            name=f"coverage-{park.slug}" if park else "coverage",
        )
    body = _kept_body(request, "coverage", "network/_coverage_body.html", context)
    return render(request, "network/coverage.html", {"body": body})


@login_required
@require_GET
def track_record(request: HttpRequest) -> HttpResponse:
    filters = NetworkFilterForm(request.GET or None)
    park = _chosen_park(request)
    title = _("Track record of %(park)s") % {"park": park} if park else _("Track record of the network")

    def context() -> dict:
        record = selectors.track_record(user=request.user, today=timezone.localdate(), park=park, filters=filters)
        return {
            **_common(request, filters),
            "picture": drawing.track_drawing(record),
            "record": record,
            "park": park,
            "parks": Technopolis.objects.order_by("name"),
            "title": title,
        }

    if request.GET.get("format"):
        made = context()
        return _download(
            request,
            template="network/includes/track_record.svg",
            context=made,
            table=lambda: tables.track_table(made["record"]),
            name=f"track-record-{park.slug}" if park else "track-record",
        )
    body = _kept_body(request, "track", "network/_track_record_body.html", context)
    return render(request, "network/track_record.html", {"body": body, "title": title})
