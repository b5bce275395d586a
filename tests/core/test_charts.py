"""The one home for chart geometry (core.charts): both kinds of chart, their empty state, and
colours that come from the stylesheet only."""

import re
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

from core import charts


def test_bar_chart_scales_to_a_nice_maximum():
    chart = charts.bar_chart("Framsteg", [("0–25 %", 3), ("26–50 %", 7), ("51–100 %", 0)])
    assert [tick for _y, tick in chart.ticks] == [0, 5, 10]
    tallest = max(chart.bars, key=lambda bar: bar.value)
    assert tallest.value == 7 and tallest.height == round(164 * 7 / 10, 1)
    assert chart.has_data


def test_a_chart_without_data_says_so_instead_of_blank_axes():
    empty = charts.bar_chart("Försenade moduler", [("0", 0), ("1–2", 0)])
    assert not empty.has_data
    html = render_to_string("team/includes/bar_chart.html", {"chart": empty, "id": "c"})
    assert "Inga data ännu." in html and "<svg" not in html
    assert not charts.reference_bar_chart([]).has_data
    html = render_to_string(
        "mentoring/cases/_caseload_chart.html",
        {"chart": charts.reference_bar_chart([]), "chart_id": 1, "unit_name": "Barn och unga"},
    )
    assert "Inga data ännu." in html and "<svg" not in html


def test_reference_bars_mark_who_is_over_their_own_reference():
    chart = charts.reference_bar_chart(
        [
            charts.ReferencePoint("Ny Nilsson", Decimal("12.5"), 10, dashed=True),
            charts.ReferencePoint("Erfaren Ek", Decimal(8), 20),
        ]
    )
    over, under = chart.bars
    assert (over.over, over.protected, under.over, under.protected) == (True, True, False, False)
    assert chart.over_count == 1
    # The scale leaves a tenth of room beyond the largest value or reference (20 here).
    assert under.guideline_x == round(200 + 380 * 20 / 22, 1)


def test_chart_templates_take_their_colours_from_the_stylesheet():
    roots = [Path(settings.BASE_DIR) / app for app in ("team", "mentoring", "templates")]
    hard_coded = [
        f"{path.name}: {match.group(0)}"
        for root in roots
        for path in root.rglob("*chart*.html")
        for match in re.finditer(r'(?:fill|stroke)="#[0-9a-fA-F]{3,6}"', path.read_text())
    ]
    assert hard_coded == []


def test_a_phone_chart_of_eight_quarters_keeps_every_label_inside_the_drawing():
    """The follow-up trend at 375 px: eight "2026 K3" labels would overlap each other and the
    last would be cut at the right edge; each goes on two lines inside its own slot."""
    points = [(f"2026 K{n % 4 + 1}", n * 10) for n in range(8)]
    chart = charts.bar_chart("Mentor inom 4 veckor", points, width=320)
    assert chart.fits_phone and not charts.bar_chart("Team", points).fits_phone
    slot = (320 - charts.PADDING_LEFT - charts.PADDING_RIGHT) / 8
    for bar in chart.bars:
        assert bar.label_lines == ["2026", bar.label.split()[1]]
        widest = max(len(line) for line in bar.label_lines) * charts.CHAR_WIDTH
        assert widest <= slot
        assert bar.label_x + widest / 2 <= chart.width
    # The drawing grows by a line for the second line of labels; the plot keeps its place.
    assert chart.height == charts.HEIGHT + charts.LINE_HEIGHT
    html = render_to_string("team/includes/bar_chart.html", {"chart": chart, "id": "c"})
    assert 'class="chart-scroll chart-scroll--phone"' in html
    assert html.count("<tspan") == 16
    # Shorter labels under the bars; the description and the table keep the full ones.
    short = charts.bar_chart(
        "Mentor", points, width=320, axis_labels=["K1 2026", "K2", "K3", "K4"] * 2
    )
    assert [bar.label_lines for bar in short.bars[:2]] == [["K1", "2026"], ["K2"]]
    html = render_to_string("team/includes/bar_chart.html", {"chart": short, "id": "s"})
    assert "2026 K2: 10" in html and '<th scope="row">2026 K2</th>' in html
