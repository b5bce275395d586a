"""Writes for course runs (kursomgångar): seats and the waitlist (reservlista), nomination and
approval by the municipal admin, withdrawal, and attendance (närvaro).

Rows that people compete for are the run's seats: every write that takes or frees a seat first
locks the run row with select_for_update(), so on PostgreSQL concurrent enrolments queue up
behind one another and the seat count and waitlist positions stay exact.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import outbox
from core.dates import format_date
from learning import permissions
from learning.models import (
    ACTIVE_PLACE_STATUSES,
    ALREADY_ENROLLED,
    Attendance,
    CourseRun,
    Enrolment,
    RunEnrolment,
    RunSession,
)
from learning.services.enrolment import COURSE_NOT_PUBLISHED, enrol_in_course
from learning.services.progress import complete_course_if_done
from people.models import User

ENROLMENT_CLOSED = _("Sista anmälningsdag för kursomgången har passerat.")
RUN_CANCELLED = _("Kursomgången är inställd.")
RUN_CLOSED = _("Kursomgången är stängd för anmälan.")
WRONG_AUDIENCE = _("Kursomgången är till för en annan målgrupp: %(audience)s.")
ALREADY_IN_OTHER_RUN = _(
    "Du har redan en plats i en annan omgång av kursen. Avanmäl dig där först."
)
NOMINEE_ALREADY_ENROLLED = _("%(name)s är redan anmäld till den här kursomgången.")
NOT_YOUR_MUNICIPALITY = _("Du kan bara anmäla chefer i din egen kommun.")
NOT_IN_RUN = _("Du är inte anmäld till den här kursomgången.")
ALREADY_DECIDED = _("Anmälan är redan behandlad.")
NOT_A_PARTICIPANT = _("Någon av de markerade är inte deltagare i kursomgången.")
MAY_NOT_MARK = _("Bara kursomgångens kursledare och redaktörer får markera närvaro.")
SESSION_NOT_STARTED = _(
    "Passet har inte börjat än: närvaro kan markeras från %(date)s kl. %(time)s, när passet börjar."
)


def session_start_words(session: RunSession) -> dict:
    return {
        "date": format_date(session.date),
        "time": f"{session.start_time:%H:%M}",
    }


# Far above any real waitlist, so that positions can step aside while the queue moves up.
QUEUE_ASIDE = 1_000_000


def _check_administers(admin: User, manager: User) -> None:
    if not permissions.administers_manager(admin, manager=manager):
        raise PermissionDenied(NOT_YOUR_MUNICIPALITY)


def _locked_run(run: CourseRun) -> CourseRun:
    """The run row again, locked (select_for_update) until the transaction ends: whoever
    takes or frees a seat next waits here."""
    return CourseRun.objects.select_for_update().get(pk=run.pk)


def _check_may_join(learner: User, run: CourseRun) -> None:
    """Why this person cannot take a place in the run now, as a Swedish message; or nothing."""
    if run.status == CourseRun.Status.CANCELLED:
        raise ValidationError(RUN_CANCELLED)
    if not run.course.live:
        raise ValidationError(COURSE_NOT_PUBLISHED)
    if run.status == CourseRun.Status.CLOSED:
        raise ValidationError(RUN_CLOSED)
    if timezone.localdate() > run.enrolment_deadline:
        raise ValidationError(ENROLMENT_CLOSED)
    if not permissions.fits_audience(learner, course=run.course):
        raise ValidationError(WRONG_AUDIENCE % {"audience": run.course.get_audience_display()})


def _seat_or_queue(run: CourseRun, enrolment: RunEnrolment) -> None:
    """With the run locked: a free seat, or the next place on the waitlist. Nobody jumps the
    queue: while anyone is waitlisted, a newcomer queues behind them."""
    places = run.enrolments.exclude(pk=enrolment.pk)
    seated = places.filter(status=RunEnrolment.Status.ENROLLED).count()
    last = places.filter(status=RunEnrolment.Status.WAITLISTED).aggregate(
        last=Max("waitlist_position")
    )["last"]
    if seated < run.seats and last is None:
        enrolment.status = RunEnrolment.Status.ENROLLED
        enrolment.waitlist_position = None
    else:
        enrolment.status = RunEnrolment.Status.WAITLISTED
        enrolment.waitlist_position = (last or 0) + 1


def _save_place(enrolment: RunEnrolment) -> RunEnrolment:
    # Under the run lock the unique rules hold by construction; the database still enforces
    # them, so checking them here would only repeat queries.
    enrolment.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            enrolment.save()
    except IntegrityError as error:
        raise ValidationError(ALREADY_ENROLLED) from error
    if enrolment.status == RunEnrolment.Status.ENROLLED:
        _activate_course_enrolment(enrolment)
    return enrolment


def _sign_up(
    actor: User, learner: User, run: CourseRun, *, pending: bool, nominated_by: User | None
) -> RunEnrolment:
    enrolment = RunEnrolment.objects.filter(run=run, user=learner).first()
    if enrolment is not None and enrolment.status in ACTIVE_PLACE_STATUSES:
        if nominated_by is not None:
            raise ValidationError(NOMINEE_ALREADY_ENROLLED % {"name": learner.get_full_name()})
        raise ValidationError(ALREADY_ENROLLED)
    if (
        RunEnrolment.objects.filter(
            user=learner, run__course=run.course, status__in=ACTIVE_PLACE_STATUSES
        )
        .exclude(run=run)
        .exists()
    ):
        raise ValidationError(ALREADY_IN_OTHER_RUN)
    if enrolment is None:
        enrolment = RunEnrolment(run=run, user=learner)
    enrolment.nominated_by = nominated_by
    # Taken under the run lock, so the order of these times is the order of the queue.
    enrolment.requested_at = timezone.now()
    enrolment.decided_by = actor if nominated_by is not None else None
    enrolment.decided_at = enrolment.requested_at if nominated_by is not None else None
    if pending:
        enrolment.status = RunEnrolment.Status.PENDING
        enrolment.waitlist_position = None
    else:
        _seat_or_queue(run, enrolment)
    return _save_place(enrolment)


def _activate_course_enrolment(place: RunEnrolment) -> Enrolment:
    """A seat in a run opens the course's modules: the course enrolment (kursdeltagande)."""
    enrolment = enrol_in_course(
        place.nominated_by or place.user, learner=place.user, course=place.run.course
    )
    if enrolment.status == Enrolment.Status.WITHDRAWN:
        enrolment.status = Enrolment.Status.ACTIVE
        enrolment.save(update_fields=["status", "updated_at"])
    return enrolment


