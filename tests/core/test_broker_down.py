"""Redis down during the four actions that email after a commit (issue 15): the answer is the
normal success page, the change and its outbox rows are committed, and once Redis is back a
real worker running the periodic job sends every email exactly once.

"Redis down" is Celery pointed at a local port where nothing listens (the shared Redis of the
test machine is never stopped); "back" is a real worker on the real Redis (REDIS_URL)."""

import contextlib
import datetime
import os

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.models import OutboxMessage
from core.tasks import deliver_due
from learning.models import CourseRun, Enrolment, OnboardingPlan, PlanCourse, RunEnrolment
from learning.services import enrol_in_course_run
from mentoring import services as mentoring
from mentoring.models import Mentorship
from people.models import AuditEvent, Role, User
from tests import celery_worker
from tests.core.smtp import free_port
from tests.factories import add_course, add_module
from tests.learning.conftest import make_managers, make_run
from tests.mentoring.factories import mentor_in, person

REDIS_URL = os.environ.get("REDIS_URL")
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")

pytestmark = [
    pytest.mark.skipif(not (REDIS_URL and ON_POSTGRES), reason="needs Redis and PostgreSQL (CI)"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@contextlib.contextmanager
def redis_down():
    from config.celery import app

    with celery_worker.configured(
        app, broker_url=f"redis://127.0.0.1:{free_port()}/0", task_always_eager=False
    ):
        yield


def redis_back_and_periodic_job() -> tuple[int, int]:
    """Redis is back: a real worker on it runs the periodic job twice, as beat does every
    minute. Returns what each run delivered."""
    with celery_worker.real_worker():
        first = deliver_due.delay().get(timeout=60)
        second = deliver_due.delay().get(timeout=60)
    return first, second


def _pending(handler: str):
    return OutboxMessage.objects.filter(handler=handler, status=OutboxMessage.Status.PENDING)


@pytest.fixture
def leadership(catalog):
    course = add_course(catalog, title="Ledarskap", kind="cohort", audience="managers")
    add_module(course, title="Ledarskapsmodul 1")
    course.refresh_from_db()
    return course


def test_inviting_a_person_while_redis_is_down(client, kommunadmin, enhet_a, course):
    plan = OnboardingPlan.objects.create(name="Nationell plan")
    PlanCourse.objects.create(plan=plan, course=course, due_days=60)
    client.force_login(kommunadmin)
    data = {
        "full_name": "Ny Kollega",
        "email": "ny.kollega@example.org",
        "unit": enhet_a.pk,
        "role": Role.NEW_HIRE,
        "start_date": (timezone.localdate() + datetime.timedelta(days=1)).isoformat(),
    }
    with redis_down():
        response = client.post(reverse("people:invite"), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("people:staff")
    user = User.objects.get(email="ny.kollega@example.org")
    assert user.memberships.get().unit == enhet_a
    assert AuditEvent.objects.filter(object_type="people.membership").exists()
    assert _pending("people.tasks.invitation_email").get().recipient_id == user.pk
    assert _pending("learning.tasks.onboarding_plan").count() == 1
    assert mail.outbox == []
    assert not Enrolment.objects.filter(user=user).exists()

    assert redis_back_and_periodic_job() == (2, 0)
    assert [m.to for m in mail.outbox] == [["ny.kollega@example.org"]]
    assert Enrolment.objects.get(user=user).course_id == course.pk
    assert not OutboxMessage.objects.exclude(status=OutboxMessage.Status.DELIVERED).exists()


def test_nominating_a_manager_to_a_course_run_while_redis_is_down(
    client, kommunadmin, chef, leadership
):
    run = make_run(leadership, seats=2)
    client.force_login(kommunadmin)
    with redis_down():
        response = client.post(
            reverse("learning:run_requests"), {"manager": chef.pk, "run": run.pk}
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("learning:run_requests")
    place = RunEnrolment.objects.get(run=run, user=chef)
    assert place.status == RunEnrolment.Status.ENROLLED
    assert _pending("learning.tasks.run_email").get().args == {
        "place_id": place.pk,
        "template": "nominated",
    }
    assert mail.outbox == []

    assert redis_back_and_periodic_job() == (1, 0)
    assert [m.to for m in mail.outbox] == [[chef.email]]


def test_withdrawing_from_a_run_while_redis_is_down_promotes_and_tells_the_next(
    client, chef, enhet_a, leadership
):
    run = make_run(leadership, seats=1)
    (next_in_line,) = make_managers(enhet_a, 1, prefix="reserv")
    enrol_in_course_run(chef, run=run)
    assert enrol_in_course_run(next_in_line, run=run).status == RunEnrolment.Status.WAITLISTED
    client.force_login(chef)
    with redis_down():
        response = client.post(reverse("learning:run_withdraw", args=[run.pk]))
    assert response.status_code == 302
    promoted = RunEnrolment.objects.get(run=run, user=next_in_line)
    assert promoted.status == RunEnrolment.Status.ENROLLED
    assert RunEnrolment.objects.get(run=run, user=chef).status == RunEnrolment.Status.WITHDRAWN
    assert _pending("learning.tasks.run_email").get().args == {
        "place_id": promoted.pk,
        "template": "promoted",
    }
    assert mail.outbox == []

    assert redis_back_and_periodic_job() == (1, 0)
    assert [m.to for m in mail.outbox] == [[next_in_line.email]]
    assert CourseRun.objects.get(pk=run.pk).enrolments.count() == 2


def test_confirming_a_matching_run_while_redis_is_down(client, kommunadmin, kommun_a, enhet_a):
    mentors = [mentor_in(enhet_a, capacity=2, full_name=f"Mentor {n}") for n in range(2)]
    hires = [person(enhet_a, full_name=f"Ny {n}") for n in range(3)]
    run = mentoring.run_matching(kommunadmin, organisation=kommun_a)
    assert run.proposals.count() == 3
    mail.outbox.clear()
    client.force_login(kommunadmin)
    with redis_down():
        response = client.post(reverse("mentoring:confirm_run", args=[run.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("mentoring:run", args=[run.pk])
    assert Mentorship.objects.filter(status=Mentorship.Status.PROPOSED).count() == 3
    assert _pending("mentoring.tasks.proposal_email").count() == 6
    assert mail.outbox == []

    assert redis_back_and_periodic_job() == (6, 0)
    recipients = sorted(m.to[0] for m in mail.outbox)
    expected = [h.email for h in hires] + [
        m.mentor.email for m in Mentorship.objects.select_related("mentor")
    ]
    assert recipients == sorted(expected)
    assert len(set(m.extra_headers["Message-ID"] for m in mail.outbox)) == 6
    assert {m.mentor_id for m in Mentorship.objects.all()} <= {m.pk for m in mentors}
