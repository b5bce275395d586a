"""Keeping learning.models.ModuleTally right (issue 23): the stored per-enrolment counts that
Mitt team reads instead of every module row of the team.

A tally is always rebuilt from learning_moduledue, the view that defines which modules a person
has to do, never adjusted by increments: whatever changed, the rows are what the view says now.

Two paths, by how many enrolments a change touches:

- A learner's own change (progress, a deadline, the enrolment's due date, a new enrolment)
  rebuilds that one enrolment in the writer's transaction (a signal receiver, not after
  commit): a few milliseconds, the counts commit or roll back with the change, and the next
  request sees them.
- A change of a course's structure (a module published, unpublished, created live, moved or
  deleted; a course published or unpublished) touches every enrolment of the course: 9,900
  enrolments of a 65-module course took 23–27 s inside the editor's request at 30,000 staff
  (28,596 enrolments, 59 s), whatever the SQL, because the view has 643,000 module rows to
  count for them. So the editor's transaction only writes one outbox row (`recount_course`,
  core.outbox, coalesced with an untried twin) and the work runs after commit on a worker:
  that row splits the course's enrolments into chunks of CHUNK, each its own outbox row,
  delivered in its own transaction (`recount_enrolments`). Each chunk is a rebuild from the
  view, so running it twice, or after a later change, is harmless: a worker killed mid-way
  rolls back only the chunk it was in, that row stays pending and the retry (the periodic
  job, every minute) finishes it; the chunks already done stay done. Why not (a), adding or
  subtracting just the one module's contribution in SQL: it is increments (a stored row that
  drifts stays wrong), and for an unpublish or delete the module is no longer in the view,
  so its old contribution would need a second definition of a module row beside the view.

How long the counts may lag a structure change: the outbox delivery (at once with a running
worker and broker; within the periodic job's minute when the broker is down; longer only while
deliveries fail and back off) plus the recount itself, 1–1.6 s of worker time per CHUNK
enrolments of a 65-module course at 30,000 staff (20–32 s for its 9,900 enrolments on a machine
at load 9–11, spread over the worker processes; benchmarks/README.md). Acceptable because it
is only Mitt team's summary that lags, by seconds to a minute after an editor's rare change of
a course; during the lag each enrolment's counts are those of the old structure, never half of
one and half of the other; a learner's own progress rebuilds their enrolment at once from the
view (already the new structure); and the learner's pages, the reminders, the digest and the
waiting block read the view itself, not these counts.

Writes that bypass the ORM's signals (QuerySet.update, bulk_create: the seeding and benchmark
commands) call `rebuild` themselves or end with `manage.py rebuild_tallies`.
"""

import zoneinfo
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, QuerySet
from django.utils import timezone

from content.models import CoursePage, ModulePage
from core import outbox
from learning.models import Enrolment, ModuleDue, ModuleTally
from learning.selectors import figures

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
    """ModuleDue rows grouped into tally rows, in COLUMNS order. `done` and `done_late_on` are
    the view's own completion columns as figures.module_state defines them, so "overdue" is
    one condition over both (figures._overdue)."""
    return (
        rows.annotate(**figures.module_state())
        .values(*COLUMNS[:-1])
        .annotate(modules=Count("module_id"))
        .values_list(*COLUMNS)
        .order_by()
    )


def insert_counts(
    rows: QuerySet, *, table: str = "", connection=connection, replacing: Sequence[int] = ()
) -> None:
    """Insert the tally rows of these ModuleDue rows (the migration passes its historical
    models' table and connection), in place of the rows of the enrolments in `replacing`."""
    # INSERT … SELECT: the rows never travel to Python (3 million module rows at a full rebuild).
    # The completion day in the site's time zone, whoever's request this runs in.
    with timezone.override(zoneinfo.ZoneInfo(settings.TIME_ZONE)):
        sql, params = _counted(rows).query.sql_with_params()
    table = connection.ops.quote_name(table or ModuleTally._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in COLUMNS)
    delete = ""
    with connection.cursor() as cursor:
        if replacing:
            # The old rows deleted without reading them first, as the ORM's delete() does
            # (every model has a post_delete receiver, content.signals): a learner's rebuild was
            # three queries. On PostgreSQL in the same statement as the INSERT, which reads the
            # view, not this table, so it cannot see the rows deleted, nor the DELETE the rows
            # inserted; SQLite has no DELETE inside WITH, so there it is a statement of its own.
            # Only quoted identifiers of our own model go into the text; the ids are parameters
            # (bandit's B608 and ruff's S608 see text built around SQL, so both are told).
            enrolment_id = connection.ops.quote_name("enrolment_id")
            if connection.vendor == "postgresql":
                delete = f"WITH replaced AS (DELETE FROM {table} WHERE {enrolment_id} = ANY(%s)) "  # noqa: S608  # nosec B608
                params = (list(replacing), *params)
            else:
                marks = ", ".join(["%s"] * len(replacing))
                cursor.execute(
                    f"DELETE FROM {table} WHERE {enrolment_id} IN ({marks})",  # noqa: S608  # nosec B608
                    list(replacing),
                )
        cursor.execute(f"{delete}INSERT INTO {table} ({columns}) {sql}", params)