def _email_later(place: RunEnrolment, template: str) -> None:
    """Queue the email in the outbox, in the transaction that changed the place."""
    from learning.tasks import run_email

    outbox.enqueue(
        run_email, args={"place_id": place.pk, "template": template}, recipient_id=place.user_id
    )


@transaction.atomic
def enrol_in_course_run(learner: User, *, run: CourseRun) -> RunEnrolment:
    """A manager enrols in a course run (kursomgång); a full run puts them on the waitlist
    (reservlista), and a course that needs approval makes it a request to their municipal
    admin. The run row is locked (select_for_update) so concurrent enrolments queue up."""
    run = _locked_run(run)
    _check_may_join(learner, run)
    return _sign_up(learner, learner, run, pending=run.course.requires_approval, nominated_by=None)


@transaction.atomic
def nominate_for_course_run(admin: User, *, manager: User, run: CourseRun) -> RunEnrolment:
    """A municipal admin nominates (anmäler) a manager in their own municipality to a course
    run; the nomination is the approval. The run row is locked (select_for_update)."""
    _check_administers(admin, manager)
    run = _locked_run(run)
    _check_may_join(manager, run)
    place = _sign_up(admin, manager, run, pending=False, nominated_by=admin)
    _email_later(place, "nominated")
    return place


