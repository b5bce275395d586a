"""One set of figures (issue 19): what "overdue", "due soon" and "completed the introduction"
mean. Each is defined once, here, as a query; the learner's dashboard, Mitt team, the managers'
weekly digest, the reminders and the follow-up pages read these functions and never count on
their own, so for the same data they show the same figure, person by person.

The rows counted are learning.models.ModuleDue: every live module of every live course a person
is enrolled in, due on its own deadline from the onboarding plan or else with its course.
"""

import datetime
from collections.abc import Iterable

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.db.models.lookups import Exact, GreaterThan
from django.utils import timezone

from content.models import Audience, CourseKind
from learning.models import Enrolment, ModuleDue, ModuleTally

# How many days ahead a module counts as due soon (the reminder goes out on the first of them).
DUE_SOON_DAYS = 3


def module_state() -> dict:
    """What a module row of the view (learning.models.ModuleDue) says about its completion, as
    two columns: `done`, whether the module is completed, and `done_late_on`, the day (in the
    site's time zone) it was completed if that was after its due date, else empty (done by
    its due date, it was never overdue). The stored counts (learning.models.ModuleTally) keep
    these two as columns, computed by these same expressions (learning.tallies), so
    `_overdue` reads the same two fields on both: one definition."""
    done = Q(completed_at__isnull=False)
    return {
        "done": ExpressionWrapper(done, output_field=BooleanField()),
        "done_late_on": Case(
            When(done & Q(completed_at__date__gt=F("due_date")), then=TruncDate("completed_at")),
            default=None,
            output_field=DateField(),
        ),
    }


def _stored_state() -> dict:
    return {"done": F("done"), "done_late_on": F("done_late_on")}


def _open_on(on: datetime.date, state: dict) -> Q:
    # Not completed by the end of that day: never, or late on a later day.
    return Q(Exact(state["done"], False)) | Q(GreaterThan(state["done_late_on"], on))


def _overdue(on: datetime.date, state: dict | None = None) -> Q:
    """The definition of overdue, for a row of the view (`state` None: module_state()) or of
    the stored counts (`_stored_state()`): an active enrolment, due before that day and not
    completed by the end of it."""
    return Q(status=Enrolment.Status.ACTIVE, due_date__lt=on) & _open_on(
        on, module_state() if state is None else state
    )


def _due_soon(on: datetime.date) -> Q:
    return Q(
        status=Enrolment.Status.ACTIVE,
        due_date__gte=on,
        due_date__lte=on + datetime.timedelta(days=DUE_SOON_DAYS),
        completed_at__isnull=True,
    )


def _of(rows: QuerySet, users) -> QuerySet:
    return rows if users is None else rows.filter(user_id__in=users)


def overdue_modules(*, on: datetime.date, users: Iterable[int] | QuerySet | None = None):
    """The modules that are overdue (försenade) on day `on`: the definition.

    A module is overdue on a day when the person's enrolment in its course is active (neither
    completed nor withdrawn), the module is live in a live course, its due date (the module's
    own deadline, otherwise the course's) is before that day, and it was not completed by the
    end of that day. Due today is not overdue yet; completed late is no longer overdue; an
    unpublished module or a withdrawn enrolment is never overdue. `users`: ids or a subquery
    of ids to restrict to. A queryset of ModuleDue rows.
    """
    return _of(ModuleDue.objects.filter(_overdue(on)), users)


def modules_due_soon(*, on: datetime.date, users: Iterable[int] | QuerySet | None = None):
    """The modules due soon on day `on`: the definition. Active enrolment, not completed, due
    on that day or within DUE_SOON_DAYS after it. A queryset of ModuleDue rows."""
    return _of(ModuleDue.objects.filter(_due_soon(on)), users)


def overdue_flag(*, on: datetime.date) -> Case:
    """`overdue_modules` as a column of a ModuleDue row: 1 when the row's module is overdue on
    `on`, else 0. For a list that shows every module and marks the overdue ones, without a
    second pass over the view per row (which cost the waiting block most of its planning time,
    issue 23)."""
    return Case(When(_overdue(on), then=Value(1)), default=Value(0))


def overdue_counts(*, on: datetime.date, users: Iterable[int] | QuerySet) -> dict[int, int]:
    """{user id: number of overdue modules on `on`} for the people who have any. One query."""
    return dict(
        overdue_modules(on=on, users=users)
        .values("user_id")
        .annotate(n=Count("module_id"))
        .values_list("user_id", "n")
    )


def introduction(prefix: str = "") -> Q:
    """An enrolment in an introduction: a self-paced course for new hires (the courses that
    need the manager's sign-off, learning.selectors.certificates.needs_sign_off)."""
    return Q(
        **{
            f"{prefix}course__kind": CourseKind.SELF_PACED,
            f"{prefix}course__audience": Audience.NEW_HIRES,
        }
    )


FIGURES = ("total", "completed", "overdue", "introductions_open")


