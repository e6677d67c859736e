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
    """Force-directed positions (networkx's spring layout), scaled into the picture's frame."""
    if not node_ids:
        return {}
    if len(node_ids) == 1:
        return {node_ids[0]: (width / 2, height / 2)}
    graph = networkx.Graph()
    graph.add_nodes_from(node_ids)
    graph.add_weighted_edges_from(edges)
    # More room between nodes than the default, the more so the fewer there are.
    spread = 2.2 / math.sqrt(len(node_ids))
    raw = networkx.spring_layout(graph, k=spread, iterations=120, seed=SEED, weight="weight")
    xs = [point[0] for point in raw.values()]
    ys = [point[1] for point in raw.values()]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    left, top = min(xs), min(ys)
    return {
        node: (
            round(margin + (point[0] - left) / span_x * (width - 2 * margin), 1),
            round(margin + (point[1] - top) / span_y * (height - 2 * margin), 1),
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
