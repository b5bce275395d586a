"""Reads that learning pages need, already scoped to the requesting user.

Every function here runs a fixed number of queries, whatever the number of courses, modules
and learners: the page tree is read once and progress rows are fetched in one go.
"""

import datetime
import itertools
from dataclasses import dataclass, field

from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from content.models import CoursePage, ModulePage
from learning.certificates import normalise_code
from learning.models import Certificate, Enrolment, ModuleDeadline, ModuleProgress, QuizAttempt
from people.models import User

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


def _modules_by_course(courses: list[CoursePage]) -> dict[str, list[ModulePage]]:
    """Live modules of the given courses in tree order, in one query, keyed by course path."""
    if not courses:
        return {}
    depth = courses[0].depth + 1
    condition = Q()
    for course in courses:
        condition |= Q(path__startswith=course.path)
    modules = ModulePage.objects.live().filter(condition, depth=depth).order_by("path")
    result: dict[str, list[ModulePage]] = {course.path: [] for course in courses}
    for module in modules:
        result.setdefault(module.path[: -module.steplen], []).append(module)
    return result


def _missing_prerequisites(user: User, courses: list[CoursePage]) -> dict[int, list[str]]:
    """Per course, the titles of prerequisite courses the user has not completed (2 queries)."""
    through = CoursePage.prerequisites.through
    rows = list(
        through.objects.filter(from_coursepage__in=[c.pk for c in courses]).values_list(
            "from_coursepage_id", "to_coursepage_id", "to_coursepage__title"
        )
    )
    if not rows:
        return {}
    done = set()
    if user.is_authenticated:
        done = set(
            Enrolment.objects.filter(
                user=user,
                status=Enrolment.Status.COMPLETED,
                course_id__in={required for _course, required, _title in rows},
            ).values_list("course_id", flat=True)
        )
    missing: dict[int, list[str]] = {}
    for course_id, required_id, title in rows:
        if required_id not in done:
            missing.setdefault(course_id, []).append(title)
    return missing


def missing_prerequisites_for(user: User, *, course: CoursePage) -> list[str]:
    """Titles of the course's prerequisite courses that the user has not completed."""
    return _missing_prerequisites(user, [course]).get(course.pk, [])


def _course_progress(
    user: User, enrolments: list[Enrolment], courses: list[CoursePage]
) -> list[CourseProgress]:
    modules = _modules_by_course(courses)
    missing = _missing_prerequisites(user, courses)
    enrolment_ids = [e.pk for e in enrolments]
    progress = {
        (p.enrolment_id, p.module_id): p
        for p in ModuleProgress.objects.filter(enrolment__in=enrolment_ids)
    }
    deadlines = {
        (d.enrolment_id, d.module_id): d.due_date
        for d in ModuleDeadline.objects.filter(enrolment__in=enrolment_ids)
    }
    by_course = {e.course_id: e for e in enrolments}
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
        Enrolment.objects.filter(user=user, course__live=True)
        .exclude(status=Enrolment.Status.WITHDRAWN)
        .select_related("course")
        .order_by("status", "due_date", "enrolled_at")
    )
    return _course_progress(user, enrolments, [e.course for e in enrolments])


def course_progress_for(user: User, *, course: CoursePage) -> CourseProgress:
    """A course's modules with the user's progress (no enrolment = nothing started)."""
    enrolments = []
    if user.is_authenticated:
        enrolments = list(
            Enrolment.objects.filter(user=user, course=course).exclude(
                status=Enrolment.Status.WITHDRAWN
            )
        )
    return _course_progress(user, enrolments, [course])[0]


@dataclass
class ModulePosition:
    course: CourseProgress
    current: ModuleStatus
    previous: ModulePage | None
    next: ModulePage | None
    latest_attempt: QuizAttempt | None


def module_position_for(user: User, *, module: ModulePage) -> ModulePosition | None:
    """Where the learner is in the module's course; None when the module is not in a course."""
    course = CoursePage.objects.filter(path=module.path[: -module.steplen]).first()
    if course is None:
        return None
    progress = course_progress_for(user, course=course)
    index = next((i for i, s in enumerate(progress.modules) if s.module.pk == module.pk), None)
    if index is None:
        return None
    current = progress.modules[index]
    latest = None
    if current.progress is not None:
        latest = current.progress.attempts.order_by("-submitted_at").first()
    return ModulePosition(
        course=progress,
        current=current,
        previous=progress.modules[index - 1].module if index > 0 else None,
        next=progress.modules[index + 1].module if index + 1 < len(progress.modules) else None,
        latest_attempt=latest,
    )


def get_module_for_learner(user: User, *, pk: int) -> ModulePage:
    """A live module of a course the user is enrolled in; 404 otherwise (missing or not theirs)."""
    module = ModulePage.objects.live().filter(pk=pk).first()
    if (
        module is None
        or not Enrolment.objects.filter(user=user, course__path=module.path[: -module.steplen])
        .exclude(status=Enrolment.Status.WITHDRAWN)
        .exists()
    ):
        raise Http404
    return module


def get_attempt_for(user: User, *, pk: int) -> QuizAttempt:
    """The user's own knowledge-check attempt; another person's attempt is a 404, not a leak."""
    attempt = (
        QuizAttempt.objects.filter(pk=pk, progress__enrolment__user=user)
        .select_related("progress__module", "progress__enrolment__course")
        .first()
    )
    if attempt is None:
        raise Http404
    return attempt


def get_course_for_enrolment(pk: int) -> CoursePage:
    course = CoursePage.objects.live().public().filter(pk=pk).first()
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
