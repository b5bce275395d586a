"""Mitt team's rows and case alerts built in Python (team.templatetags.team_table) give the HTML
the template's former loops gave, cell for cell, escaping included, in Swedish and English."""

import datetime
import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from core.dates import date_formatter, format_date
from mentoring.models import CaseAlert, CaseType, RiskLevel
from mentoring.selectors import CaseAlertRow
from mentoring.selectors.caseload import ALERT_NO_RECENT_REVIEW, ALERT_NO_SUPERVISOR
from team.selectors import TeamMember
from team.templatetags.team_table import case_alert_items, member_rows

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


# The alert list as team/overview.html had it before it moved to Python (the reference).
FORMER_ALERTS = Template((Path(__file__).parent / "former_case_alerts.html").read_text())


def _alerts() -> list[CaseAlertRow]:
    hostile = "<script>alert('x')</script> & \"Åsa\""
    today = timezone.localdate()
    return [
        # Both kinds, every risk level, and everything a person or a municipality typed (the
        # reference, the holder's name, a case type of its own) in need of escaping.
        CaseAlertRow(
            case_id=7,
            url="/mentorskap/arenden/7/?a=1&b=2",
            reference='BoU-<7> & "x"',
            unit_id=1,
            unit_name="Barn & unga",
            holder_name=hostile,
            supervisor_name="",
            case_type="Egen <typ> & 'ort'",
            risk_level=level,
            risk_label=str(RiskLevel(level).label),
            kind=kind,
            since=today - datetime.timedelta(days=days),
            message=str(ALERT_NO_SUPERVISOR if kind == "no_supervisor" else ALERT_NO_RECENT_REVIEW),
        )
        for days, (level, kind) in enumerate(
            (level, kind)
            for level in RiskLevel.values
            for kind in (CaseAlert.Kind.NO_SUPERVISOR, CaseAlert.Kind.NO_RECENT_REVIEW)
        )
    ] + [
        CaseAlertRow(
            case_id=8,
            url="/mentorskap/arenden/8/",
            reference="BoU-2026-8",
            unit_id=1,
            unit_name="Vuxen",
            holder_name="Bo",
            supervisor_name="Cecilia",
            case_type=CaseType.label_of("Placering"),
            risk_level=RiskLevel.CRITICAL,
            risk_label=str(RiskLevel.CRITICAL.label),
            kind=CaseAlert.Kind.NO_RECENT_REVIEW,
            since=today - datetime.timedelta(days=400),
            message=str(ALERT_NO_RECENT_REVIEW),
        )
    ]


@pytest.mark.parametrize("language", ["sv", "en"])
def test_case_alerts_are_the_former_templates_items(language):
    with translation.override(language):
        alerts = _alerts()
        former = FORMER_ALERTS.render(Context({"alerts": alerts}))
        items = case_alert_items(alerts)
    assert _same_whitespace(items) == _same_whitespace(former)
    assert "<script>" not in items and "<7>" not in items and "<typ>" not in items
    assert items.count("<li>") == len(alerts) == 9


def test_no_alerts_no_items():
    assert case_alert_items([]) == ""
