"""The pictures' geometry: what the SVG templates draw (network/includes/*.svg), computed here.

Colours are the Okabe–Ito palette, told apart also by people with colour-blindness; every picture
has a table beside it with the same figures.
"""

import hashlib
import math
from array import array
from collections import Counter
from dataclasses import dataclass

from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.charts import tick_step

from . import layout
from .selectors import Coverage, Graph, TrackRecord

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
OTHER_REGIONS = "#999999"
EDGE_STYLES = {
    # group: (label, colour, dash pattern)
    "active": (_("active"), "#1b1f23", ""),
    "signed": (_("signed"), "#1b1f23", "8 4"),
    "planned": (_("in preparation"), "#6c757d", "2 4"),
    "finished": (_("finished"), "#adb5bd", "1 5"),
}
WIDTH, HEIGHT, MARGIN = 960, 640, 48
LAYOUT_CACHE_SECONDS = 24 * 60 * 60
# Past this many lines a picture is a hairball: the strongest are drawn, the tables list them all.
MAX_EDGES_DRAWN = 400
NODE_TITLE = _("%(park)s: %(residents)s resident companies, %(agreements)s agreements, %(partners)s partner parks")


@dataclass(frozen=True)
class DrawnNode:
    x: float
    y: float
    r: float
    fill: str
    name: str
    title: str
    url: str
    label: layout.Label | None


@dataclass(frozen=True)
class DrawnEdge:
    x1: float
    y1: float
    x2: float
    y2: float
    width: float
    stroke: str
    dash: str
    title: str
    url: str


@dataclass(frozen=True)
class LegendItem:
    label: str
    colour: str
    dash: str = ""


@dataclass(frozen=True)
class PlacedLegendItem:
    x: float
    y: float
    label: str
    colour: str
    dash: str
    kind: str  # "dot" (a region) or "line" (an edge style)


@dataclass(frozen=True)
class NetworkDrawing:
    width: int
    height: int
    nodes: list[DrawnNode]
    edges: list[DrawnEdge]
    regions: list[LegendItem]
    edge_styles: list[LegendItem]
    font_size: float
    legend: list[PlacedLegendItem]
    legend_height: int
    edges_left_out: int = 0

    @property
    def is_empty(self) -> bool:
        return not self.nodes

    @property
    def full_height(self) -> int:
        return self.height + self.legend_height


LEGEND_FONT = 12
LEGEND_ROW = 22


def place_legend(regions: list[LegendItem], edge_styles: list[LegendItem], *, top: float) -> tuple[list, int]:
    """The legend under the picture, item after item, wrapping at its width: regions, then edge styles."""
    placed, x, y = [], 12.0, top + LEGEND_ROW
    for kind, items in (("dot", regions), ("line", edge_styles)):
        for item in items:
            needed = 28 + len(item.label) * LEGEND_FONT * layout.CHARACTER_WIDTH + 16
            if x + needed > WIDTH - 12 and x > 12:
                x, y = 12.0, y + LEGEND_ROW
            placed.append(PlacedLegendItem(round(x, 1), y, item.label, item.colour, item.dash, kind))
            x += needed
        x, y = 12.0, y + LEGEND_ROW
    return placed, int(y - top)


def _cached_positions(graph: Graph) -> dict[int, tuple[float, float]]:
    """The layout, computed once per network: the key is a digest of the nodes and weighted edges."""
    node_ids = [node.park.pk for node in graph.nodes]
    edges = [(edge.a, edge.b, float(edge.total)) for edge in graph.edges]
    # Packed as numbers, not JSON: thousands of links are hashed in a millisecond.
    numbers = array(
        "q", [WIDTH, HEIGHT, *sorted(node_ids), *(n for e in sorted(edges) for n in (e[0], e[1], int(e[2])))]
    )
    digest = hashlib.sha256(numbers.tobytes()).hexdigest()
    key = f"network-layout:{digest}"
    found = cache.get(key)
    if found is None:
        found = layout.positions(node_ids, edges, width=WIDTH, height=HEIGHT, margin=MARGIN)
        cache.set(key, found, LAYOUT_CACHE_SECONDS)
    return {int(node): tuple(point) for node, point in found.items()}


