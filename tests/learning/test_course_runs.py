"""Course runs (kursomgångar): seats, waitlist, approval, nomination, attendance, completion."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from learning import services
from learning.models import (
    ALREADY_ENROLLED,
    END_BEFORE_START,
    NEGATIVE_SEATS,
    SESSION_OUTSIDE_RUN,
    Certificate,
    CourseRun,
    Enrolment,
    RunEnrolment,
    RunSession,
)
from learning.services import runs
from people.models import Role
from people.services import add_membership
from tests.factories import UserFactory, add_course, right_answers
from tests.learning.conftest import make_managers, make_run, once_begun

ENROLLED = RunEnrolment.Status.ENROLLED
WAITLISTED = RunEnrolment.Status.WAITLISTED


def _statuses(run):
    return list(
        run.enrolments.order_by("requested_at").values_list(
            "user__email", "status", "waitlist_position"
        )
    )


@pytest.mark.django_db
def test_a_manager_enrols_and_the_course_opens(chef, run, leadership):
    place = runs.enrol_in_course_run(chef, run=run)
    assert place.status == ENROLLED
    assert place.waitlist_position is None
    assert Enrolment.objects.get(user=chef, course=leadership).status == Enrolment.Status.ACTIVE


@pytest.mark.django_db
def test_a_full_run_puts_people_on_the_waitlist_in_order(enhet_a, run):
    managers = make_managers(enhet_a, 5)
    places = [runs.enrol_in_course_run(m, run=run) for m in managers]
    assert [(p.status, p.waitlist_position) for p in places] == [
        (ENROLLED, None),
        (ENROLLED, None),
        (WAITLISTED, 1),
        (WAITLISTED, 2),
        (WAITLISTED, 3),
    ]
    # Waitlisted managers have no course enrolment: the modules open with a seat.
    assert not Enrolment.objects.filter(user__in=managers[2:]).exists()


@pytest.mark.django_db
def test_withdrawal_moves_the_first_on_the_waitlist_up_and_emails_them(
    enhet_a, run, leadership, django_capture_on_commit_callbacks
):
    first, second, third, fourth = make_managers(enhet_a, 4)
    for manager in (first, second, third, fourth):
        runs.enrol_in_course_run(manager, run=run)
    with django_capture_on_commit_callbacks(execute=True):
        runs.withdraw_from_course_run(first, run=run)
    assert _statuses(run) == [
        (first.email, RunEnrolment.Status.WITHDRAWN, None),
        (second.email, ENROLLED, None),
        (third.email, ENROLLED, None),
        (fourth.email, WAITLISTED, 1),
    ]
    assert Enrolment.objects.get(user=third, course=leadership).status == Enrolment.Status.ACTIVE
    # The course stays on the introduction of the one who withdrew from the run.
    assert Enrolment.objects.get(user=first, course=leadership).status == (Enrolment.Status.ACTIVE)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [third.email]
    assert "Du har fått en plats i Omgång 1" in message.subject
    assert "flyttats upp från reservlistan" in message.body
    assert "/kalender.ics" in message.body


@pytest.mark.django_db
def test_leaving_the_waitlist_closes_the_gap(enhet_a, run):
    managers = make_managers(enhet_a, 5)
    for manager in managers:
        runs.enrol_in_course_run(manager, run=run)
    runs.withdraw_from_course_run(managers[3], run=run)
    positions = dict(
        run.enrolments.filter(status=WAITLISTED).values_list("user_id", "waitlist_position")
    )
    assert positions == {managers[2].pk: 1, managers[4].pk: 2}


@pytest.mark.django_db
def test_a_manager_can_come_back_after_withdrawing_and_queues_at_the_end(enhet_a, run):
    managers = make_managers(enhet_a, 3)
    for manager in managers:
        runs.enrol_in_course_run(manager, run=run)
    runs.withdraw_from_course_run(managers[0], run=run)
    place = runs.enrol_in_course_run(managers[0], run=run)
    assert (place.status, place.waitlist_position) == (WAITLISTED, 1)
    assert RunEnrolment.objects.filter(user=managers[0]).count() == 1


@pytest.mark.django_db
def test_more_seats_move_the_waitlist_up(enhet_a, run):
    managers = make_managers(enhet_a, 4)
    for manager in managers:
        runs.enrol_in_course_run(manager, run=run)
    run.seats = 3
    run.save()
    promoted = runs.promote_from_waitlist(run)
    assert [p.user for p in promoted] == [managers[2]]
    assert run.enrolments.get(user=managers[3]).waitlist_position == 1


def _deadline_passed(run):
    run.enrolment_deadline = timezone.localdate() - datetime.timedelta(days=1)
    run.save()
    return run


def _cancelled(run):
    run.status = CourseRun.Status.CANCELLED
    run.save()
    return run


def _other_audience(run):
    run.course.audience = "new_hires"
    run.course.save_revision().publish()
    run.refresh_from_db()
    return run


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (_deadline_passed, runs.ENROLMENT_CLOSED),
        (_cancelled, runs.RUN_CANCELLED),
        (_other_audience, runs.WRONG_AUDIENCE % {"audience": "Nyanställda"}),
    ],
)
def test_bad_enrolments_get_a_swedish_message_and_change_nothing(chef, run, spoil, message):
    spoil(run)
    with pytest.raises(ValidationError) as error:
        runs.enrol_in_course_run(chef, run=run)
    assert error.value.messages == [str(message)]
    assert not RunEnrolment.objects.exists()
    assert not Enrolment.objects.filter(user=chef).exists()


@pytest.mark.django_db
def test_enrolling_twice_is_refused_and_keeps_the_first_place(chef, run):
    first = runs.enrol_in_course_run(chef, run=run)
    with pytest.raises(ValidationError) as error:
        runs.enrol_in_course_run(chef, run=run)
    assert error.value.messages == [str(ALREADY_ENROLLED)]
    assert list(RunEnrolment.objects.values_list("pk", "status")) == [(first.pk, ENROLLED)]


@pytest.mark.django_db
def test_the_database_refuses_a_second_row_for_the_same_person(chef, run):
    RunEnrolment.objects.create(run=run, user=chef, status=ENROLLED)
    with pytest.raises(IntegrityError), transaction.atomic():
        RunEnrolment.objects.create(run=run, user=chef, status=WAITLISTED, waitlist_position=1)


@pytest.mark.django_db
def test_one_place_per_course_across_its_runs(chef, run, leadership):
    other = make_run(leadership, name="Omgång 2")
    runs.enrol_in_course_run(chef, run=run)
    with pytest.raises(ValidationError) as error:
        runs.enrol_in_course_run(chef, run=other)
    assert error.value.messages == [str(runs.ALREADY_IN_OTHER_RUN)]


@pytest.mark.django_db
def test_a_new_hire_cannot_take_a_place_in_a_run_for_managers(ny, run):
    with pytest.raises(ValidationError) as error:
        runs.enrol_in_course_run(ny, run=run)
    assert error.value.messages == [str(runs.WRONG_AUDIENCE % {"audience": "Chefer"})]


@pytest.mark.django_db
def test_negative_seats_are_refused_by_the_model_and_the_database(leadership, run):
    run.seats = -1
    with pytest.raises(ValidationError) as error:
        run.full_clean()
    assert str(NEGATIVE_SEATS) in error.value.messages
    with pytest.raises(IntegrityError), transaction.atomic():
        CourseRun.objects.filter(pk=run.pk).update(seats=-1)
    run.refresh_from_db()
    assert run.seats == 2


@pytest.mark.django_db
def test_a_run_cannot_end_before_it_starts(run):
    run.end_date = run.start_date - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        run.full_clean()
    assert str(END_BEFORE_START) in error.value.messages
    with pytest.raises(IntegrityError), transaction.atomic():
        run.save()


@pytest.mark.django_db
def test_a_session_outside_the_runs_dates_is_refused(run):
    session = RunSession(
        run=run,
        date=run.end_date + datetime.timedelta(days=1),
        start_time=datetime.time(9),
        end_time=datetime.time(12),
    )
    with pytest.raises(ValidationError) as error:
        session.full_clean()
    assert error.value.message_dict == {"date": [str(SESSION_OUTSIDE_RUN)]}
    assert run.sessions.count() == 2


@pytest.mark.django_db
def test_runs_belong_to_cohort_courses_only(catalog):
    self_paced = add_course(catalog, title="I egen takt", audience="managers")
    with pytest.raises(ValidationError) as error:
        make_run(self_paced)
    assert "course" in error.value.message_dict


# --- Approval and nomination -----------------------------------------------------------------


@pytest.fixture
def approval(leadership):
    leadership.requires_approval = True
    leadership.save_revision().publish()
    return leadership


@pytest.mark.django_db
def test_a_course_that_needs_approval_makes_a_request_that_the_admin_approves(
    chef, kommunadmin, run, approval, django_capture_on_commit_callbacks
):
    run.refresh_from_db()
    request = runs.enrol_in_course_run(chef, run=run)
    assert (request.status, request.waitlist_position) == (RunEnrolment.Status.PENDING, None)
    assert not Enrolment.objects.filter(user=chef).exists()
    with django_capture_on_commit_callbacks(execute=True):
        place = runs.decide_run_request(kommunadmin, place=request, approve=True)
    assert place.status == ENROLLED
    assert place.decided_by == kommunadmin
    assert Enrolment.objects.filter(user=chef, course=run.course).exists()
    assert mail.outbox[0].to == [chef.email]
    assert "är godkänd" in mail.outbox[0].subject
    with pytest.raises(ValidationError) as error:
        runs.decide_run_request(kommunadmin, place=place, approve=False)
    assert error.value.messages == [str(runs.ALREADY_DECIDED)]


@pytest.mark.django_db
def test_the_admin_may_decline_and_only_for_their_own_municipality(
    chef, kommunadmin, kommun_b, run, approval
):
    run.refresh_from_db()
    request = runs.enrol_in_course_run(chef, run=run)
    other_admin = UserFactory(email="admin-b@example.org")
    add_membership(
        None,
        user=other_admin,
        role=Role.MUNICIPAL_ADMIN,
        organisation=kommun_b,
        start_date=datetime.date(2026, 1, 1),
    )
    with pytest.raises(PermissionDenied):
        runs.decide_run_request(other_admin, place=request, approve=True)
    request.refresh_from_db()
    assert request.status == RunEnrolment.Status.PENDING
    place = runs.decide_run_request(kommunadmin, place=request, approve=False)
    assert place.status == RunEnrolment.Status.DECLINED


@pytest.mark.django_db
def test_an_admin_nominates_a_manager_of_their_municipality(
    chef, kommunadmin, run, approval, django_capture_on_commit_callbacks
):
    run.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        place = runs.nominate_for_course_run(kommunadmin, manager=chef, run=run)
    # The nomination is the approval, even on a course that needs one.
    assert place.status == ENROLLED
    assert place.nominated_by == kommunadmin
    assert mail.outbox[0].to == [chef.email]
    assert "har anmält dig" in mail.outbox[0].body


@pytest.mark.django_db
def test_an_admin_cannot_nominate_outside_their_municipality_or_a_non_manager(
    kommunadmin, ny, enhet_b, run
):
    (manager_b,) = make_managers(enhet_b, 1, prefix="chef-b")
    for person in (manager_b, ny):
        with pytest.raises(PermissionDenied):
            runs.nominate_for_course_run(kommunadmin, manager=person, run=run)
    assert not RunEnrolment.objects.exists()


# --- Attendance and completion ---------------------------------------------------------------
@pytest.mark.django_db
def test_attendance_is_refused_for_a_session_that_has_not_begun(chef, kursledare, run):
    place = runs.enrol_in_course_run(chef, run=run)
    session = run.sessions.order_by("date").first()
    with pytest.raises(ValidationError) as error:
        runs.mark_attendance(kursledare, session=session, present={place.pk})
    assert error.value.messages == [
        str(runs.SESSION_NOT_STARTED % runs.session_start_words(session))
    ]
    assert not session.attendance.exists()
    with once_begun(session):
        runs.mark_attendance(kursledare, session=session, present={place.pk})
    assert session.attendance.get().present is True


@pytest.mark.django_db
def test_leaders_mark_attendance_on_their_own_runs_and_editors_on_any(
    chef, kursledare, redaktor, mentor, run, leadership
):
    runs.enrol_in_course_run(chef, run=run)
    place = run.enrolments.get(user=chef)
    session = run.sessions.order_by("date").first()
    other = make_run(leadership, name="Annan omgång")
    with once_begun(session):
        runs.mark_attendance(kursledare, session=session, present={place.pk})
        runs.mark_attendance(redaktor, session=session, present=set())
        assert session.attendance.get().present is False
        with pytest.raises(PermissionDenied):
            runs.mark_attendance(kursledare, session=other.sessions.first(), present=set())
        with pytest.raises(PermissionDenied):
            runs.mark_attendance(chef, session=session, present={place.pk})
        with pytest.raises(ValidationError) as error:
            runs.mark_attendance(kursledare, session=session, present={place.pk + 999})
    assert error.value.messages == [str(runs.NOT_A_PARTICIPANT)]


@pytest.mark.django_db
def test_a_cohort_course_needs_modules_and_attendance_then_names_its_credits(
    chef, kursledare, run, leadership
):
    place = runs.enrol_in_course_run(chef, run=run)
    for module in leadership.modules():
        services.submit_knowledge_check(chef, module=module, answers=right_answers(module))
    enrolment = Enrolment.objects.get(user=chef, course=leadership)
    assert enrolment.status == Enrolment.Status.ACTIVE  # 0 of 2 sessions attended
    first, second = run.sessions.order_by("date")
    with once_begun(second):
        runs.mark_attendance(kursledare, session=first, present=set())
        runs.mark_attendance(kursledare, session=second, present={place.pk})
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED  # 1 of 2 = the course's 50 %
    certificate = Certificate.objects.get(user=chef)
    assert str(certificate.credits) == "7.5"


@pytest.mark.django_db
def test_attendance_first_then_modules_also_completes(chef, kursledare, run, leadership):
    place = runs.enrol_in_course_run(chef, run=run)
    with once_begun(run.sessions.order_by("date").last()):
        for session in run.sessions.all():
            runs.mark_attendance(kursledare, session=session, present={place.pk})
    assert not Certificate.objects.exists()
    for module in leadership.modules():
        services.submit_knowledge_check(chef, module=module, answers=right_answers(module))
    assert Certificate.objects.get(user=chef).course == leadership


@pytest.mark.django_db
def test_without_a_seat_a_cohort_course_is_not_complete(chef, leadership):
    services.enrol_in_course(None, learner=chef, course=leadership)
    for module in leadership.modules():
        services.submit_knowledge_check(chef, module=module, answers=right_answers(module))
    assert Enrolment.objects.get(user=chef).status == Enrolment.Status.ACTIVE
