"""Reads that learning pages need, already scoped to the requesting user.

Every function here runs a fixed number of queries, whatever the number of courses, modules
and learners: the page tree is read once and progress rows are fetched in one go.

Languages: a course or module can have an English translation (Wagtail i18n). Enrolments,
progress, deadlines and runs are always recorded against the Swedish original (the page with
the same translation key in Swedish; an English-only page is its own original), so switching
language keeps a learner's place. A page passed in is mapped to its original first; titles are
then shown in the learner's language, and the page a learner reads is the translation.
"""

import copy
import datetime
import itertools
import weakref
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from content import outline
from content.models import CoursePage, ModulePage, localized, originals_first, translations_of
from learning import permissions
from learning.certificates import normalise_code
from learning.models import (
    ACTIVE_PLACE_STATUSES,
    Attendance,
    Certificate,
    CourseRun,
    Enrolment,
    ModuleDeadline,
    ModuleProgress,
    QuizAttempt,
    RunEnrolment,
    RunSession,
)
from people import permissions as people_permissions
from people.models import Membership, Role, User

PREREQUISITES_MISSING = _("Låst: gå först klart %(courses)s.")
PREVIOUS_MODULE_FIRST = _("Låst: bli klar med modulen ”%(title)s” först.")


@dataclass
class ModuleStatus:
    module: ModulePage
    number: int
    progress: ModuleProgress | None = None
    due_date: datetime.date | None = None
    locked_reason: str | None = None

    @property
    def is_complete(self) -> bool:
        return self.progress is not None and self.progress.completed_at is not None

    @property
    def is_started(self) -> bool:
        return self.progress is not None

    @property
    def is_overdue(self) -> bool:
        return (
            not self.is_complete
            and self.due_date is not None
            and self.due_date < timezone.localdate()
        )


@dataclass
class CourseProgress:
    course: CoursePage
    enrolment: Enrolment | None
    modules: list[ModuleStatus] = field(default_factory=list)
    missing_prerequisites: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.modules)

    @property
    def completed(self) -> int:
        return sum(1 for status in self.modules if status.is_complete)

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.total) if self.total else 0

    @property
    def next_module(self) -> ModulePage | None:
        return next((s.module for s in self.modules if not s.is_complete), None)

    @property
    def next_status(self) -> ModuleStatus | None:
        return next((s for s in self.modules if not s.is_complete), None)

    @property
    def overdue_modules(self) -> int:
        return sum(1 for status in self.modules if status.is_overdue)

    @property
    def is_overdue(self) -> bool:
        return self.enrolment is not None and self.enrolment.is_overdue(timezone.localdate())

    @property
    def is_complete(self) -> bool:
        return self.enrolment is not None and (self.enrolment.status == Enrolment.Status.COMPLETED)


def _reads_swedish() -> bool:
    return translation.get_language() in (None, settings.LANGUAGE_CODE)


def _original(pages: QuerySet, *, keys) -> Page | None:
    """The Swedish original among `pages` with these translation keys; an English-only page is
    its own original. The one place that maps a translation to the page progress is kept on."""
    return pages.filter(translation_key__in=keys).order_by(originals_first()).first()


def _original_course(course: CoursePage) -> CoursePage:
    """The Swedish original of a course (itself when it is one or has none). Swedish readers are
    only ever served originals (content.models.HomePage.route), so they cost no query."""
    if _reads_swedish():
        return course
    return _original(CoursePage.objects, keys=[course.translation_key]) or course


def _titled(pages: list[Page], translations: dict) -> list[Page]:
    """The Swedish originals under their translated titles in the active language, where a live
    translation exists (`translations`, from content.models.translations_of). A retitled page
    is a copy: the originals may be shared (content.outline), learning never saves pages, and
    the originals keep identifying the progress rows."""
    if not translations:
        return pages
    result = []
    for page in pages:
        if (translated := translations.get(page.translation_key)) is not None:
            page = copy.copy(page)
            page.title = translated.title
        result.append(page)
    return result


