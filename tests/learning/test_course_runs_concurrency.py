"""Seats are race-safe: many managers enrol in the same run at the same moment (PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections

from learning.models import Enrolment, RunEnrolment
from learning.services import runs
from tests.learning.conftest import make_managers, make_run

SEATS = 10
MANAGERS = 24

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite has no row locks (select_for_update) and one writer at a "
    "time; CI runs PostgreSQL (DATABASE_URL=postgres://…)",
)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_enrolments_fill_the_seats_exactly_and_queue_the_rest_in_order(
    enhet_a, leadership
):
    run = make_run(leadership, seats=SEATS)
    managers = make_managers(enhet_a, MANAGERS)
    start = threading.Barrier(MANAGERS)
    errors = []

    def enrol(manager):
        try:
            start.wait(timeout=30)
            runs.enrol_in_course_run(manager, run=run)
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()  # each thread had its own database connection

    threads = [threading.Thread(target=enrol, args=(m,)) for m in managers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    places = list(run.enrolments.order_by("requested_at", "pk"))
    assert len(places) == MANAGERS
    seated = [p for p in places if p.status == RunEnrolment.Status.ENROLLED]
    waiting = [p for p in places if p.status == RunEnrolment.Status.WAITLISTED]
    assert len(seated) == SEATS
    assert len(waiting) == MANAGERS - SEATS
    # In order: everyone seated asked before everyone waiting, and the waitlist positions are
    # 1..N without gaps or duplicates, in the order the requests were taken.
    assert places[:SEATS] == seated
    assert [p.waitlist_position for p in waiting] == list(range(1, MANAGERS - SEATS + 1))
    assert Enrolment.objects.filter(course=leadership).count() == SEATS
