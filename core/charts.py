"""Small server-side SVG charts: the geometry is computed here and drawn by a template as inline
SVG (no script, no CDN). Colours come from the stylesheet's classes, never from here, so a
chart follows the design system and the page's contrast. Every chart is shown with its figures
as a table too, for screen readers and for people who would rather read numbers."""

from dataclasses import dataclass
from decimal import Decimal

# --------------------------------------------------------------------------------------------
# Vertical bars: labelled counts (Mitt team's progress and overdue distributions)
# --------------------------------------------------------------------------------------------
WIDTH = 600
HEIGHT = 220
PADDING_LEFT = 36
PADDING_BOTTOM = 40
PADDING_TOP = 16
# Room to the right of the last bar, so that its label is never cut at the drawing's edge.
PADDING_RIGHT = 6
# A label's extra lines, and a generous estimate of the advance of one character of the 14 px
# label text (in drawing units), to decide when a label is too wide for its slot.
LINE_HEIGHT = 16
CHAR_WIDTH = 8.5
# Narrower than this, a chart is meant to fit a phone's width whole (its labels, at 14 units,
# stay at 12 px or more down to 320 px of box), not to scroll inside its box.
PHONE_WIDTH = 360


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: int
    label_x: float
    lines: list[str] | None = None

    @property
    def label_lines(self) -> list[str]:
        return self.lines or [self.label]


@dataclass
class BarChart:
    title: str
    bars: list[Bar]
    ticks: list[tuple[float, int]]
    width: int = WIDTH
    height: int = HEIGHT
    baseline: float = HEIGHT - PADDING_BOTTOM
    left: int = PADDING_LEFT
    # Axis titles, already in the reader's language: what a bar's label is and what its height
    # counts. They head the table beside the chart too, so its two columns say what they hold.
    x_label: str = ""
    y_label: str = ""

    @property
    def has_data(self) -> bool:
        """Blank axes say nothing: without a single non-zero value the page says so instead."""
        return any(bar.value for bar in self.bars)

    @property
    def fits_phone(self) -> bool:
        """Drawn narrow enough to be shown whole on a phone instead of scrolling in its box."""
        return self.width <= PHONE_WIDTH


def nice_max(value: float) -> int:
    """An axis maximum: the smallest of 1, 2, 5 × 10^n that is at least the value (4 at least)."""
    if value <= 4:
        return 4
    step = 1
    while True:
        for factor in (1, 2, 5):
            if factor * step >= value:
                return factor * step
        step *= 10


def label_lines(label: str, room: float) -> list[str]:
    """A label wider than its slot, broken at the space nearest its middle onto two lines, so
    that it never runs into its neighbour's label or past the edge of the drawing."""
    if len(label) * CHAR_WIDTH <= room or " " not in label.strip():
        return [label]
    middle = len(label) / 2
    spaces = [i for i, char in enumerate(label) if char == " "]
    cut = min(spaces, key=lambda i: abs(i - middle))
    return [label[:cut], label[cut + 1 :]]


def bar_chart(
    title: str,
    points: list[tuple[str, int]],
    *,
    width: int = WIDTH,
    axis_labels: list[str] | None = None,
    x_label: str = "",
    y_label: str = "",
) -> BarChart:
    """A vertical bar chart of labelled counts, `width` drawing units wide (a narrow one, at
    most PHONE_WIDTH, is shown whole on a phone; a wider one scrolls in its box there).
    `axis_labels`, when given, are drawn under the bars in place of the labels (shorter ones
    for a narrow chart); the labels stay in the chart's description and its table. `x_label`
    and `y_label` are the axis titles, when given."""
    top = nice_max(max((value for _label, value in points), default=0))
    plot_height = HEIGHT - PADDING_BOTTOM - PADDING_TOP
    slot = (width - PADDING_LEFT - PADDING_RIGHT) / max(len(points), 1)
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
                lines=label_lines(axis_labels[index] if axis_labels else label, slot - 4),
            )
        )
    ticks = [
        (round(HEIGHT - PADDING_BOTTOM - plot_height * fraction, 1), round(top * fraction))
        for fraction in (0, 0.5, 1)
    ]
    extra_lines = max((len(bar.label_lines) - 1 for bar in bars), default=0)
    return BarChart(
        title=title,
        bars=bars,
        ticks=ticks,
        width=width,
        height=HEIGHT + extra_lines * LINE_HEIGHT,
        x_label=x_label,
        y_label=y_label,
    )


# --------------------------------------------------------------------------------------------
# Horizontal bars against a reference mark per row (caseload against each person's guideline)
# --------------------------------------------------------------------------------------------
@dataclass
class ReferencePoint:
    """One row to draw: a value, the row's own reference (a guideline), and how to mark it."""

    label: str
    value: Decimal | float
    reference: float
    dashed: bool = False  # a reference of another kind (e.g. the protected first year)

    @property
    def over(self) -> bool:
        return self.value > self.reference


@dataclass
class ReferenceBar:
    y: int
    name: str
    value: Decimal | float
    guideline: float
    bar_width: float
    guideline_x: float
    over: bool
    protected: bool


@dataclass
class ReferenceBarChart:
    width: int
    height: int
    label_width: int
    plot_width: int
    bars: list[ReferenceBar]
    over_count: int

    @property
    def plot_right(self) -> int:
        return self.label_width + self.plot_width

    @property
    def has_data(self) -> bool:
        return bool(self.bars)


def reference_bar_chart(points: list[ReferencePoint]) -> ReferenceBarChart:
    """A horizontal bar per row and a tick at the row's own reference; the scale leaves a tenth
    of room to the right of the largest value or reference."""
    label_width, plot_width, row_height, top = 200, 380, 30, 10
    scale_max = max([float(p.value) for p in points] + [p.reference for p in points] + [1]) * 1.1
    bars = [
        ReferenceBar(
            y=top + index * row_height,
            name=point.label,
            value=point.value,
            guideline=point.reference,
            bar_width=round(plot_width * float(point.value) / scale_max, 1),
            guideline_x=round(label_width + plot_width * point.reference / scale_max, 1),
            over=point.over,
            protected=point.dashed,
        )
        for index, point in enumerate(points)
    ]
    return ReferenceBarChart(
        width=label_width + plot_width + 110,
        height=top * 2 + row_height * max(len(points), 1),
        label_width=label_width,
        plot_width=plot_width,
        bars=bars,
        over_count=sum(1 for p in points if p.over),
    )