def _missing_prerequisites(user: User, courses: list[CoursePage]) -> dict[int, list[str]]:
    """Per course, the titles of prerequisite courses the user has not completed (the
    prerequisites come from the cached outline; one query when there are any)."""
    required = outline.prerequisites_by_course([c.pk for c in courses])
    if not any(required.values()):
        return {}
    done = set()
    if user.is_authenticated:
        done = set(
            Enrolment.objects.filter(
                user=user,
                status=Enrolment.Status.COMPLETED,
                course_id__in={pk for rows in required.values() for pk, _title in rows},
            ).values_list("course_id", flat=True)
        )
    missing: dict[int, list[str]] = {}
    for course_id, rows in required.items():
        for required_id, title in rows:
            if required_id not in done:
                missing.setdefault(course_id, []).append(title)
    return missing


def missing_prerequisites_for(user: User, *, course: CoursePage) -> list[str]:
    """Titles of the course's prerequisite courses that the user has not completed."""
    return _missing_prerequisites(user, [course]).get(course.pk, [])


def _course_progress(
    user: User, enrolments: list[Enrolment], courses: list[CoursePage]
) -> list[CourseProgress]:
    modules = outline.live_modules_by_course(courses)
    missing = _missing_prerequisites(user, courses)
    enrolment_ids = [e.pk for e in enrolments]
    progress = {
        (p.enrolment_id, p.module_id): p
        for p in ModuleProgress.objects.filter(enrolment__in=enrolment_ids)
    }
    # Module deadlines come only from an onboarding plan, which dates the course as well
    # (learning/onboarding.py): an enrolment without a due date has none to read.
    dated = [e.pk for e in enrolments if e.due_date is not None]
    deadlines = {
        (d.enrolment_id, d.module_id): d.due_date
        for d in (ModuleDeadline.objects.filter(enrolment__in=dated) if dated else ())
    }
    by_course = {e.course_id: e for e in enrolments}
    # One query for the translated titles (none in Swedish).
    translations = translations_of(
        Page, [*courses, *itertools.chain.from_iterable(modules.values())]
    )
    courses = _titled(courses, translations)
    modules = {path: _titled(pages, translations) for path, pages in modules.items()}
    result = []
    for course in courses:
        enrolment = by_course.get(course.pk)
        statuses = [
            ModuleStatus(
                module=module,
                number=index,
                progress=progress.get((enrolment.pk, module.pk)) if enrolment else None,
                due_date=deadlines.get((enrolment.pk, module.pk)) if enrolment else None,
            )
            for index, module in enumerate(modules.get(course.path, []), start=1)
        ]
        _lock(course, statuses, missing.get(course.pk, []))
        result.append(
            CourseProgress(
                course=course,
                enrolment=enrolment,
                modules=statuses,
                missing_prerequisites=missing.get(course.pk, []),
            )
        )
    return result


def _lock(course: CoursePage, statuses: list[ModuleStatus], missing: list[str]) -> None:
    """Say why a module is locked: unfinished prerequisite courses, or the previous module."""
    if missing:
        reason = PREREQUISITES_MISSING % {"courses": ", ".join(missing)}
        for status in statuses:
            if not status.is_complete:
                status.locked_reason = reason
        return
    if course.sequential_modules:
        for previous, status in itertools.pairwise(statuses):
            if not previous.is_complete and not status.is_complete:
                status.locked_reason = PREVIOUS_MODULE_FIRST % {"title": previous.module.title}


def dashboard_for(user: User) -> list[CourseProgress]:
    """ "Min introduktion": the learner's courses with progress, due dates and the next module."""
    enrolments = list(
        _active_enrolments(user)
        .filter(course__live=True)
        .select_related("course")
        .order_by("status", "due_date", "enrolled_at")
    )
    return _course_progress(user, enrolments, [e.course for e in enrolments])


