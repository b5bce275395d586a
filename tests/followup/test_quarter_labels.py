"""A quarter reads "2026 K3" in Swedish and "Q3 2026" in English (issue 17: the English
follow-up page said "2026 K3" in its heading, its quarter list and under its chart's bars)."""

from types import SimpleNamespace

import pytest
from django.utils import translation

from followup.indicators import Quarter
from followup.views import _chart


@pytest.mark.parametrize(
    ("language", "label", "lines"),
    [
        ("sv", "2025 K4", [["K4"], ["K1", "2026"], ["K2"]]),
        ("en", "Q4 2025", [["Q4"], ["Q1", "2026"], ["Q2"]]),
    ],
)
def test_a_quarter_is_named_in_the_readers_language(language, label, lines):
    first = Quarter(2025, 4)
    cell = SimpleNamespace(shown=True, value=40)
    trend = SimpleNamespace(
        indicator=SimpleNamespace(label="Mentor"),
        points=[(first.shifted(n), cell) for n in range(8)],
    )
    with translation.override(language):
        assert first.label == label
        chart = _chart(trend)
        assert [bar.label_lines for bar in chart.bars][:3] == lines
        assert chart.bars[0].label == label
    assert first.slug == "2025-K4"  # the address stays the same in both languages
