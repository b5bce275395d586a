"""Learner progress: courses, modules (and why one is locked), a learner's position in a
course, the module, attempt and course a learner may open."""

import copy
import datetime
import itertools
import weakref
from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.db import router
from django.db.models import FilteredRelation, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from content import outline
from content.models import CoursePage, ModulePage, localized, originals_first, translations_of
from core.aggregates import JSONArrayAgg
from core.compiled import CompiledQuery
from learning.models import (
    Enrolment,
    ModuleProgress,
    QuizAttempt,
)
from learning.selectors.figures import module_dates_for
from people.models import User

PREREQUISITES_MISSING = _("Låst: gå först klart %(courses)s.")
PREVIOUS_MODULE_FIRST = _("Låst: bli klar med modulen ”%(title)s” först.")
NOT_READING = 0  # no page has this id: the course page reads no module's whole progress row


@dataclass
class ModuleStatus:
    """A module with one person's progress. `progress` is the progress row where it was read:
    every module's on the dashboard, only the module being read on the module page, none on
    the course page (_enrolment_with_progress); `started` and `done` say the same of the
    modules whose row was not read, so ask `is_started` and `is_complete`."""

    module: ModulePage
    number: int
    progress: ModuleProgress | None = None
    due_date: datetime.date | None = None
    locked_reason: str | None = None

    @property
    def is_complete(self) -> bool:
        if self.progress is not None:
            return self.progress.completed_at is not None
        return self.done

    @property
    def is_started(self) -> bool:
        return self.progress is not None or self.started

    # As learning.selectors.figures defines them, read with the due date.
    overdue: bool = False
    due_soon: bool = False
    started: bool = False
    done: bool = False

    @property
    def is_overdue(self) -> bool:
        return self.overdue


@dataclass
class CourseProgress:
    """A course's modules with one person's progress. The counts and the next module are read
    once each: the dashboard's template asks for them a dozen times a course (140 modules a
    new hire), and the statuses are final when the selector hands the object out."""

    course: CoursePage
    enrolment: Enrolment | None
    modules: list[ModuleStatus] = field(default_factory=list)
    missing_prerequisites: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.modules)

    @cached_property
    def completed(self) -> int:
        return sum(1 for status in self.modules if status.is_complete)

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.total) if self.total else 0

    @property
    def next_module(self) -> ModulePage | None:
        status = self.next_status
        return status.module if status is not None else None

    @cached_property
    def next_status(self) -> ModuleStatus | None:
        return next((s for s in self.modules if not s.is_complete), None)

    @cached_property
    def overdue_modules(self) -> int:
        return sum(1 for status in self.modules if status.is_overdue)

    @property
    def is_overdue(self) -> bool:
        return self.enrolment is not None and self.enrolment.is_overdue(timezone.localdate())

    @property
    def is_complete(self) -> bool:
        return self.enrolment is not None and (self.enrolment.status == Enrolment.Status.COMPLETED)

    @property
    def awaits_sign_off(self) -> bool:
        """Every module done; the manager signs the introduction off after the closing
        conversation (learning.signoffs)."""
        return (
            self.enrolment is not None
            and self.enrolment.status == Enrolment.Status.ACTIVE
            and self.enrolment.modules_completed_at is not None
        )


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


NOT_DATED = (None, False, False)  # (due date, overdue, due soon) of a module without a deadline


def _course_progress(
    user: User,
    enrolments: list[Enrolment],
    courses: list[CoursePage],
    progress: "_Progress | None" = None,
) -> list[CourseProgress]:
    modules = outline.live_modules_by_course(courses)
    missing = _missing_prerequisites(user, courses)
    if progress is None:  # else read with the enrolment (_enrolment_with_progress)
        enrolment_ids = [e.pk for e in enrolments]
        progress = _Progress(
            rows={
                (p.enrolment_id, p.module_id): p
                for p in ModuleProgress.objects.filter(enrolment__in=enrolment_ids)
            }
        )
    rows, started, done = progress.rows, progress.started, progress.done
    # Module deadlines come only from an onboarding plan, which dates the course as well
    # (learning/services/onboarding.py): an enrolment without a due date has no dated module
    # to read.
    dated = [e.pk for e in enrolments if e.due_date is not None]
    dates = module_dates_for(enrolments=dated, on=timezone.localdate()) if dated else {}
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
        listed = modules.get(course.path, [])
        if enrolment is None or not (rows or started or dates):
            # Nothing started and nothing dated (not enrolled, or a new enrolment): a module
            # page reads 65 modules, and the lookups per module were a third of this loop.
            statuses = [ModuleStatus(module, number) for number, module in enumerate(listed, 1)]
        else:
            statuses = []
            enrolment_id = enrolment.pk
            for number, module in enumerate(listed, start=1):
                key = (enrolment_id, module.id)  # .id: the pk without Model.pk's lookup
                due_date, overdue, due_soon = dates.get(key, NOT_DATED) if dates else NOT_DATED
                statuses.append(
                    ModuleStatus(
                        module,
                        number,
                        rows.get(key),
                        due_date,
                        overdue=overdue,
                        due_soon=due_soon,
                        started=module.id in started,
                        done=module.id in done,
                    )
                )
        _explain_locked_modules(course, statuses, missing.get(course.pk, []))
        result.append(
            CourseProgress(
                course=course,
                enrolment=enrolment,
                modules=statuses,
                missing_prerequisites=missing.get(course.pk, []),
            )
        )
    return result