def course_progress_for(user: User, *, course: CoursePage) -> CourseProgress:
    """A course's modules with the user's progress (no enrolment = nothing started); for a
    translation, the original's progress under the translated titles."""
    return _course_progress_for_original(user, _original_course(course))


def _course_progress_for_original(user: User, course: CoursePage) -> CourseProgress:
    enrolments = []
    if user.is_authenticated:
        enrolments = list(_active_enrolments(user).filter(course=course))
    return _course_progress(user, enrolments, [course])[0]


def _active_enrolments(user: User) -> QuerySet:
    """The user's enrolments that are not withdrawn."""
    return Enrolment.objects.filter(user=user).exclude(status=Enrolment.Status.WITHDRAWN)


@dataclass
class ModulePosition:
    course: CourseProgress
    current: ModuleStatus
    previous: ModulePage | None
    next: ModulePage | None
    latest_score: int | None  # of the latest knowledge-check attempt


def module_position_for(user: User, *, module: ModulePage) -> ModulePosition | None:
    """Where the learner is in the module's course; None when the module is not in a course."""
    course = _course_of(module)
    if course is None:
        return None
    progress = _course_progress_for_original(user, course)
    index = next(
        (
            i
            for i, s in enumerate(progress.modules)
            if s.module.translation_key == module.translation_key
        ),
        None,
    )
    if index is None:
        return None
    current = progress.modules[index]
    return ModulePosition(
        course=progress,
        current=current,
        previous=progress.modules[index - 1].module if index > 0 else None,
        next=progress.modules[index + 1].module if index + 1 < len(progress.modules) else None,
        latest_score=current.progress.latest_score if current.progress is not None else None,
    )


# Per request: the opened-module hook and the page's template tags need the same position.
_positions_by_request: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def module_position_in_request(request, *, module: ModulePage) -> ModulePosition | None:
    """module_position_for the request's user, computed once per request and module (by
    translation key: a translation has its Swedish original's position)."""
    memo = _positions_by_request.setdefault(request, {})
    if module.translation_key not in memo:
        memo[module.translation_key] = module_position_for(request.user, module=module)
    return memo[module.translation_key]


def _course_of(module: ModulePage) -> CoursePage | None:
    """The original of the module's course. Routing has already fetched the course as the
    module's parent (content.models.route_to_child), and for a Swedish reader it is the
    original: no query then."""
    parent = module.routed_parent
    if isinstance(parent, CoursePage) and _reads_swedish():
        return parent
    course = CoursePage.objects.filter(path=module.path[: -module.steplen])
    return _original(CoursePage.objects, keys=course.values("translation_key"))


def get_module_for_learner(user: User, *, pk: int) -> ModulePage:
    """A live module of a course the user is enrolled in, in the user's language when it has
    been translated; 404 otherwise (missing or not theirs). The enrolment is the original's."""
    module = ModulePage.objects.live().filter(pk=pk).first()
    if module is None:
        raise Http404
    course = CoursePage.objects.filter(path=module.path[: -module.steplen])
    if (
        not Enrolment.objects.filter(
            user=user, course__translation_key__in=course.values("translation_key")
        )
        .exclude(status=Enrolment.Status.WITHDRAWN)
        .exists()
    ):
        raise Http404
    return localized(ModulePage, [module])[0]


def get_attempt_for(user: User, *, pk: int) -> QuizAttempt:
    """The user's own knowledge-check attempt; another person's attempt is a 404, not a leak."""
    attempt = (
        QuizAttempt.objects.filter(pk=pk, progress__enrolment__user=user)
        .select_related("progress__module", "progress__enrolment__course")
        .first()
    )
    if attempt is None:
        raise Http404
    # The attempt stays the original module's; the learner reads its questions and
    # explanations in their language (the cached relation only, module_id is unchanged).
    module = attempt.progress.module
    translated = translations_of(ModulePage, [module]).get(module.translation_key)
    if translated is not None:
        ModuleProgress.module.field.set_cached_value(attempt.progress, translated)
    return attempt