def region_colours(graph: Graph) -> tuple[dict[str, str], list[LegendItem]]:
    """The regions with the most parks get a colour each, the others share grey."""
    counts = Counter(node.park.region or "" for node in graph.nodes)
    ranked = [region for region, _count in counts.most_common() if region][: len(PALETTE)]
    colours = {region: PALETTE[index] for index, region in enumerate(ranked)}
    legend = [LegendItem(region, colour) for region, colour in colours.items()]
    if len(colours) < len(counts):
        legend.append(LegendItem(str(_("other regions or none given")), OTHER_REGIONS))
    return colours, legend


def network_drawing(graph: Graph, *, edge_url) -> NetworkDrawing:
    """`edge_url(park_a, park_b)` gives the page listing an edge's agreements."""
    points = _cached_positions(graph)
    colours, regions = region_colours(graph)
    crowd = len(graph.nodes)
    # Smaller marks and labels the more parks there are, so that 200 still fit.
    scale = 1.0 if crowd <= 20 else max(0.45, math.sqrt(20 / crowd))
    font_size = round(13 * max(scale, 0.7), 1)
    radius = {node.park.pk: round((5 + 2.2 * math.sqrt(node.residents)) * scale, 1) for node in graph.nodes}
    radius = {pk: min(r, 28.0) for pk, r in radius.items()}
    names = {node.park.pk: str(node.park) for node in graph.nodes}
    labels = layout.place_labels(
        [(pk, *points[pk], radius[pk], names[pk]) for pk in names], width=WIDTH, height=HEIGHT, font_size=font_size
    )
    nodes = []
    for node in graph.nodes:
        pk = node.park.pk
        x, y = points[pk]
        title = _(
            "%(park)s: %(residents)s resident companies, %(agreements)s agreements, %(partners)s partner parks"
        ) % {
            "park": node.park.name,
            "residents": node.residents,
            "agreements": node.agreements,
            "partners": node.partners,
        }
        nodes.append(
            DrawnNode(
                x=x,
                y=y,
                r=radius[pk],
                fill=colours.get(node.park.region, OTHER_REGIONS),
                name=names[pk],
                title=str(title),
                url=reverse("parks:detail", args=[node.park.slug]),
                label=labels.get(pk),
            )
        )
    nodes.reverse()  # the busiest drawn last, on top
    edges = []
    for edge in graph.edges[:MAX_EDGES_DRAWN]:  # the strongest first (selectors.network_graph)
        label, stroke, dash = EDGE_STYLES[edge.group]
        (x1, y1), (x2, y2) = points[edge.a], points[edge.b]
        title = _("%(a)s – %(b)s: %(count)s agreements") % {"a": names[edge.a], "b": names[edge.b], "count": edge.total}
        edges.append(
            DrawnEdge(
                x1=x1,
                y1=y1,
                x2=x2,
                y2=y2,
                width=round((1 + 1.6 * math.log2(1 + edge.total)) * max(scale, 0.6), 1),
                stroke=stroke,
                dash=dash,
                title=str(title),
                url=edge_url(edge.a, edge.b),
            )
        )
    edges.reverse()
    edge_styles = [LegendItem(str(label), stroke, dash) for label, stroke, dash in EDGE_STYLES.values()]
    legend, legend_height = place_legend(regions, edge_styles, top=HEIGHT)
    left_out = max(len(graph.edges) - MAX_EDGES_DRAWN, 0)
    return NetworkDrawing(WIDTH, HEIGHT, nodes, edges, regions, edge_styles, font_size, legend, legend_height, left_out)


# --- the chain's coverage, as a grid ------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    x: float
    y: float
    size: float
    value: int
    fill: str
    title: str


@dataclass(frozen=True)
class CoverageDrawing:
    width: int
    height: int
    left: int
    top: int
    columns: list[tuple[float, str]]  # (x of the column's centre, stage name)
    rows: list[tuple[float, str]]  # (y of the row's centre, park or agreement)
    cells: list[Cell]


