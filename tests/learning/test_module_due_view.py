"""The module view at scale (issue 23): the figures read `learning_moduledue` without joining
the enrolments a second time (that join made Mitt team's query too large for PostgreSQL to plan
as one, and it computed the view for every enrolment in the country), and counted per enrolment
without COUNT(DISTINCT). The answers stay those of the one definition of "overdue"."""

import datetime
import importlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from content.models import Audience, CourseKind
from learning.models import Enrolment, ModuleDue
from learning.selectors import figures
from tests.learning.test_one_set_of_figures import world  # noqa: F401 - the shared fixture

DAY = datetime.timedelta(days=1)


def _sql(call) -> str:
    with CaptureQueriesContext(connection) as queries:
        call()
    assert len(queries) == 1
    return queries[0]["sql"]


def test_figures_read_the_view_alone(world):  # noqa: F811
    people, _expected, _reminders, _modules = world
    today = timezone.localdate()
    users = [user.pk for user in people.values()]
    for call in (
        lambda: figures.overdue_counts(on=today, users=users),
        lambda: list(figures.overdue_modules(on=today, users=users)),
        lambda: list(figures.modules_due_soon(on=today, users=users)),
    ):
        sql = _sql(call)
        assert '"learning_enrolment"' not in sql
        assert "COUNT(DISTINCT" not in sql.upper()
    # Mitt team's figures and history read the stored counts (learning.tallies, issue 23), a
    # few rows per enrolment, and neither the module view nor the enrolments.
    for call in (
        lambda: figures.module_figures_for(users=users, on=today),
        lambda: list(figures.overdue_history_rows(users=users, days=[today - DAY, today])),
    ):
        sql = _sql(call)
        assert '"learning_moduletally"' in sql
        assert '"learning_moduledue"' not in sql
        assert '"learning_enrolment"' not in sql


def test_figures_per_person_are_the_sum_of_their_modules(world):  # noqa: F811
    people, expected, _reminders, _modules = world
    today = timezone.localdate()
    users = [user.pk for user in people.values()]
    overdue = set(figures.overdue_modules(on=today, users=users).values_list("pk", flat=True))
    rows = ModuleDue.objects.filter(user_id__in=users).exclude(status=Enrolment.Status.WITHDRAWN)
    want: dict[int, dict] = {}
    open_introductions: dict[int, set] = {}
    for row in rows.select_related("course"):
        person = want.setdefault(row.user_id, dict.fromkeys(figures.FIGURES, 0))
        person["total"] += 1
        person["completed"] += row.completed_at is not None
        person["overdue"] += row.pk in overdue
        introduction = (row.course.kind, row.course.audience) == (
            CourseKind.SELF_PACED,
            Audience.NEW_HIRES,
        )
        if introduction and row.status != Enrolment.Status.COMPLETED:
            open_introductions.setdefault(row.user_id, set()).add(row.enrolment_id)
    for user_id, enrolments in open_introductions.items():
        want[user_id]["introductions_open"] = len(enrolments)
    got = figures.module_figures_for(users=users, on=today)
    assert got == want
    assert {name: got.get(user.pk, {}).get("overdue", 0) for name, user in people.items()} == (
        expected
    )
    assert any(person["introductions_open"] for person in got.values())


def test_overdue_flag_marks_exactly_the_overdue_modules(world):  # noqa: F811
    people, _expected, _reminders, _modules = world
    for day in (timezone.localdate() - 3 * DAY, timezone.localdate(), timezone.localdate() + DAY):
        users = [user.pk for user in people.values()]
        flagged = set(
            ModuleDue.objects.filter(user_id__in=users)
            .annotate(late=figures.overdue_flag(on=day))
            .filter(late=1)
            .values_list("enrolment_id", "module_id")
        )
        overdue = set(
            figures.overdue_modules(on=day, users=users).values_list("enrolment_id", "module_id")
        )
        assert flagged == overdue


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the LATERAL view is PostgreSQL's")
def test_postgresql_view_gives_the_rows_of_the_plain_join(world):  # noqa: F811
    migration = importlib.import_module("learning.migrations.0019_module_due_drives_by_person")
    plain = migration.COLUMNS + migration.PROGRESS["sqlite"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT enrolment_id, module_id, user_id, course_id, status, enrolled_at, "
            "due_date, completed_at FROM learning_moduledue"
        )
        view = sorted(cursor.fetchall())
        cursor.execute(plain)
        join = sorted(cursor.fetchall())
    assert view == join
    assert any(row[-1] is not None for row in view)  # some progress was looked up
