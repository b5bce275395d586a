"""Reads for the people who manage a course run (kursomgång): its course leaders, editors and
the municipal admins of the arranging municipality (learning.permissions.may_manage_run).
The roster with the waitlist actions, the participant list for export, and the recipients of
a message to everyone in the run. Every read answers 404 for a run outside the user's reach."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.http import Http404

from learning import permissions
from learning.models import Attendance, CourseRun, RunEnrolment, RunSession
from people.models import Membership, User


def _run_and_access(user: User, pk: int) -> tuple[CourseRun, permissions.RunAccess]:
    run = CourseRun.objects.filter(pk=pk).select_related("course").first()
    if run is None:
        raise Http404
    access = permissions.run_access(user, run=run)
    if not access.manage:
        raise Http404
    return run, access


def _managed_run(user: User, pk: int) -> CourseRun:
    return _run_and_access(user, pk)[0]


def runs_managed_by(user: User) -> list[CourseRun]:
    """The runs the user manages, with seats taken and the waitlist's length; 404 for people
    who can manage none (course leaders, editors and municipal admins see the page)."""
    if not permissions.may_list_managed_runs(user):
        raise Http404
    return list(
        CourseRun.objects.filter(permissions.managed_runs_scope(user))
        .annotate(
            seated=Count("enrolments", filter=Q(enrolments__status=RunEnrolment.Status.ENROLLED)),
            waitlisted=Count(
                "enrolments", filter=Q(enrolments__status=RunEnrolment.Status.WAITLISTED)
            ),
        )
        .select_related("course")
        .order_by("start_date", "pk")
    )


def _marks_of(run: CourseRun) -> dict[tuple[int, int], bool]:
    return {
        (a.participant_id, a.session_id): a.present
        for a in Attendance.objects.filter(session__run=run).only(
            "participant_id", "session_id", "present"
        )
    }


@dataclass
class RosterRow:
    place: RunEnrolment
    marks: list[bool | None]

    @property
    def attended(self) -> int:
        return sum(1 for mark in self.marks if mark)


@dataclass
class WaitlistEntry:
    """A place on the waitlist and what the manager may do with it now."""

    place: RunEnrolment
    may_move_up: bool
    may_seat: bool


@dataclass
class ManagedRoster:
    run: CourseRun
    sessions: list[RunSession]
    rows: list[RosterRow]
    waitlist: list[WaitlistEntry]
    leaders: list[User]
    may_mark_attendance: bool
    seats_free: int


def run_roster_for(user: User, *, pk: int) -> ManagedRoster:
    """Participants, the waitlist with what may be done with each place, and attendance per
    session, for those who manage the run; 404 for anyone else (a fixed number of queries)."""
    run, access = _run_and_access(user, pk)
    sessions = list(run.sessions.order_by("date", "start_time"))
    places = list(
        run.enrolments.filter(
            status__in=[RunEnrolment.Status.ENROLLED, RunEnrolment.Status.WAITLISTED]
        )
        .select_related("user")
        .order_by("waitlist_position", "user__full_name")
    )
    marks = _marks_of(run)
    rows = [
        RosterRow(place=p, marks=[marks.get((p.pk, s.pk)) for s in sessions])
        for p in places
        if p.is_enrolled
    ]
    free = max(run.seats - len(rows), 0)
    open_run = run.status != CourseRun.Status.CANCELLED
    waitlist = [
        WaitlistEntry(
            place=p,
            may_move_up=open_run and p.waitlist_position > 1,
            may_seat=open_run and free > 0,
        )
        for p in places
        if p.is_waitlisted
    ]
    return ManagedRoster(
        run=run,
        sessions=sessions,
        rows=rows,
        waitlist=waitlist,
        leaders=list(run.leaders.all()),
        may_mark_attendance=access.mark_attendance,
        seats_free=free,
    )


def get_place_for_manager(user: User, *, run_id: int, place_id: int) -> RunEnrolment:
    """A place in a run the user manages, whatever its status now (a second click is told
    what happened, not given a 404); 404 for a run outside the user's reach."""
    run = _managed_run(user, run_id)
    place = RunEnrolment.objects.filter(pk=place_id, run=run).select_related("user").first()
    if place is None:
        raise Http404
    place.run = run
    return place


# The statuses the participant list shows: who has or had a seat or a waitlist place.
LISTED_STATUSES = (
    RunEnrolment.Status.ENROLLED,
    RunEnrolment.Status.WAITLISTED,
    RunEnrolment.Status.WITHDRAWN,
)


@dataclass
class ParticipantLine:
    name: str
    email: str
    units: str
    municipalities: str
    organisation_ids: set[int]
    status: str
    marks: list[bool | None]


@dataclass
class ParticipantList:
    run: CourseRun
    sessions: list[RunSession]
    lines: list[ParticipantLine] = field(default_factory=list)

    @property
    def organisation_ids(self) -> set[int]:
        return {pk for line in self.lines for pk in line.organisation_ids}


def participant_list_for(user: User, *, pk: int) -> ParticipantList:
    """Everyone with a seat, a waitlist place or a withdrawn place in the run, with unit,
    municipality and attendance per session, for those who manage the run; 404 otherwise.
    Names, work emails and organisation only: the system holds no identity numbers."""
    run = _managed_run(user, pk)
    sessions = list(run.sessions.order_by("date", "start_time"))
    memberships = Prefetch(
        "user__memberships",
        queryset=Membership.objects.select_related("unit", "organisation").order_by("pk"),
    )
    places = list(
        run.enrolments.filter(status__in=LISTED_STATUSES)
        .select_related("user")
        .prefetch_related(memberships)
        .order_by("status", "waitlist_position", "user__full_name", "pk")
    )
    marks = _marks_of(run)
    lines = []
    for place in places:
        rows = list(place.user.memberships.all())
        lines.append(
            ParticipantLine(
                name=place.user.get_full_name(),
                email=place.user.email,
                units=", ".join(dict.fromkeys(m.unit.name for m in rows if m.unit_id)),
                municipalities=", ".join(dict.fromkeys(m.organisation.name for m in rows)),
                organisation_ids={m.organisation_id for m in rows},
                status=str(place.get_status_display()),
                marks=[marks.get((place.pk, s.pk)) for s in sessions],
            )
        )
    return ParticipantList(run=run, sessions=sessions, lines=lines)


def get_run_for_manager(user: User, *, pk: int) -> CourseRun:
    """A run the user manages; 404 otherwise."""
    return _managed_run(user, pk)


def message_recipients(run: CourseRun, *, include_waitlist: bool) -> list[RunEnrolment]:
    """Who a message to everyone in the run goes to: the active people with a seat, and,
    when asked, those on the waitlist."""
    statuses = [RunEnrolment.Status.ENROLLED]
    if include_waitlist:
        statuses.append(RunEnrolment.Status.WAITLISTED)
    return list(
        run.enrolments.filter(status__in=statuses, user__is_active=True)
        .select_related("user")
        .prefetch_related(Prefetch("user__memberships", queryset=Membership.objects.order_by("pk")))
        .order_by("user__full_name", "pk")
    )
