"""Course runs (kursomgångar) for the learning tests: a cohort leadership course for managers,
runs with sessions, managers to fill them and a course leader (kursledare)."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from learning.models import CourseRun, RunSession
from people.models import Role
from people.services import add_membership
from tests import replay
from tests.factories import UserFactory, add_course, add_module


def once_begun(session):
    """The clock at the session's start: attendance is marked once a session has begun
    (learning.services.runs.mark_attendance)."""
    start = datetime.datetime.combine(session.date, session.start_time)
    return time_machine.travel(timezone.make_aware(start), tick=False)


def make_run(
    course,
    *,
    seats=10,
    sessions=2,
    name="Omgång 1",
    starts_in=30,
    deadline_in=20,
    place="Stadshuset, Lund",
    online_url="",
    leaders=(),
    organiser=None,
) -> CourseRun:
    """A run starting `starts_in` days from today with one session a week from its start."""
    today = timezone.localdate()
    start = today + datetime.timedelta(days=starts_in)
    run = CourseRun(
        course=course,
        name=name,
        start_date=start,
        end_date=start + datetime.timedelta(weeks=max(sessions, 1)),
        enrolment_deadline=today + datetime.timedelta(days=deadline_in),
        place=place,
        online_url=online_url,
        seats=seats,
        organiser=organiser,
    )
    run.full_clean()
    run.save()
    for number in range(sessions):
        session = RunSession(
            run=run,
            date=start + datetime.timedelta(weeks=number),
            start_time=datetime.time(9, 0),
            end_time=datetime.time(12, 0),
            sort_order=number,
        )
        session.full_clean()
        session.save()
    run.leaders.add(*leaders)
    return run


def make_managers(unit, count, *, prefix="chef") -> list:
    managers = []
    for number in range(count):
        user = UserFactory(email=f"{prefix}{number}@example.org", full_name=f"Chef {number:03}")
        add_membership(
            None, user=user, role=Role.MANAGER, unit=unit, start_date=datetime.date(2025, 1, 1)
        )
        managers.append(user)
    return managers


@pytest.fixture
def leadership(catalog):
    def build():
        course = add_course(catalog, title="Ledarskap", kind="cohort", audience="managers")
        course.credits = "7.5"
        course.min_attendance_percent = 50
        course.save_revision().publish()
        for number in (1, 2):
            add_module(course, title=f"Ledarskapsmodul {number}")
        course.refresh_from_db()
        return course

    # Built once per process and replayed (tests/replay.py), as the page tree in tests/conftest.py.
    course = replay.build_once("leadership", build, after_replay=replay.page_tree_replayed)
    catalog.refresh_from_db()
    return course


@pytest.fixture
def run(leadership, kursledare):
    return make_run(leadership, seats=2, leaders=[kursledare])
