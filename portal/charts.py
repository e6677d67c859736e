"""Charts drawn on the server as inline SVG: no JavaScript, no CDN, numbers also given as a table.

This module only computes geometry; the template draws it (portal/includes/milestone_chart.html).
"""

import datetime
import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .selectors import MonthCount

WIDTH = 640
HEIGHT = 240
LEFT = 36
RIGHT = 8
TOP = 12
BOTTOM = 40
BAR_SHARE = 0.6

# Bootstrap's success, primary and danger colours; the legend and the table name them too.
SERIES = (
    ("done", _("done"), "#198754"),
    ("open", _("open"), "#0d6efd"),
    ("overdue", _("overdue"), "#dc3545"),
)


@dataclass(frozen=True)
class Segment:
    kind: str
    label: str
    fill: str
    value: int
    y: float
    height: float


@dataclass(frozen=True)
class Bar:
    month: datetime.date
    counts: MonthCount
    x: float
    width: float
    centre: float
    is_current: bool
    segments: list[Segment]


@dataclass(frozen=True)
class Tick:
    value: int
    y: float


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    baseline: float
    bars: list[Bar]
    ticks: list[Tick]
    series: tuple
    label_y: float

    @property
    def is_empty(self) -> bool:
        return not any(bar.counts.total for bar in self.bars)


def tick_step(maximum: int, ticks: int = 4) -> int:
    """A round step (1, 2 or 5 times a power of ten) giving at most `ticks` steps up to `maximum`."""
    rough = max(maximum / ticks, 1)
    magnitude = 10 ** math.floor(math.log10(rough))
    for multiple in (1, 2, 5, 10):
        if multiple * magnitude >= rough:
            return int(multiple * magnitude)
    return int(10 * magnitude)


def milestone_month_chart(months: Sequence[MonthCount], *, today: datetime.date) -> BarChart:
    """Stacked bars per month: done at the bottom, then open, then overdue."""
    plot_height = HEIGHT - TOP - BOTTOM
    baseline = TOP + plot_height
    step = tick_step(max((month.total for month in months), default=0))
    top_value = max(step * math.ceil(max((m.total for m in months), default=0) / step), step)
    scale = plot_height / top_value
    slot = (WIDTH - LEFT - RIGHT) / max(len(months), 1)
    this_month = today.replace(day=1)

    bars = []
    for index, month in enumerate(months):
        x = LEFT + index * slot + slot * (1 - BAR_SHARE) / 2
        y = baseline
        segments = []
        for kind, label, fill in SERIES:
            value = getattr(month, kind)
            if value:
                height = value * scale
                y -= height
                segments.append(Segment(kind, label, fill, value, round(y, 1), round(height, 1)))
        bars.append(
            Bar(
                month=month.month,
                counts=month,
                x=round(x, 1),
                width=round(slot * BAR_SHARE, 1),
                centre=round(LEFT + index * slot + slot / 2, 1),
                is_current=month.month == this_month,
                segments=segments,
            )
        )
    ticks = [Tick(value, round(baseline - value * scale, 1)) for value in range(0, top_value + 1, step)]
    return BarChart(
        width=WIDTH,
        height=HEIGHT,
        plot_left=LEFT,
        plot_right=WIDTH - RIGHT,
        baseline=baseline,
        bars=bars,
        ticks=ticks,
        series=SERIES,
        label_y=baseline + 16,
    )
