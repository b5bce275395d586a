"""The stored per-enrolment module counts (learning.models.ModuleTally, issue 23) stay what the
module view says after every kind of change, made through the real services and the real
Wagtail operations, and Mitt team's figures over them are those of the view, person by person
and day by day. A learner's change is counted in its own transaction; a change of a course's
structure is recounted through the outbox after commit, in chunks (delivered here by the
periodic job's own function, as a worker would). On PostgreSQL, where the view is the
production one (LATERAL)."""

import datetime
import io
import random
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from core import outbox
from core.models import OutboxMessage
from learning import services, tallies
from learning.models import (
    Enrolment,
    ModuleDeadline,
    ModuleDue,
    ModuleProgress,
    ModuleTally,
    OnboardingPlan,
    PlanCourse,
    PlanModule,
)
from learning.selectors import figures
from learning.services.onboarding import apply_onboarding_plan
from people.models import Membership, Role
from people.services import add_membership
from people.staff import change_membership
from team.selectors import team_overview_for
from tests.factories import UserFactory, add_module

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the production view"),
]

DAY = datetime.timedelta(days=1)


def _count(rows) -> Counter:
    counts = Counter()
    for *key, modules in rows:
        counts[tuple(key)] += modules
    return counts


def _stored() -> Counter:
    return _count(ModuleTally.objects.values_list(*tallies.COLUMNS).order_by())


def _from_view() -> Counter:
    return _count(tallies._counted(ModuleDue.objects.all()))


def _view_figures(users, on) -> dict:
    """Mitt team's figures counted over every module row of the view, as before issue 23's
    stored counts: what the stored counts must give."""
    result = {}
    rows = ModuleDue.objects.filter(user_id__in=users).exclude(status=Enrolment.Status.WITHDRAWN)
    overdue = set(figures.overdue_modules(on=on, users=users).values_list("pk", flat=True))
    for row in rows:
        person = result.setdefault(row.user_id, {"total": 0, "completed": 0, "overdue": 0})
        person["total"] += 1
        person["completed"] += row.completed_at is not None
        person["overdue"] += row.pk in overdue
    return result


def _assert_right(users=None):
    assert _stored() == _from_view()
    if users:
        today = timezone.localdate()
        for on in (today - 10 * DAY, today - DAY, today, today + 7 * DAY):
            got = figures.module_figures_for(users=users, on=on)
            assert {
                user: {k: v for k, v in person.items() if k != "introductions_open"}
                for user, person in got.items()
            } == _view_figures(users, on)


def _recounts() -> list[str]:
    """The pending recount rows' handlers, oldest first."""
    return list(
        OutboxMessage.objects.filter(
            status=OutboxMessage.Status.PENDING, handler__startswith="learning.tallies."
        )
        .order_by("pk")
        .values_list("handler", flat=True)
    )


def _deliver() -> None:
    """What the workers do after the editor's commit: the course's row, then the chunks it
    writes. Only the recount rows: the cast's other pending rows (onboarding plans, emails)
    are not what these tests are about."""
    for _ in range(5):
        ids = list(
            OutboxMessage.objects.filter(
                status=OutboxMessage.Status.PENDING, handler__startswith="learning.tallies."
            ).values_list("pk", flat=True)
        )
        if not ids:
            return
        assert outbox.deliver_batch(ids=ids) == len(ids)
    raise AssertionError("the recount did not finish")


def _figures(user) -> tuple:
    person = figures.module_figures_for(users=[user.pk], on=timezone.localdate()).get(
        user.pk, {"total": 0, "completed": 0, "overdue": 0}
    )
    return person["total"], person["completed"], person["overdue"]


@pytest.fixture
def enrolled(course, ny):
    """ny in the three-module course, due yesterday: all three overdue."""
    enrolment = services.enrol_in_course(
        None, learner=ny, course=course, due_date=timezone.localdate() - DAY
    )
    return enrolment


def test_enrolling_counts_the_course_modules(ny, enrolled):
    assert _figures(ny) == (3, 0, 3)
    _assert_right([ny.pk])


def test_adding_and_completing_a_module_through_the_service(ny, course, enrolled):
    reading = add_module(course, title="Läsmodul", questions=[])  # created live
    _deliver()
    assert _figures(ny) == (4, 0, 4)
    services.complete_module(ny, module=reading)
    assert _figures(ny) == (4, 1, 3)
    _assert_right([ny.pk])
    ModuleProgress.objects.get(enrolment=enrolled, module=reading).delete()
    assert _figures(ny) == (4, 0, 4)
    _assert_right([ny.pk])


def test_publishing_a_module(ny, course, enrolled):
    draft = add_module(course, title="Modul 4")
    draft.unpublish()
    _deliver()
    assert _figures(ny) == (3, 0, 3)
    draft.save_revision().publish()
    # The editor's transaction wrote one row for the course and counted nothing yet.
    assert _recounts() == ["learning.tallies.recount_course"]
    assert _figures(ny) == (3, 0, 3)
    _deliver()
    assert _figures(ny) == (4, 0, 4)
    _assert_right([ny.pk])