def _explain_locked_modules(
    course: CoursePage, statuses: list[ModuleStatus], missing: list[str]
) -> None:
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


# What the dashboard reads of a course: its title and link, where it sits in the tree (its
# outline), its translations and whether its modules are taken in order. Not its summary,
# learning outcomes (a StreamField) or course-run settings.
DASHBOARD_COURSE_FIELDS = (*outline.LISTED_PAGE_FIELDS, "sequential_modules")


def _courses_by_id(ids: list[int]) -> dict[int, CoursePage]:
    """The courses with these ids (DASHBOARD_COURSE_FIELDS only), the same for every learner:
    kept with the course outlines (content.outline), so they are read again whenever a page is
    saved, published, unpublished, moved or deleted. Joining each learner's enrolments to
    their courses cost the dashboard more than reading the enrolments (issue 23, session 31).
    A course that no longer exists is left out."""
    courses = outline.per_generation(
        {pk: f"learning:dashboard:course:{pk}" for pk in ids}, _read_courses
    )
    return {pk: course for pk, course in courses.items() if course is not None}


def _read_courses(ids: list[int]) -> dict[int, CoursePage | None]:
    found = CoursePage.objects.filter(pk__in=ids).only(*DASHBOARD_COURSE_FIELDS).in_bulk()
    for course in found.values():
        course.list_url = course.get_url()  # as the outline's modules: the same for everyone
    return {pk: found.get(pk) for pk in ids}


def dashboard_for(user: User) -> list[CourseProgress]:
    """ "Min introduktion": the learner's courses with progress, due dates and the next module.
    Personal state (enrolments, progress, due dates) is queried; the courses come from the
    outline's cache (`_courses_by_id`), where only live ones count, as in the query before."""
    enrolments = list(_active_enrolments(user).order_by("status", "due_date", "enrolled_at"))
    courses = _courses_by_id(sorted({e.course_id for e in enrolments}))
    live = []
    for enrolment in enrolments:
        course = courses.get(enrolment.course_id)
        if course is not None and course.live:
            # The shared course is the enrolment's (no query for `enrolment.course`); callers
            # must not change it (learning copies a page before it retitles it).
            Enrolment.course.field.set_cached_value(enrolment, course)
            live.append(enrolment)
    return _course_progress(user, live, [e.course for e in live])


def course_progress_for(user: User, *, course: CoursePage) -> CourseProgress:
    """A course's modules with the user's progress (no enrolment = nothing started); for a
    translation, the original's progress under the translated titles."""
    return _course_progress_for_original(user, _original_course(course))


def _course_progress_for_original(
    user: User, course: CoursePage, *, reading: int = NOT_READING
) -> CourseProgress:
    enrolments, progress = [], _Progress()
    if user.is_authenticated:
        enrolments, progress = _enrolment_with_progress(user, course, reading=reading)
    return _course_progress(user, enrolments, [course], progress)[0]


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
    # The module's original, from the course outline: its progress row is read whole.
    original = _original_in(outline.live_modules_by_course([course])[course.path], module)
    if original is None:
        return None
    progress = _course_progress_for_original(user, course, reading=original.id)
    index = next((i for i, s in enumerate(progress.modules) if s.module.id == original.id), None)
    if index is None:  # the outline changed between the two readings
        return None
    current = progress.modules[index]
    return ModulePosition(
        course=progress,
        current=current,
        previous=progress.modules[index - 1].module if index > 0 else None,
        next=progress.modules[index + 1].module if index + 1 < len(progress.modules) else None,
        latest_score=current.progress.latest_score if current.progress is not None else None,
    )