@transaction.atomic
def decide_run_request(admin: User, *, place: RunEnrolment, approve: bool) -> RunEnrolment:
    """The municipal admin of the manager's municipality approves or declines a request to
    join a course run (godkänner anmälan); an approved request takes a seat or a waitlist
    place. The run row is locked (select_for_update)."""
    run = _locked_run(place.run)
    place = RunEnrolment.objects.select_related("user").get(pk=place.pk)
    _check_administers(admin, place.user)
    if place.status != RunEnrolment.Status.PENDING:
        raise ValidationError(ALREADY_DECIDED)
    if approve and run.status == CourseRun.Status.CANCELLED:
        raise ValidationError(RUN_CANCELLED)
    place.run = run
    place.decided_by = admin
    place.decided_at = timezone.now()
    if approve:
        _seat_or_queue(run, place)
    else:
        place.status = RunEnrolment.Status.DECLINED
    _save_place(place)
    _email_later(place, "decided")
    return place


@transaction.atomic
def withdraw_from_course_run(learner: User, *, run: CourseRun) -> RunEnrolment:
    """A participant withdraws (avanmäler sig) from a course run; a freed seat goes to the
    first on the waitlist, who is told by email. The run row is locked (select_for_update)
    so a freed seat goes to exactly one person."""
    run = _locked_run(run)
    place = RunEnrolment.objects.filter(
        run=run, user=learner, status__in=ACTIVE_PLACE_STATUSES
    ).first()
    if place is None:
        raise ValidationError(NOT_IN_RUN)
    had_seat = place.status == RunEnrolment.Status.ENROLLED
    position = place.waitlist_position
    place.status = RunEnrolment.Status.WITHDRAWN
    place.waitlist_position = None
    place.save(update_fields=["status", "waitlist_position", "updated_at"])
    if position is not None:
        _move_up(run, behind=position, places=1)
    if had_seat:
        # The course itself stays on the person's introduction (an assigned leadership course
        # must not vanish with one run): they can take another run of it.
        _fill_free_seats(run)
    return place


# --------------------------------------------------------------------------------------------
# An editor changes a run: cancelled, or fewer seats
# --------------------------------------------------------------------------------------------
def _email_each(places, template: str) -> None:
    for place in places:
        _email_later(place, template)


@transaction.atomic
def cancel_course_run(run: CourseRun) -> list[RunEnrolment]:
    """The run is cancelled (inställd): everyone with a seat, on the waitlist or with a request
    waiting is told by email; their places stay as the record of who was signed up, and the
    course stays on their introduction so they can take another run."""
    run = _locked_run(run)
    if run.status != CourseRun.Status.CANCELLED:
        run.status = CourseRun.Status.CANCELLED
        run.save(update_fields=["status"])
    places = list(run.enrolments.filter(status__in=ACTIVE_PLACE_STATUSES).select_related("user"))
    _email_each(places, "cancelled")
    return places


@transaction.atomic
def settle_seats(run: CourseRun) -> list[RunEnrolment]:
    """After the number of seats changed: with more seats the waitlist moves up (each promoted
    person is told); with fewer than the people seated, those who took a seat last move to the
    front of the waitlist, in order, and everyone seated or waiting is told where they stand."""
    run = _locked_run(run)
    if run.status == CourseRun.Status.CANCELLED:
        return []
    seated = list(
        run.enrolments.filter(status=RunEnrolment.Status.ENROLLED)
        .select_related("user")
        .order_by("requested_at", "pk")
    )
    over = len(seated) - max(run.seats, 0)
    if over <= 0:
        return _fill_free_seats(run)
    bumped = seated[-over:]
    queue = run.enrolments.filter(status=RunEnrolment.Status.WAITLISTED)
    queue.update(waitlist_position=F("waitlist_position") + QUEUE_ASIDE)
    queue.filter(waitlist_position__gt=QUEUE_ASIDE).update(
        waitlist_position=F("waitlist_position") - QUEUE_ASIDE + over
    )
    for position, place in enumerate(bumped, start=1):
        place.status = RunEnrolment.Status.WAITLISTED
        place.waitlist_position = position
        place.save(update_fields=["status", "waitlist_position", "updated_at"])
    everyone = list(
        run.enrolments.filter(
            status__in=[RunEnrolment.Status.ENROLLED, RunEnrolment.Status.WAITLISTED]
        ).select_related("user")
    )
    _email_each(everyone, "seats_changed")
    return bumped