def module_figures_for(*, users: Iterable[int] | QuerySet, on: datetime.date) -> dict[int, dict]:
    """Per person: their modules (of courses not withdrawn from), how many are completed, how
    many are overdue on `on`, and how many introductions they have not completed yet (as
    `completed_introduction` defines it; modules done and waiting for the sign-off is not
    completed): {user id: {"total", "completed", "overdue", "introductions_open"}}. One query.

    Counted over the stored per-enrolment counts (learning.models.ModuleTally, a few rows per
    enrolment), not over every module row of the view: 3,300 rows instead of 69,500 for a
    500-person team (issue 23). An enrolment without live modules has no counts and, as in the
    view, no open introduction either."""
    return module_figures_by_user(module_figures_rows(users=users, on=on))


def module_figures_rows(*, users: Iterable[int] | QuerySet, on: datetime.date) -> QuerySet:
    """module_figures_for's one query as a QuerySet of (user id, *FIGURES) rows, so a caller
    can compile it once per process (team.selectors, core.compiled) and read its rows with
    module_figures_by_user."""
    open_introduction = introduction() & ~Q(status=Enrolment.Status.COMPLETED)
    return (
        ModuleTally.objects.filter(user_id__in=users)
        .exclude(status=Enrolment.Status.WITHDRAWN)
        .values("user_id")
        .annotate(
            total=Sum("modules"),
            completed=Coalesce(Sum("modules", filter=Q(done=True)), 0),
            overdue=Coalesce(Sum("modules", filter=_overdue(on, _stored_state())), 0),
            introductions_open=Count("enrolment_id", filter=open_introduction, distinct=True),
        )
        .values_list("user_id", *FIGURES)
        .order_by()
    )


def module_figures_by_user(rows: Iterable[tuple]) -> dict[int, dict]:
    """module_figures_rows' rows as module_figures_for gives them."""
    return {user_id: dict(zip(FIGURES, values, strict=True)) for user_id, *values in rows}


def module_dates_for(*, enrolments: Iterable[int], on: datetime.date) -> dict[tuple, tuple]:
    """{(enrolment id, module id): (due date, overdue on `on`, due soon on `on`)} for the
    enrolments' dated modules: what a learner's module list shows. One query."""
    rows = (
        ModuleDue.objects.filter(enrolment_id__in=enrolments, due_date__isnull=False)
        .annotate(
            is_overdue=Case(When(_overdue(on), then=Value(True)), default=Value(False)),
            is_due_soon=Case(When(_due_soon(on), then=Value(True)), default=Value(False)),
        )
        .values_list("enrolment_id", "module_id", "due_date", "is_overdue", "is_due_soon")
    )
    return {(e, m): (due, bool(late), bool(soon)) for e, m, due, late, soon in rows}


def overdue_history_rows(*, users: Iterable[int] | QuerySet, days: list[datetime.date]):
    """How many of the people's modules were overdue on each of `days`, as one row of counts
    in the days' order: due before that day, enrolled by then and not completed by then
    (courses withdrawn from are left out; a completed enrolment's late modules still count on
    the days they were late). For a chart of past weeks, over the stored counts.

    A QuerySet of that one row (one SUM ... FILTER per day, no GROUP BY: the constant it is
    "grouped" by groups nothing), so the caller can compile it once per process
    (team.selectors, core.compiled)."""
    overdue_on = {
        f"day{i}": Coalesce(
            Sum(
                "modules",
                filter=Q(due_date__lt=day, enrolled_at__date__lte=day)
                & _open_on(day, _stored_state()),
            ),
            0,
        )
        for i, day in enumerate(days)
    }
    return (
        ModuleTally.objects.filter(user_id__in=users, due_date__isnull=False)
        .exclude(status=Enrolment.Status.WITHDRAWN)
        .annotate(_all=Value(1, output_field=IntegerField()))
        .values("_all")
        .annotate(**overdue_on)
        .order_by()
        .values_list(*overdue_on)
    )


def introductions_completed_on(*, users: Iterable[int] | QuerySet) -> dict[int, datetime.date]:
    """{user id: the day they completed the introduction} for the people among `users` who
    have: the definition of "completed the introduction". A person has completed it when they
    have an introduction (a self-paced course for new hires) they have not withdrawn from and
    every such introduction is completed, which it is only once the manager has signed it off
    after the closing conversation (learning.signoffs), not when its modules are done. The day
    is the last of those completions, in the site's time zone. One query."""
    rows = (
        Enrolment.objects.filter(introduction(), user_id__in=users)
        .exclude(status=Enrolment.Status.WITHDRAWN)
        .values("user_id")
        .annotate(
            open=Count("pk", filter=~Q(status=Enrolment.Status.COMPLETED)),
            last=Max("completed_at"),
        )
        .filter(open=0)
        .values_list("user_id", "last")
    )
    return {user_id: timezone.localdate(last) for user_id, last in rows if last is not None}


def completed_introduction(*, users: Iterable[int] | QuerySet) -> set[int]:
    """The ids of the people among `users` who have completed the introduction, as
    `introductions_completed_on` defines it. One query."""
    return set(introductions_completed_on(users=users))
