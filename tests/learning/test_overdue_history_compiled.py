"""The 12-week chart's SQL is compiled once per process (learning.selectors.figures
._history_template) and bound to each request's days and people: it must count what the ORM
built for the request counts, for other days and other people than the first request's."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from learning.models import Enrolment, ModuleDeadline, ModuleProgress
from learning.selectors import figures
from people.models import TEAM_ROLES, Membership, Role
from people.services import add_membership
from tests.factories import UnitFactory, UserFactory

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


def test_the_compiled_chart_counts_what_the_orm_counts(course, enhet_a):
    modules = list(course.get_children().specific().order_by("path"))
    enhet_b = UnitFactory(organisation=enhet_a.organisation)
    _person(enhet_a, course, modules, late=2, done_late=True)
    _person(enhet_a, course, modules, late=3, done_late=False)
    _person(enhet_b, course, modules, late=1, done_late=False)
    today = timezone.localdate()
    weeks = [today - datetime.timedelta(weeks=ago) for ago in range(11, -1, -1)]
    other_days = [day - 5 * DAY for day in weeks]
    seen = []
    for unit in (enhet_a, enhet_b):
        team = Membership.objects.filter(unit=unit, role__in=TEAM_ROLES).values("user_id")
        ids = list(team.values_list("user_id", flat=True))
        for days in (weeks, other_days):
            compiled = figures.overdue_history(users=team, days=days)
            # A list of ids is built by the ORM for the request, as before.
            assert compiled == figures.overdue_history(users=ids, days=days)
            seen.append(compiled)
    # The template was made once and then bound to other days and people.
    key = (connection.alias, len(weeks), timezone.get_current_timezone_name())
    assert figures._HISTORY_SQL[key] is not None
    # The figures differ between the requests, so a template bound to the first request's
    # days or people would have shown.
    assert len({tuple(counts) for counts in seen}) == 4
    assert seen[0][-1] == 1 + 3  # today: one module still open of two, and three
    assert seen[2][-1] == 1