@transaction.atomic
def promote_from_waitlist(run: CourseRun) -> list[RunEnrolment]:
    """Give free seats (after a withdrawal or more seats) to the first on the waitlist, in
    order, and tell each by email. The run row is locked (select_for_update)."""
    return _fill_free_seats(_locked_run(run))


def _fill_free_seats(run: CourseRun) -> list[RunEnrolment]:
    if run.status == CourseRun.Status.CANCELLED:
        return []
    free = run.seats - run.enrolments.filter(status=RunEnrolment.Status.ENROLLED).count()
    if free <= 0:
        return []
    promoted = list(
        run.enrolments.filter(status=RunEnrolment.Status.WAITLISTED)
        .select_related("user", "nominated_by")
        .order_by("waitlist_position")[:free]
    )
    if not promoted:
        return []
    for place in promoted:
        place.run = run
        place.status = RunEnrolment.Status.ENROLLED
        place.waitlist_position = None
        place.save(update_fields=["status", "waitlist_position", "updated_at"])
        _activate_course_enrolment(place)
        _email_later(place, "promoted")
    _move_up(run, behind=0, places=len(promoted))
    return promoted


def _move_up(run: CourseRun, *, behind: int, places: int) -> None:
    """Move everyone on the waitlist behind `behind` up by `places`, keeping their order."""
    queue = run.enrolments.filter(status=RunEnrolment.Status.WAITLISTED)
    # The database checks the unique (run, position) rule row by row within an UPDATE, so
    # the rows first step aside to free numbers, then land on their new ones.
    queue.filter(waitlist_position__gt=behind).update(
        waitlist_position=F("waitlist_position") + QUEUE_ASIDE
    )
    queue.filter(waitlist_position__gt=QUEUE_ASIDE).update(
        waitlist_position=F("waitlist_position") - QUEUE_ASIDE - places
    )


@transaction.atomic
def mark_attendance(actor: User, *, session: RunSession, present: set[int]) -> list[Attendance]:
    """A course leader of the run, or an editor, marks who was at a session (närvaro); the
    participants not in `present` were absent. Whoever now meets the course's attendance
    share and has finished its modules completes the course."""
    run = session.run
    if not permissions.may_mark_attendance(actor, run=run):
        raise PermissionDenied(MAY_NOT_MARK)
    if not session.has_started():
        raise ValidationError(SESSION_NOT_STARTED % session_start_words(session))
    participants = list(
        run.enrolments.filter(status=RunEnrolment.Status.ENROLLED).select_related("user")
    )
    if not present <= {p.pk for p in participants}:
        raise ValidationError(NOT_A_PARTICIPANT)
    existing = {a.participant_id: a for a in session.attendance.all()}
    now = timezone.now()
    rows = []
    for participant in participants:
        row = existing.get(participant.pk) or Attendance()
        # The rows in hand, so that neither the cross-run check in Attendance.clean nor the
        # check that each still exists costs queries per participant: they were just read.
        row.session, row.participant = session, participant
        row.present = participant.pk in present
        row.marked_by = actor
        row.marked_at = now
        row.full_clean(
            exclude=["session", "participant", "marked_by"],
            validate_unique=False,
            validate_constraints=False,
        )
        row.save()
        rows.append(row)
    for enrolment in Enrolment.objects.filter(
        course_id=run.course_id,
        user_id__in=[p.user_id for p in participants],
        status=Enrolment.Status.ACTIVE,
    ).select_related("course"):
        complete_course_if_done(enrolment)
    return rows


@transaction.atomic
def hand_over_run_leadership(*, run_id: int, leader: User, to: User) -> CourseRun | None:
    """`to` leads the run in `leader`'s place. None (and nothing changed) when `leader` does not
    lead it, so a second click of a hand-over changes nothing. The run row is locked, so two
    hand-overs of one run happen one after the other."""
    run = CourseRun.objects.select_for_update().filter(pk=run_id).first()
    if run is None or not run.leaders.filter(pk=leader.pk).exists():
        return None
    run.leaders.remove(leader)
    run.leaders.add(to)
    return run
