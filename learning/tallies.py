"""Keeping learning.models.ModuleTally right (issue 23): the stored per-enrolment counts that
Mitt team reads instead of every module row of the team.

A tally is always rebuilt from learning_moduledue, the view that defines which modules a person
has to do, never adjusted by increments: whatever changed, the rows are what the view says now.
The rebuild runs in the writer's own transaction (a signal receiver, not after commit), so the
counts commit or roll back with the change, and a page read right after a write (the learner's
next request, a test) never sees old counts; the price is a few milliseconds per progress write,
and for a module published, unpublished, moved or deleted a rebuild of every enrolment in its
course inside the editor's request (see benchmarks/README.md for the figure at 30,000 staff).

Writes that bypass the ORM's signals (QuerySet.update, bulk_create: the seeding and benchmark
commands) call `rebuild` themselves or end with `manage.py rebuild_tallies`.
"""

import zoneinfo
from collections.abc import Iterable

from django.conf import settings
from django.db import connection, transaction
from django.db.models import BooleanField, Case, Count, DateField, F, Q, QuerySet, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone

from learning.models import Enrolment, ModuleDue, ModuleTally

COLUMNS = (
    "enrolment_id",
    "user_id",
    "course_id",
    "status",
    "enrolled_at",
    "due_date",
    "done",
    "done_late_on",
    "modules",
)


def _counted(rows: QuerySet) -> QuerySet:
    """ModuleDue rows grouped into tally rows, in COLUMNS order."""
    done = Q(completed_at__isnull=False)
    return (
        rows.annotate(
            done=Case(
                When(done, then=Value(True)), default=Value(False), output_field=BooleanField()
            ),
            done_late_on=Case(
                When(
                    done & Q(completed_at__date__gt=F("due_date")), then=TruncDate("completed_at")
                ),
                default=None,
                output_field=DateField(),
            ),
        )
        .values(*COLUMNS[:-1])
        .annotate(modules=Count("module_id"))
        .values_list(*COLUMNS)
        .order_by()
    )


def insert_counts(rows: QuerySet, *, table: str = "", connection=connection) -> None:
    """Insert the tally rows of these ModuleDue rows (the migration passes its historical
    models' table and connection)."""
    # INSERT … SELECT: the rows never travel to Python (3 million module rows at a full rebuild).
    # The completion day in the site's time zone, whoever's request this runs in.
    with timezone.override(zoneinfo.ZoneInfo(settings.TIME_ZONE)):
        sql, params = _counted(rows).query.sql_with_params()
    table = connection.ops.quote_name(table or ModuleTally._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) {sql}", params)


def rebuild(*, enrolments: Iterable[int] | QuerySet) -> None:
    """Rebuild the tallies of these enrolments (ids or a subquery of ids) from the view.

    The enrolment rows are locked first: two transactions rebuilding the same enrolment (two
    modules completed at once) would otherwise each delete the old rows and insert their own,
    and the second would not see the first's rows to delete them."""
    with transaction.atomic():
        ids = list(
            Enrolment.objects.select_for_update()
            .filter(pk__in=enrolments)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not ids:
            return
        ModuleTally.objects.filter(enrolment_id__in=ids).delete()
        insert_counts(ModuleDue.objects.filter(enrolment_id__in=ids))


def rebuild_courses(*, courses: Iterable[int]) -> None:
    """Rebuild every enrolment in these courses (a module of theirs changed)."""
    courses = [pk for pk in courses if pk is not None]
    if courses:
        rebuild(enrolments=Enrolment.objects.filter(course_id__in=courses).values("pk"))


def rebuild_all() -> int:
    """Rebuild every tally (after seeding, and the migration that introduced them). Returns the
    number of tally rows."""
    with transaction.atomic():
        ModuleTally.objects.all().delete()
        insert_counts(ModuleDue.objects.all())
        return ModuleTally.objects.count()


def forget(*, enrolment_id: int) -> None:
    """A deleted enrolment's rows (rebuilds during its cascade may have written some)."""
    ModuleTally.objects.filter(enrolment_id=enrolment_id).delete()
