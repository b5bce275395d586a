"""Course runs (kursomgångar): the course page's panel, the calendar download, the course
leader's roster and the municipal admin's requests."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from content.models import CoursePage
from learning import permissions
from learning.models import (
    ACTIVE_PLACE_STATUSES,
    Attendance,
    CourseRun,
    Enrolment,
    RunEnrolment,
    RunSession,
)
from people import permissions as people_permissions
from people.models import Membership, Role, User

# --- Course runs (kursomgångar) -------------------------------------------------------------


@dataclass
class RunSummary:
    """A run as the course page shows it: sessions, seats left and the user's own place."""

    run: CourseRun
    sessions: list[RunSession]
    place: RunEnrolment | None = None
    may_enrol: bool = False
    may_download_ics: bool = False

    @property
    def seats_left(self) -> int:
        return max(self.run.seats - self.run.seated, 0)

    @property
    def is_full(self) -> bool:
        return self.seats_left == 0

    @property
    def is_cancelled(self) -> bool:
        return self.run.status == CourseRun.Status.CANCELLED

    @property
    def enrolment_closed(self) -> bool:
        """The run is still ahead but its sign-up deadline has passed."""
        return (
            self.run.status == CourseRun.Status.OPEN
            and timezone.localdate() > self.run.enrolment_deadline
        )

    @property
    def has_active_place(self) -> bool:
        return self.place is not None and self.place.status in ACTIVE_PLACE_STATUSES


@dataclass
class CourseRunsPanel:
    course: CoursePage
    runs: list[RunSummary]
    fits_audience: bool
    is_admin: bool


def _runs_with_counts():
    return CourseRun.objects.annotate(
        seated=Count("enrolments", filter=Q(enrolments__status=RunEnrolment.Status.ENROLLED)),
        waitlisted=Count("enrolments", filter=Q(enrolments__status=RunEnrolment.Status.WAITLISTED)),
    )


def _sessions_prefetch():
    return Prefetch("sessions", queryset=RunSession.objects.order_by("date", "start_time"))


def course_runs_for(user: User, *, course: CoursePage) -> CourseRunsPanel:
    """The course page's runs: upcoming ones, and past ones where the user had a place, with
    seats left and the user's own place or waitlist position (4 queries at most)."""
    today = timezone.localdate()
    visible = Q(end_date__gte=today)
    if user.is_authenticated:
        visible |= Q(enrolments__user=user)
    # Runs belong to the original course; a translation shows the same runs.
    run_ids = CourseRun.objects.filter(
        visible, course__translation_key=course.translation_key
    ).values("pk")
    runs_ = list(
        _runs_with_counts()
        .filter(pk__in=run_ids)
        .prefetch_related(_sessions_prefetch())
        .order_by("start_date", "pk")
    )
    places = {}
    if user.is_authenticated and runs_:
        places = {
            p.run_id: p
            for p in RunEnrolment.objects.filter(user=user, run__in=[r.pk for r in runs_])
        }
    fits = user.is_authenticated and permissions.fits_audience(user, course=course)
    busy = any(p.status in ACTIVE_PLACE_STATUSES for p in places.values())
    led = set()
    if runs_ and people_permissions.has_role(user, Role.COURSE_LEADER):
        led = set(
            CourseRun.leaders.through.objects.filter(
                user_id=user.pk, courserun_id__in=[r.pk for r in runs_]
            ).values_list("courserun_id", flat=True)
        )
    summaries = []
    for run in runs_:
        summary = RunSummary(run=run, sessions=list(run.sessions.all()), place=places.get(run.pk))
        summary.may_enrol = fits and not busy and run.is_open_for_enrolment(today) and course.live
        summary.may_download_ics = bool(summary.sessions) and permissions.may_see_run_schedule(
            user,
            course=course,
            has_place=(summary.place is not None).__bool__,
            leads=(run.pk in led).__bool__,
        )
        summaries.append(summary)
    return CourseRunsPanel(
        course=course,
        runs=summaries,
        fits_audience=fits,
        is_admin=bool(people_permissions.administered_organisation_ids(user)),
    )


@dataclass(frozen=True)
class Withdrawal:
    """What withdrawing from a run means for this person, said before they confirm."""

    run: CourseRun
    place: RunEnrolment
    # Someone on the waitlist takes the seat at once, so coming back means the waitlist.
    seat_goes_to_waitlist: bool
    # The run still takes sign-ups (before the deadline, open, not cancelled).
    may_sign_up_again: bool


def withdrawal_for(user: User, *, run_id: int) -> Withdrawal:
    """The user's own active place in a run of a published course; 404 for anyone without
    one. Three queries."""
    place = (
        RunEnrolment.objects.filter(
            run_id=run_id, user=user, status__in=ACTIVE_PLACE_STATUSES, run__course__live=True
        )
        .select_related("run__course")
        .first()
        if user.is_authenticated
        else None
    )
    if place is None:
        raise Http404
    run = place.run
    waiting = run.enrolments.filter(status=RunEnrolment.Status.WAITLISTED).exists()
    return Withdrawal(
        run=run,
        place=place,
        seat_goes_to_waitlist=place.is_enrolled and waiting,
        may_sign_up_again=run.is_open_for_enrolment(timezone.localdate()),
    )


def get_run_for_enrolment(pk: int) -> CourseRun:
    """A run of a published course; 404 otherwise. Whether the user may take a place in it is
    the service's to say, in words."""
    run = CourseRun.objects.filter(pk=pk, course__live=True).select_related("course").first()
    if run is None:
        raise Http404
    return run