def test_unpublishing_a_module(ny, course, enrolled):
    module = course.get_children().specific().order_by("path").last()
    module.unpublish()
    assert _recounts() == ["learning.tallies.recount_course"]
    assert _figures(ny) == (3, 0, 3)
    _deliver()
    assert _figures(ny) == (2, 0, 2)
    _assert_right([ny.pk])


def test_unpublishing_the_course(ny, course, enrolled):
    course.unpublish()
    _deliver()
    assert _figures(ny) == (0, 0, 0)
    _assert_right([ny.pk])


def test_moving_a_module_to_another_course(ny, mentor, course, enrolled):
    other = course.copy(recursive=True, update_attrs={"title": "Annan kurs", "slug": "annan-kurs"})
    other = other.specific
    assert other.live and len(other.get_children()) == 3
    assert _recounts() == []  # nobody in the copy yet: nothing to recount
    services.enrol_in_course(
        None, learner=mentor, course=other, due_date=timezone.localdate() + DAY
    )
    assert _figures(mentor) == (3, 0, 0)
    module = add_module(course, title="Flyttad modul")
    _deliver()
    assert _figures(ny) == (4, 0, 4)
    module.move(other, pos="last-child")
    assert sorted(_recounts()) == ["learning.tallies.recount_course"] * 2  # both courses
    assert _figures(ny) == (4, 0, 4)
    _deliver()
    assert _figures(ny) == (3, 0, 3)
    assert _figures(mentor) == (4, 0, 0)
    _assert_right([ny.pk, mentor.pk])


def test_deleting_a_module(ny, course, enrolled):
    module = course.get_children().specific().order_by("path").first()
    ModuleProgress.objects.create(enrolment=enrolled, module=module, completed_at=timezone.now())
    assert _figures(ny) == (3, 1, 2)
    module.delete()
    assert _recounts() == ["learning.tallies.recount_course"]
    _deliver()
    assert _figures(ny) == (2, 0, 2)
    _assert_right([ny.pk])


def test_a_changed_start_date_moves_the_plans_deadlines(course, enhet_a, kommunadmin):
    today = timezone.localdate()
    plan = OnboardingPlan.objects.create(name="Nationell plan")
    PlanCourse.objects.create(plan=plan, course=course, due_days=10)
    dan = UserFactory(full_name="Dan Dahl")
    add_membership(None, user=dan, role=Role.NEW_HIRE, unit=enhet_a, start_date=today - 30 * DAY)
    membership = Membership.objects.get(user=dan)
    apply_onboarding_plan(membership)
    assert _figures(dan) == (3, 0, 3)
    membership = change_membership(
        kommunadmin,
        membership=membership,
        role=Role.NEW_HIRE,
        unit=enhet_a,
        start_date=today - 5 * DAY,
    )
    apply_onboarding_plan(membership)  # what the re-dating task does after the change
    assert _figures(dan) == (3, 0, 0)
    _assert_right([dan.pk])


def test_the_plans_module_deadlines_are_counted_when_written_and_when_moved(
    course, enhet_a, django_assert_num_queries
):
    """The plan's module deadlines are written in one INSERT (one UPDATE when they move) and
    the enrolment recounted once: its counts follow the deadlines, not only the course's due
    date (which is the same in both applications here)."""
    today = timezone.localdate()
    plan = OnboardingPlan.objects.create(name="Nationell plan")
    PlanCourse.objects.create(plan=plan, course=course, due_days=60)
    first, second = course.modules()[:2]
    early = PlanModule.objects.create(plan=plan, module=first, due_days=5)
    PlanModule.objects.create(plan=plan, module=second, due_days=20)
    dan = UserFactory(full_name="Dan Dahl")
    add_membership(None, user=dan, role=Role.NEW_HIRE, unit=enhet_a, start_date=today - 10 * DAY)
    membership = Membership.objects.get(user=dan)
    apply_onboarding_plan(membership)
    assert ModuleDeadline.objects.filter(enrolment__user=dan).count() == 3
    assert _figures(dan) == (3, 0, 1)  # only the first module's five days have passed
    _assert_right([dan.pk])
    early.due_days = 15
    early.save()
    PlanModule.objects.filter(module=second).update(due_days=8)
    apply_onboarding_plan(membership)
    assert _figures(dan) == (3, 0, 1)  # now the second one's
    assert ModuleTally.objects.get(enrolment__user=dan, due_date=today - 2 * DAY).modules == 1
    _assert_right([dan.pk])
    with django_assert_num_queries(10):  # nothing moved: read, nothing written, no recount
        apply_onboarding_plan(membership)


def test_a_deleted_enrolment_leaves_no_counts(ny, course, enrolled):
    module = course.get_children().specific().order_by("path").first()
    ModuleProgress.objects.create(enrolment=enrolled, module=module, completed_at=timezone.now())
    enrolled.delete()
    assert not ModuleTally.objects.filter(enrolment_id=enrolled.pk).exists()
    _assert_right([ny.pk])