def _original_in(modules: list[ModulePage], module: ModulePage) -> ModulePage | None:
    """The module's original among the course's modules: the module itself for a Swedish
    reader, found by id, as Python compares ints; comparing the translation keys
    (uuid.UUID.__eq__, Python code) of 65 modules took ~25 µs a view."""
    found = next((m for m in modules if m.id == module.id), None)
    if found is None:
        key = module.translation_key
        found = next((m for m in modules if m.translation_key == key), None)
    return found


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


# The module page and the course page read one person's enrolment in one course and its
# progress on every view. As two ORM queries that was two compilations and two round trips,
# more than the rest of the learner's position (benchmarks/README.md, "Module page and Redis,
# session 31"): one query, compiled once per process (core.compiled). It was a LEFT JOIN with
# a row per module started, the enrolment's ten columns and the progress's nine on each: the
# timestamps alone (seven a row, each through Django's time-zone loader in Python) cost ~330
# µs of CPU for a learner 22 modules in, against ~60 µs for one row (issue 23, session 33).
# Now one row: the enrolment, the whole progress row of the module being read (the one the page
# shows and may change), and the ids of the modules started and done, as JSON.
# Personal, so read on every view (STYLE.md), never cached.
_ENROLMENT_FIELDS = [f.attname for f in Enrolment._meta.concrete_fields]
_PROGRESS_FIELDS = [f.attname for f in ModuleProgress._meta.concrete_fields]


def _position_query(user_id: int, course_id: int, module_id: int) -> QuerySet:
    progress = ModuleProgress.objects.filter(enrolment=OuterRef("pk")).order_by()
    ids = progress.values("enrolment").annotate(ids=JSONArrayAgg("module_id")).values("ids")
    done = progress.filter(completed_at__isnull=False)
    done_ids = done.values("enrolment").annotate(ids=JSONArrayAgg("module_id")).values("ids")
    return (
        Enrolment.objects.filter(user_id=user_id, course_id=course_id)
        .exclude(status=Enrolment.Status.WITHDRAWN)
        .annotate(
            reading=FilteredRelation("progress", condition=Q(progress__module_id=module_id)),
            started_ids=Subquery(ids),
            done_ids=Subquery(done_ids),
        )
        .order_by()
        .values_list(
            *_ENROLMENT_FIELDS,
            *(f"reading__{name}" for name in _PROGRESS_FIELDS),
            "started_ids",
            "done_ids",
        )
    )


_POSITION = CompiledQuery(
    "learning: the learner's enrolment and progress",
    _position_query,
    probes={
        "user_id": (-9_100_001, -9_100_003),
        "course_id": (-9_100_007, -9_100_011),
        "module_id": (-9_100_013, -9_100_017),
    },
)


@dataclass
class _Progress:
    """A learner's progress in one course: the row of the module being read (by (enrolment id,
    module id), as _course_progress takes rows) and the ids of the modules started and done."""

    rows: dict = field(default_factory=dict)
    started: frozenset = frozenset()
    done: frozenset = frozenset()


def _enrolment_with_progress(
    user: User, course: CoursePage, *, reading: int = NOT_READING
) -> tuple[list[Enrolment], _Progress]:
    """The user's enrolment in the course unless withdrawn (at most one: unique per user and
    course) and its progress, the whole row of module `reading` only, in one query."""
    rows = _POSITION.rows(user_id=user.pk, course_id=course.pk, module_id=reading)
    if not rows:
        return [], _Progress()
    db = router.db_for_read(Enrolment)
    split, end = len(_ENROLMENT_FIELDS), len(_ENROLMENT_FIELDS) + len(_PROGRESS_FIELDS)
    row = rows[0]
    enrolment = Enrolment.from_db(db, _ENROLMENT_FIELDS, row[:split])
    progress = _Progress(started=frozenset(row[end] or ()), done=frozenset(row[end + 1] or ()))
    if row[split] is not None:  # the module being read has been started
        item = ModuleProgress.from_db(db, _PROGRESS_FIELDS, row[split:end])
        ModuleProgress.enrolment.field.set_cached_value(item, enrolment)
        progress.rows[(enrolment.pk, item.module_id)] = item
    return [enrolment], progress
