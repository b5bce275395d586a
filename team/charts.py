"""Small server-side SVG charts: geometry computed here, drawn by team/includes/bar_chart.html.

No JavaScript and no CDN; every chart also comes with its figures as a table for screen
readers and for people who would rather read numbers.
"""

from dataclasses import dataclass

WIDTH = 600
HEIGHT = 220
PADDING_LEFT = 36
PADDING_BOTTOM = 40
PADDING_TOP = 16


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: int
    label_x: float


@dataclass
class BarChart:
    title: str
    bars: list[Bar]
    ticks: list[tuple[float, int]]
    width: int = WIDTH
    height: int = HEIGHT
    baseline: float = HEIGHT - PADDING_BOTTOM
    left: int = PADDING_LEFT


def _nice_max(value: int) -> int:
    """The axis maximum: the smallest of 1, 2, 5 × 10^n that is at least the largest value."""
    if value <= 4:
        return 4
    step = 1
    while True:
        for factor in (1, 2, 5):
            if factor * step >= value:
                return factor * step
        step *= 10


def bar_chart(title: str, points: list[tuple[str, int]]) -> BarChart:
    """A vertical bar chart of labelled counts."""
    top = _nice_max(max((value for _label, value in points), default=0))
    plot_height = HEIGHT - PADDING_BOTTOM - PADDING_TOP
    slot = (WIDTH - PADDING_LEFT) / max(len(points), 1)
    bar_width = slot * 0.7
    bars = []
    for index, (label, value) in enumerate(points):
        height = plot_height * value / top
        x = PADDING_LEFT + index * slot + (slot - bar_width) / 2
        bars.append(
            Bar(
                x=round(x, 1),
                y=round(HEIGHT - PADDING_BOTTOM - height, 1),
                width=round(bar_width, 1),
                height=round(height, 1),
                label=label,
                value=value,
                label_x=round(x + bar_width / 2, 1),
            )
        )
    ticks = [
        (round(HEIGHT - PADDING_BOTTOM - plot_height * fraction, 1), round(top * fraction))
        for fraction in (0, 0.5, 1)
    ]
    return BarChart(title=title, bars=bars, ticks=ticks)