def test_random_histories_give_the_views_figures_and_chart(course, chef, enhet_a):
    """Many people, deadlines, completions on and after their day and withdrawals: the stored
    counts, the figures for several days and the 12-week chart equal what the view gives."""
    rng = random.Random(23)
    today = timezone.localdate()
    modules = list(course.get_children().specific().order_by("path"))
    people = []
    for n in range(12):
        user = UserFactory(full_name=f"Person {n:02d}")
        add_membership(None, user=user, role=Role.NEW_HIRE, unit=enhet_a, start_date=today)
        people.append(user)
        enrolled_on = today - rng.randrange(0, 100) * DAY
        enrolment = Enrolment.objects.create(
            user=user,
            course=course,
            due_date=rng.choice([None, today + rng.randrange(-60, 30) * DAY]),
            enrolled_at=timezone.make_aware(
                datetime.datetime.combine(enrolled_on, datetime.time(rng.randrange(24)))
            ),
        )
        for module in modules:
            due = enrolled_on + rng.randrange(0, 80) * DAY
            if rng.random() < 0.6:
                ModuleDeadline.objects.create(enrolment=enrolment, module=module, due_date=due)
            if rng.random() < 0.6:
                done_on = due + rng.randrange(-20, 20) * DAY
                if done_on <= today:
                    ModuleProgress.objects.create(
                        enrolment=enrolment,
                        module=module,
                        # Late in the evening: the local day, not UTC's, decides "late".
                        completed_at=timezone.make_aware(
                            datetime.datetime.combine(done_on, datetime.time(23, 30))
                        ),
                    )
        if rng.random() < 0.2:
            Enrolment.objects.filter(pk=enrolment.pk).update(status=Enrolment.Status.WITHDRAWN)
    users = [user.pk for user in people]
    _assert_right(users)

    # The chart, against every dated module row of the view checked day by day.
    zone = timezone.get_current_timezone()
    rows = list(
        ModuleDue.objects.filter(Q(user_id__in=users), due_date__isnull=False).exclude(
            status=Enrolment.Status.WITHDRAWN
        )
    )
    expected = []
    for day, _count in team_overview_for(chef).overdue_history:
        expected.append(
            sum(
                1
                for row in rows
                if row.due_date < day
                and row.enrolled_at.astimezone(zone).date() <= day
                and (row.completed_at is None or row.completed_at.astimezone(zone).date() > day)
            )
        )
    assert [count for _day, count in team_overview_for(chef).overdue_history] == expected
    assert sum(expected) > 0


def test_the_command_rebuilds_what_the_writers_keep(ny, course, enrolled):
    before = _stored()
    ModuleTally.objects.all().delete()
    ModuleTally.objects.create(  # wrong on purpose
        enrolment=enrolled,
        user_id=enrolled.user_id,
        course_id=enrolled.course_id,
        status=enrolled.status,
        enrolled_at=enrolled.enrolled_at,
        done=False,
        modules=99,
    )
    call_command("rebuild_tallies", stdout=io.StringIO())
    assert _stored() == before == _from_view()


def test_a_course_is_recounted_in_chunks_and_a_stopped_recount_is_finished(
    monkeypatch, course, enhet_a
):
    """Each chunk is its own outbox row and transaction: the chunks delivered stay counted when
    the rest is not (a worker killed after the first chunk), and the periodic job finishes the
    rest. Two publishes before the worker gets to them write one row for the course."""
    monkeypatch.setattr(tallies, "CHUNK", 2)
    today = timezone.localdate()
    people = []
    for n in range(5):
        user = UserFactory(full_name=f"Deltagare {n}")
        add_membership(None, user=user, role=Role.NEW_HIRE, unit=enhet_a, start_date=today)
        services.enrol_in_course(None, learner=user, course=course, due_date=today - DAY)
        people.append(user)
    first = add_module(course, title="Ny modul 1")
    second = add_module(course, title="Ny modul 2")
    assert _recounts() == ["learning.tallies.recount_course"]  # coalesced
    head = OutboxMessage.objects.get(handler="learning.tallies.recount_course", status="pending")
    assert outbox.deliver(head.pk)
    chunks = list(
        OutboxMessage.objects.filter(handler="learning.tallies.recount_enrolments").order_by("pk")
    )
    assert [row.args["last"] - row.args["first"] >= 1 for row in chunks] == [True, True, False]
    assert outbox.deliver(chunks[0].pk)
    # The worker stops here: the first chunk's two people are counted, the rest not yet.
    assert [_figures(user)[0] for user in people] == [5, 5, 3, 3, 3]
    assert _recounts() == ["learning.tallies.recount_enrolments"] * 2
    _deliver()
    assert [_figures(user)[0] for user in people] == [5] * 5
    _assert_right([user.pk for user in people])
    assert {first.live, second.live} == {True}
