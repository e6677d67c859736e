"""Where each park sits on the network picture, and where its label fits: plain Python and networkx.

No Django here: the positions are a function of the graph alone (seeded, so the same network is
always drawn the same way), which is what lets the views cache them per data version.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

import networkx

SEED = 7


def positions(
    node_ids: Sequence[int], edges: Sequence[tuple[int, int, float]], *, width: float, height: float, margin: float
) -> dict[int, tuple[float, float]]:
    """Force-directed positions (networkx's spring layout), scaled into the picture's frame.

    The largest group of linked parks fills the frame; smaller groups (two parks with agreements of
    their own) sit in a column on its right: laid out together, the layout would push them to a
    corner and squeeze everything else into another.
    """
    if not node_ids:
        return {}
    graph = networkx.Graph()
    graph.add_nodes_from(node_ids)
    graph.add_weighted_edges_from(edges)
    groups = sorted(networkx.connected_components(graph), key=lambda group: (-len(group), min(group)))
    if len(groups) == 1:
        return _laid_out(graph, margin, margin, width - margin, height - margin)
    main_right = width * 0.8
    found = _laid_out(graph.subgraph(groups[0]), margin, margin, main_right - margin, height - margin)
    # The other groups, each in a cell of a grid in the right-hand column, the largest first.
    others = groups[1:]
    columns = max(1, math.ceil(math.sqrt(len(others) * (width - main_right) / height)))
    rows = math.ceil(len(others) / columns)
    cell_width = (width - main_right - margin) / columns
    cell_height = (height - 2 * margin) / rows
    for index, group in enumerate(others):
        left = main_right + (index % columns) * cell_width
        top = margin + (index // columns) * cell_height
        inset = min(cell_width, cell_height) * 0.2
        found.update(
            _laid_out(
                graph.subgraph(group), left + inset, top + inset, left + cell_width - inset, top + cell_height - inset
            )
        )
    return found


def _laid_out(graph, left: float, top: float, right: float, bottom: float) -> dict[int, tuple[float, float]]:
    nodes = list(graph.nodes)
    if len(nodes) == 1:
        return {nodes[0]: (round((left + right) / 2, 1), round((top + bottom) / 2, 1))}
    # More room between nodes than the default, the more so the fewer there are.
    spread = 2.2 / math.sqrt(len(nodes))
    raw = networkx.spring_layout(graph, k=spread, iterations=120, seed=SEED, weight="weight")
    xs = [point[0] for point in raw.values()]
    ys = [point[1] for point in raw.values()]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    low_x, low_y = min(xs), min(ys)
    return {
        node: (
            round(left + (point[0] - low_x) / span_x * (right - left), 1),
            round(top + (point[1] - low_y) / span_y * (bottom - top), 1),
        )
        for node, point in raw.items()
    }


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: "Box") -> bool:
        return not (
            self.right <= other.left or other.right <= self.left or self.bottom <= other.top or other.bottom <= self.top
        )


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    anchor: str  # SVG text-anchor: start, end or middle
    box: Box  # the room it takes


# Approximate advance of one character of a sans-serif font, as a share of its size.
CHARACTER_WIDTH = 0.6


def place_labels(
    nodes: Sequence[tuple[int, float, float, float, str]], *, width: float, height: float, font_size: float
) -> dict[int, Label]:
    """Labels that never collide with one another or with a node, placed greedily in the order given
    (the busiest parks first): right of the node, then left, above, below; a label that fits nowhere
    is left out (the node keeps its tooltip, and the table beside the picture names every park).

    `nodes` are (id, x, y, radius, text).
    """
    marks = {node_id: Box(x - r, y - r, x + r, y + r) for node_id, x, y, r, _text in nodes}
    taken = list(marks.values())
    placed: dict[int, Label] = {}
    line = font_size * 1.2
    for node_id, x, y, radius, text in nodes:
        text_width = len(text) * font_size * CHARACTER_WIDTH
        gap = radius + 3
        half = line / 2
        candidates = [
            (x + gap, y + font_size / 3, "start", Box(x + gap, y - half, x + gap + text_width, y + half)),
            (x - gap, y + font_size / 3, "end", Box(x - gap - text_width, y - half, x - gap, y + half)),
            (x, y - gap - 2, "middle", Box(x - text_width / 2, y - gap - line, x + text_width / 2, y - gap)),
            (x, y + gap + font_size, "middle", Box(x - text_width / 2, y + gap, x + text_width / 2, y + gap + line)),
        ]
        own = marks[node_id]
        for label_x, label_y, anchor, box in candidates:
            inside = box.left >= 0 and box.top >= 0 and box.right <= width and box.bottom <= height
            if inside and not any(box.overlaps(other) for other in taken if other is not own):
                placed[node_id] = Label(round(label_x, 1), round(label_y, 1), anchor, box)
                taken.append(box)
                break
    return placed
