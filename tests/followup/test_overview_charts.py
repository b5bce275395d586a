"""The follow-up trend charts at phone width: eight quarters drawn narrow enough to be shown
whole at 375 px, with short labels under the bars so that no two years touch."""

from types import SimpleNamespace

from followup.indicators import Quarter
from followup.views import CHART_WIDTH, _chart


def _trend(first: Quarter):
    quarters = [first.shifted(n) for n in range(8)]
    cell = SimpleNamespace(shown=True, value=40)
    return SimpleNamespace(
        indicator=SimpleNamespace(label="Mentor inom 4 veckor från start"),
        points=[(quarter, cell) for quarter in quarters],
    )


def test_the_year_is_named_where_it_begins_and_never_beside_another():
    chart = _chart(_trend(Quarter(2025, 4)))
    assert chart.width == CHART_WIDTH and chart.fits_phone
    lines = [bar.label_lines for bar in chart.bars]
    assert lines == [
        ["K4"],
        ["K1", "2026"],
        ["K2"],
        ["K3"],
        ["K4"],
        ["K1", "2027"],
        ["K2"],
        ["K3"],
    ]
    # The description and the table keep the full labels.
    assert [bar.label for bar in chart.bars][:2] == ["2025 K4", "2026 K1"]


def test_a_trend_that_starts_mid_year_names_its_first_year():
    lines = [bar.label_lines for bar in _chart(_trend(Quarter(2025, 2))).bars]
    assert lines[:4] == [["K2", "2025"], ["K3"], ["K4"], ["K1", "2026"]]
