"""Mitt team's rows built in Python (team.templatetags.team_table) give the HTML the template's
former row loop gave, cell for cell, escaping included, in Swedish and English."""

import datetime
import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

from core.dates import date_formatter, format_date
from team.selectors import TeamMember
from team.templatetags.team_table import member_rows

# The row loop as team/overview.html had it before the rows moved to Python (the reference).
FORMER_ROWS = Template((Path(__file__).parent / "former_member_rows.html").read_text())


def _same_whitespace(html: str) -> str:
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


def _members() -> list[TeamMember]:
    hostile = "<script>alert('x')</script> & \"Åsa\""
    return [
        # Every branch: modules or none, overdue or not, a mentor, a new hire without one,
        # someone else without one, a certificate or none; names that need escaping.
        TeamMember(
            user_id=1,
            name=hostile,
            email="a@example.org",
            unit_name="Barn & unga <1>",
            roles=["Nyanställd", "Mentor"],
            start_date=datetime.date(2026, 1, 31),
            is_new_hire=True,
            completed=2,
            total=3,
            overdue=1,
            mentor_name="O'Brien <b>",
            certificate_title='Intro "Barn" & <unga>',
            certificate_issued=datetime.date(2025, 5, 9),
        ),
        TeamMember(
            user_id=2,
            name="Bo",
            email="b@example.org",
            unit_name="Vuxen",
            roles=["Nyanställd"],
            start_date=datetime.date(2026, 3, 1),
            is_new_hire=True,
        ),
        TeamMember(
            user_id=3,
            name="Cecilia",
            email="c@example.org",
            unit_name="Vuxen",
            roles=["Socialsekreterare"],
            start_date=datetime.date(2024, 12, 24),
            is_new_hire=False,
            completed=4,
            total=4,
        ),
    ]


@pytest.mark.parametrize("language", ["sv", "en"])
def test_rows_are_the_former_templates_rows(language):
    members = _members()
    with translation.override(language):
        former = FORMER_ROWS.render(Context({"members": members}))
        rows = member_rows(members)
    assert _same_whitespace(rows) == _same_whitespace(former)
    # Nothing the people typed reaches the page unescaped.
    assert "<script>" not in rows and "<b>" not in rows and "<unga>" not in rows
    assert rows.count("<tr>") == 3


def test_no_members_no_rows():
    assert member_rows([]) == ""


@pytest.mark.parametrize("language", ["sv", "en"])
def test_date_formatter_is_format_date(language):
    start = datetime.date(2026, 1, 1)
    with translation.override(language):
        format_day = date_formatter()
        for offset in range(366):
            day = start + datetime.timedelta(days=offset)
            assert format_day(day) == format_date(day)
        moment = datetime.datetime(2026, 11, 30, 23, 30, tzinfo=datetime.UTC)
        assert format_day(moment) == format_date(moment)  # the local day, as format_date
        assert format_day(None) == ""
