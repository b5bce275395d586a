"""Mitt team's 12-week chart is compiled once per process (team.selectors._HISTORY, through
core.compiled) and bound to each request's day and units: it must count what the ORM built
for the request counts, for other days and other units than the first request's."""

import datetime

import pytest
from django.utils import timezone

from learning.models import Enrolment, ModuleDeadline, ModuleProgress
from learning.selectors import figures
from people.models import TEAM_ROLES, Membership, Role
from people.services import add_membership
from team import selectors as team_selectors
from tests.factories import UnitFactory, UserFactory
from tests.logs import logged

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def _person(unit, course, modules, *, late: int, done_late: bool):
    """Enrolled 60 days ago; the first `late` modules were due 30 days ago, the first of them
    done 10 days ago when done_late."""
    today = timezone.localdate()
    user = UserFactory()
    add_membership(None, user=user, role=Role.NEW_HIRE, unit=unit, start_date=today)
    enrolment = Enrolment.objects.create(
        user=user,
        course=course,
        enrolled_at=timezone.make_aware(
            datetime.datetime.combine(today - 60 * DAY, datetime.time(12))
        ),
    )
    for module in modules[:late]:
        ModuleDeadline.objects.create(enrolment=enrolment, module=module, due_date=today - 30 * DAY)
    if done_late:
        ModuleProgress.objects.create(
            enrolment=enrolment,
            module=modules[0],
            completed_at=timezone.make_aware(
                datetime.datetime.combine(today - 10 * DAY, datetime.time(12))
            ),
        )


def test_the_compiled_chart_counts_what_the_orm_counts(course, enhet_a, monkeypatch):
    # Templates of earlier tests in this process (other languages, other unit counts) aside.
    monkeypatch.setattr(team_selectors._HISTORY, "_templates", {})
    modules = list(course.get_children().specific().order_by("path"))
    enhet_b = UnitFactory(organisation=enhet_a.organisation)
    _person(enhet_a, course, modules, late=2, done_late=True)
    _person(enhet_a, course, modules, late=3, done_late=False)
    _person(enhet_b, course, modules, late=1, done_late=False)
    today = timezone.localdate()
    seen = []
    with logged("core.compiled") as log:
        for unit in (enhet_a, enhet_b, enhet_a):
            team = Membership.objects.filter(unit=unit, role__in=TEAM_ROLES).values("user_id")
            ids = list(team.values_list("user_id", flat=True))
            for day in (today, today - 5 * DAY):
                compiled = [count for _day, count in team_selectors.overdue_history([unit], day)]
                # A list of ids is built by the ORM for the request, as before.
                days = team_selectors.history_days(day)
                [built] = figures.overdue_history_rows(users=ids, days=days)
                assert compiled == list(built)
                seen.append(compiled)
        both = team_selectors.overdue_history([enhet_a, enhet_b], today)
    assert [count for _day, count in both] == [a + b for a, b in zip(seen[0], seen[2], strict=True)]
    assert not log.messages  # compiled, not built per call
    # One template for one unit, one for two: bound to other days and units since.
    assert len(team_selectors._HISTORY._templates) == 2
    # The figures differ between the requests, so a template bound to the first request's
    # days or units would have shown.
    assert len({tuple(counts) for counts in seen}) == 4
    assert seen[0][-1] == 1 + 3  # today: one module still open of two, and three
    assert seen[2][-1] == 1