CELL = 34
SHADES = ("#f8f9fa", "#cfe2ff", "#9ec5fe", "#6ea8fe", "#3d8bfd", "#0d6efd")


def coverage_drawing(coverage: Coverage, *, row_name) -> CoverageDrawing:
    """A grid: a row per park (or agreement), a column per stage, darker for more agreements."""
    names = [row_name(row[0]) for row in coverage.rows]
    left = int(min(max((len(name) for name in names), default=10), 40) * 7.2) + 12
    top = 130
    maximum = max((value for row in coverage.rows for value in row[1]), default=0)
    cells = []
    for row_index, (subject, values) in enumerate(coverage.rows):
        for column, value in enumerate(values):
            shade = SHADES[0] if not value else SHADES[min(len(SHADES) - 1, 1 + (value - 1) * 4 // max(maximum, 1))]
            stage = coverage.stages[column]
            cells.append(
                Cell(
                    x=left + column * CELL,
                    y=top + row_index * CELL,
                    size=CELL - 4,
                    value=value,
                    fill=shade,
                    title=f"{row_name(subject)} · {stage}: {value}",
                )
            )
    return CoverageDrawing(
        # room on the right for the last column's slanted name
        width=left + max(len(coverage.stages), 1) * CELL + 110,
        height=top + max(len(coverage.rows), 1) * CELL + 8,
        left=left,
        top=top,
        columns=[(left + index * CELL + (CELL - 4) / 2, str(stage)) for index, stage in enumerate(coverage.stages)],
        rows=[(top + index * CELL + (CELL - 4) / 2, name[:40]) for index, name in enumerate(names)],
        cells=cells,
    )


# --- the track record, as stacked bars per quarter ------------------------------------------------------


@dataclass(frozen=True)
class QuarterBar:
    label: str
    x: float
    centre: float
    width: float
    segments: list[tuple[float, float, str, str]]  # (y, height, colour, title)


@dataclass(frozen=True)
class TrackDrawing:
    width: int
    height: int
    baseline: float
    left: float
    bars: list[QuarterBar]
    ticks: list[tuple[float, int]]
    series: list[LegendItem]
    legend: list[tuple[float, LegendItem]]  # (x, item), on one line under the bars


TRACK_SERIES = (
    ("on_time", _("done on time"), "#009E73"),
    ("late", _("done late"), "#E69F00"),
    ("overdue", _("overdue"), "#D55E00"),
    ("open", _("open, not yet due"), "#56B4E9"),
)


def track_drawing(record: TrackRecord) -> TrackDrawing:
    width, height, left, top, bottom = 720, 260, 40, 12, 44
    baseline = height - bottom
    maximum = max((quarter.due for quarter in record.quarters), default=0)
    step = tick_step(maximum)
    top_value = max(step * math.ceil(maximum / step), step)
    scale = (baseline - top) / top_value
    slot = (width - left - 8) / max(len(record.quarters), 1)
    bars = []
    for index, quarter in enumerate(record.quarters):
        values = {
            "on_time": quarter.on_time,
            "late": quarter.late,
            "overdue": quarter.overdue,
            "open": max(quarter.due - quarter.on_time - quarter.late - quarter.overdue, 0),
        }
        y = baseline
        segments = []
        for kind, label, colour in TRACK_SERIES:
            if values[kind]:
                segment_height = values[kind] * scale
                y -= segment_height
                segments.append(
                    (round(y, 1), round(segment_height, 1), colour, f"{quarter.label} · {label}: {values[kind]}")
                )
        x = left + index * slot + slot * 0.2
        bars.append(QuarterBar(quarter.label, round(x, 1), round(x + slot * 0.3, 1), round(slot * 0.6, 1), segments))
    ticks = [(round(baseline - value * scale, 1), value) for value in range(0, top_value + 1, step)]
    series = [LegendItem(str(label), colour) for _kind, label, colour in TRACK_SERIES]
    legend, x = [], float(left)
    for item in series:
        legend.append((round(x, 1), item))
        x += 20 + len(item.label) * 12 * layout.CHARACTER_WIDTH + 14
    return TrackDrawing(width, height, baseline, left, bars, ticks, series, legend)