def open_run_places_of(user: User, *, today) -> list[RunEnrolment]:
    """The person's places (booked or waiting) in runs that are neither cancelled nor over by
    `today`, earliest first, with their run and course: what a leaver still holds."""
    return list(
        RunEnrolment.objects.filter(user=user, status__in=ACTIVE_PLACE_STATUSES)
        .exclude(run__status=CourseRun.Status.CANCELLED)
        .filter(run__end_date__gte=today)
        .select_related("run__course")
        .order_by("run__start_date")
    )


def open_runs_led_by(user: User, *, today) -> list[CourseRun]:
    """Runs neither cancelled nor over by `today` that the person leads, earliest first, with
    their course: without a leader nobody marks attendance, so a leaver hands them over."""
    return list(
        user.led_course_runs.exclude(status=CourseRun.Status.CANCELLED)
        .filter(end_date__gte=today)
        .select_related("course")
        .order_by("start_date", "pk")
    )


def get_run_of_place(user: User, *, run_id: int) -> CourseRun:
    """A run in which the person has (or had) a place; 404 for any other. Whether the place
    can still be given up is the service's to say, in words."""
    place = (
        RunEnrolment.objects.filter(user=user, run_id=run_id).select_related("run__course").first()
    )
    if place is None:
        raise Http404
    return place.run


def _may_see_run(user: User, run: CourseRun) -> bool:
    if not user.is_authenticated:
        return False
    return permissions.may_see_run_schedule(
        user,
        course=run.course,
        has_place=RunEnrolment.objects.filter(run=run, user=user).exists,
        leads=run.leaders.filter(pk=user.pk).exists,
    )


def get_run_for_calendar(user: User, *, pk: int) -> tuple[CourseRun, list[RunSession]]:
    """A run and its sessions for the .ics download: for the course's audience, its
    participants and leaders, editors and municipal admins; 404 for anyone else."""
    run = get_run_for_enrolment(pk)
    if not _may_see_run(user, run):
        raise Http404
    return run, list(run.sessions.order_by("date", "start_time"))


def get_session_for_marking(
    user: User, *, pk: int
) -> tuple[RunSession, list[RunEnrolment], set[int]]:
    """A session, its run's participants and who is marked present, for a course leader of the
    run or an editor; 404 for anyone else."""
    session = RunSession.objects.filter(pk=pk).select_related("run__course").first()
    if session is None or not permissions.may_mark_attendance(user, run=session.run):
        raise Http404
    participants = list(
        session.run.enrolments.filter(status=RunEnrolment.Status.ENROLLED)
        .select_related("user")
        .order_by("user__full_name")
    )
    present = set(session.attendance.filter(present=True).values_list("participant_id", flat=True))
    return session, participants, present


@dataclass
class RunRequests:
    pending: list[RunEnrolment]
    places: list[RunEnrolment]
    managers: QuerySet
    open_runs: QuerySet


def _managers_of(organisation_ids: set[int]):
    return User.objects.filter(
        Exists(
            Membership.objects.filter(
                user=OuterRef("pk"), role=Role.MANAGER, organisation_id__in=organisation_ids
            )
        )
    )


def run_requests_for_admin(user: User) -> RunRequests:
    """For a municipal admin: requests from managers in their municipality waiting for
    approval, those managers' places in runs, and what they may nominate; 404 for others."""
    organisation_ids = people_permissions.administered_organisation_ids(user)
    if not organisation_ids:
        raise Http404
    managers = _managers_of(organisation_ids)
    places = list(
        RunEnrolment.objects.filter(
            user__in=managers.values("pk"), status__in=ACTIVE_PLACE_STATUSES
        )
        .select_related("user", "run__course")
        .order_by("run__start_date", "run_id", "status", "waitlist_position", "user__full_name")
    )
    return RunRequests(
        pending=[p for p in places if p.status == RunEnrolment.Status.PENDING],
        places=[p for p in places if p.status != RunEnrolment.Status.PENDING],
        managers=managers.order_by("full_name"),
        open_runs=CourseRun.objects.filter(
            status=CourseRun.Status.OPEN,
            course__live=True,
            course__audience="managers",
            enrolment_deadline__gte=timezone.localdate(),
        )
        .select_related("course")
        .order_by("start_date", "pk"),
    )


def get_request_for_admin(user: User, *, pk: int) -> RunEnrolment:
    """A pending request from a manager in the admin's municipality; 404 otherwise."""
    organisation_ids = people_permissions.administered_organisation_ids(user)
    place = (
        RunEnrolment.objects.filter(
            pk=pk,
            status=RunEnrolment.Status.PENDING,
            user__in=_managers_of(organisation_ids).values("pk"),
        )
        .select_related("run", "user")
        .first()
    )
    if not organisation_ids or place is None:
        raise Http404
    return place


def attendance_requirement_met(enrolment: Enrolment) -> bool:
    """A cohort course needs its minimum attendance share (närvarokrav) in the learner's run:
    sessions marked present over all the run's sessions."""
    course = enrolment.course
    if not course.is_cohort or course.min_attendance_percent == 0:
        return True
    place = (
        RunEnrolment.objects.filter(
            user_id=enrolment.user_id, run__course=course, status=RunEnrolment.Status.ENROLLED
        )
        .exclude(run__status=CourseRun.Status.CANCELLED)
        .first()
    )
    if place is None:
        return False
    total = RunSession.objects.filter(run_id=place.run_id).count()
    attended = Attendance.objects.filter(participant=place, present=True).count()
    return total > 0 and attended * 100 >= course.min_attendance_percent * total