def get_course_for_enrolment(pk: int) -> CoursePage:
    """A published course to enrol in; for a translation, its original (enrolments are the
    original's, whatever the language)."""
    asked = CoursePage.objects.filter(pk=pk).values("translation_key")
    course = _original(CoursePage.objects.live().public(), keys=asked)
    if course is None:
        raise Http404
    return course


def certificates_for(user: User) -> list[Certificate]:
    """The user's own certificates, newest first."""
    return list(Certificate.objects.filter(user=user).select_related("user"))


def get_certificate_for(user: User, *, pk: int) -> Certificate:
    """The user's own certificate; anyone else's is a 404."""
    certificate = Certificate.objects.filter(pk=pk, user=user).select_related("user").first()
    if certificate is None:
        raise Http404
    return certificate


def verify_certificate(raw_code: str) -> Certificate | None:
    """The certificate with this verification code, for the public page; None when unknown.

    A code of the wrong shape is not looked up at all.
    """
    code = normalise_code(raw_code)
    if code is None:
        return None
    return Certificate.objects.filter(code=code).select_related("user").first()


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


def get_run_for_enrolment(pk: int) -> CourseRun:
    """A run of a published course; 404 otherwise. Whether the user may take a place in it is
    the service's to say, in words."""
    run = CourseRun.objects.filter(pk=pk, course__live=True).select_related("course").first()
    if run is None:
        raise Http404
    return run


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


def runs_led_by(user: User) -> list[CourseRun]:
    """Runs the user leads as course leader (kursledare); editors see every run. 404 for
    anyone else."""
    runs_ = _runs_with_counts().select_related("course").order_by("start_date", "pk")
    if people_permissions.can_edit_curriculum(user):
        return list(runs_)
    if not people_permissions.has_role(user, Role.COURSE_LEADER):
        raise Http404
    return list(runs_.filter(leaders=user))


def _run_for_marker(user: User, pk: int) -> CourseRun:
    run = CourseRun.objects.filter(pk=pk).select_related("course").first()
    if run is None or not permissions.may_mark_attendance(user, run=run):
        raise Http404
    return run


@dataclass
class RosterRow:
    place: RunEnrolment
    marks: list[bool | None]

    @property
    def attended(self) -> int:
        return sum(1 for mark in self.marks if mark)


@dataclass
class Roster:
    run: CourseRun
    sessions: list[RunSession]
    rows: list[RosterRow]
    waitlist: list[RunEnrolment]
    leaders: list[User]


def run_roster_for(user: User, *, pk: int) -> Roster:
    """Participants, waitlist and attendance per session of a run, for its course leaders
    and editors; 404 for anyone else (a fixed number of queries)."""
    run = _run_for_marker(user, pk)
    sessions = list(run.sessions.order_by("date", "start_time"))
    places = list(
        run.enrolments.filter(
            status__in=[RunEnrolment.Status.ENROLLED, RunEnrolment.Status.WAITLISTED]
        )
        .select_related("user")
        .order_by("waitlist_position", "user__full_name")
    )
    marks = {
        (a.participant_id, a.session_id): a.present
        for a in Attendance.objects.filter(session__run=run).only(
            "participant_id", "session_id", "present"
        )
    }
    rows = [
        RosterRow(place=p, marks=[marks.get((p.pk, s.pk)) for s in sessions])
        for p in places
        if p.status == RunEnrolment.Status.ENROLLED
    ]
    waitlist = [p for p in places if p.status == RunEnrolment.Status.WAITLISTED]
    return Roster(
        run=run, sessions=sessions, rows=rows, waitlist=waitlist, leaders=list(run.leaders.all())
    )


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