def rebuild(*, enrolments: Iterable[int] | QuerySet) -> None:
    """Rebuild the tallies of these enrolments (ids or a subquery of ids) from the view.

    The enrolment rows are locked first: two transactions rebuilding the same enrolment (two
    modules completed at once) would otherwise each delete the old rows and insert their own,
    and the second would not see the first's rows to delete them. The lock is a statement of
    its own for that reason: a statement reads the rows committed when it began, so a DELETE
    that waited for the lock inside it would still miss the first transaction's rows."""
    # No savepoint inside the writer's transaction (Django's savepoint=False): nothing here is
    # caught and retried, and a savepoint was two of a learner's rebuild's round trips.
    with transaction.atomic(savepoint=False):
        ids = list(
            Enrolment.objects.select_for_update()
            .filter(pk__in=enrolments)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not ids:
            return
        insert_counts(ModuleDue.objects.filter(enrolment_id__in=ids), replacing=ids)


# Enrolments rebuilt per transaction after a course's structure changed: 1–1.6 s of
# PostgreSQL at 30,000 staff for a 65-module course, so a learner whose progress write waits on
# a chunk's lock of their enrolment waits about that long at most.
CHUNK = 500


def recount_courses(*, courses: Iterable[int | None]) -> None:
    """Queue the recount of every enrolment in these courses (a module of theirs changed), in
    the caller's transaction; the work runs after commit (see the module's docstring). A
    course nobody is enrolled in has nothing to recount (a course being written, the tests'
    fixtures): no row. An enrolment made at the same moment in another transaction is no
    worse off than before: its own rebuild reads the view when it is created."""
    courses = {pk for pk in courses if pk is not None}
    enrolled = set(
        Enrolment.objects.filter(course_id__in=courses)
        .values_list("course_id", flat=True)
        .distinct()
        .order_by()
    )
    for pk in sorted(enrolled):
        outbox.enqueue(recount_course, args={"course_id": pk}, coalesce=True)


def recount_module_course(module: ModulePage) -> None:
    """`recount_courses` for the course a module is in, found by the module's path: also right
    after a move, and during a delete."""
    recount_courses(
        courses=CoursePage.objects.filter(path=module.path[: -ModulePage.steplen]).values_list(
            "pk", flat=True
        )
    )


@outbox.handler
def recount_course(course_id: int) -> int:
    """Split a course's enrolments into chunks of CHUNK, each its own outbox row (its own
    transaction when delivered). Returns the number of chunks. Enrolments made after this
    runs are counted when they are created, from the view as it is then."""
    ids = list(
        Enrolment.objects.filter(course_id=course_id).order_by("pk").values_list("pk", flat=True)
    )
    chunks = [ids[start : start + CHUNK] for start in range(0, len(ids), CHUNK)]
    for chunk in chunks:
        outbox.enqueue(
            recount_enrolments,
            args={"course_id": course_id, "first": chunk[0], "last": chunk[-1]},
            coalesce=True,
        )
    return len(chunks)


@outbox.handler
def recount_enrolments(course_id: int, first: int, last: int) -> int:
    """Rebuild one chunk of a course's enrolments (ids from `first` to `last`). Returns how
    many were rebuilt."""
    enrolments = Enrolment.objects.filter(course_id=course_id, pk__gte=first, pk__lte=last)
    count = enrolments.count()
    rebuild(enrolments=enrolments.values("pk"))
    return count


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
