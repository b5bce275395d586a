"""Writes for learning: enrolment, module progress, knowledge checks and course completion."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from content.models import CoursePage, ModulePage
from core.dates import add_months
from learning.certificates import new_code
from learning.models import Certificate, Enrolment, ModuleProgress, QuizAttempt
from learning.selectors import (
    attendance_requirement_met,
    missing_prerequisites_for,
    module_position_for,
)
from people.models import User

COURSE_NOT_PUBLISHED = _("Kursen är inte publicerad.")
NOT_ENROLLED = _("Du är inte anmäld till den här kursen.")
NO_KNOWLEDGE_CHECK = _("Modulen har ingen kunskapskontroll.")
ANSWER_ALL = _("Svara på frågan.")
PASS_CHECK_FIRST = _("Klara kunskapskontrollen för att slutföra modulen.")
SELF_ENROL_NOT_ALLOWED = _("Till den här kursen anmäler du dig till en kursomgång.")
PREREQUISITES_FIRST = _("Gå först klart %(courses)s, sedan kan du anmäla dig.")
NO_ATTEMPTS_LEFT = _("Du har använt alla försök på den här kunskapskontrollen. Kontakta din chef.")


@transaction.atomic
def enrol_in_course(
    actor: User | None,
    *,
    learner: User,
    course: CoursePage,
    due_date: datetime.date | None = None,
) -> Enrolment:
    """Enrol a learner in a course (kursdeltagande); enrolling twice returns the first enrolment."""
    if not course.live:
        raise ValidationError(COURSE_NOT_PUBLISHED)
    enrolment = Enrolment.objects.filter(user=learner, course=course).first()
    if enrolment is not None:
        return enrolment
    enrolment = Enrolment(user=learner, course=course, due_date=due_date, enrolled_by=actor)
    enrolment.full_clean(validate_constraints=False)
    try:
        # A double click can race us to the unique (user, course) row; the database decides.
        with transaction.atomic():
            enrolment.save()
    except IntegrityError:
        enrolment = Enrolment.objects.get(user=learner, course=course)
    return enrolment


def self_enrol(learner: User, *, course: CoursePage) -> Enrolment:
    """A learner enrols themself in a self-paced course; cohort courses go through course runs."""
    if not course.is_self_paced:
        raise ValidationError(SELF_ENROL_NOT_ALLOWED)
    missing = missing_prerequisites_for(learner, course=course)
    if missing:
        raise ValidationError(PREREQUISITES_FIRST % {"courses": ", ".join(missing)})
    return enrol_in_course(learner, learner=learner, course=course)


@transaction.atomic
def open_module(learner: User, *, module: ModulePage) -> ModuleProgress:
    """Record that a learner has started a module; opening it again changes nothing.

    A locked module (prerequisites or the previous module unfinished) cannot be started.
    """
    position = module_position_for(learner, module=module)
    if position is None or position.course.enrolment is None:
        raise ValidationError(NOT_ENROLLED)
    return start_module(position)


def start_module(position) -> ModuleProgress:
    """Record that the learner in `position` (from selectors.module_position_for) has started
    the module, unless it is locked; the position is updated so a page can show it as is."""
    if position.current.locked_reason:
        raise ValidationError(position.current.locked_reason)
    if position.current.progress is None:
        position.current.progress, _created = ModuleProgress.objects.get_or_create(
            enrolment=position.course.enrolment, module=position.current.module
        )
    return position.current.progress


def grade_answers(module: ModulePage, answers: dict[str, list[str]]) -> dict:
    """Grade answers against the module's questions; unknown question or choice ids are ignored.

    A question counts as right only when exactly the right choices are selected.
    """
    questions = module.questions()
    if not questions:
        raise ValidationError(NO_KNOWLEDGE_CHECK)
    results: dict[str, dict] = {}
    errors = {}
    for question in questions:
        known = {choice.id for choice in question.choices}
        selected = sorted({a for a in answers.get(question.id, []) if a in known})
        if not selected:
            errors[question.id] = ANSWER_ALL
        results[question.id] = {
            "selected": selected,
            "correct_ids": sorted(question.correct_ids),
            "correct": frozenset(selected) == question.correct_ids,
        }
    if errors:
        raise ValidationError(errors)
    right = sum(1 for result in results.values() if result["correct"])
    score = round(100 * right / len(questions))
    return {"results": results, "score": score, "passed": score >= module.pass_mark}


@transaction.atomic
def submit_knowledge_check(
    learner: User, *, module: ModulePage, answers: dict[str, list[str]]
) -> QuizAttempt:
    """Grade a knowledge check (kunskapskontroll) on the server and store the attempt.

    The best score counts; a pass completes the module. The progress row is locked so two
    submissions at once cannot both lower or overwrite the best score.
    """
    progress = open_module(learner, module=module)
    progress = ModuleProgress.objects.select_for_update().get(pk=progress.pk)
    if attempts_left(progress, module=module) == 0:
        raise ValidationError(NO_ATTEMPTS_LEFT)
    graded = grade_answers(module, answers)
    attempt = QuizAttempt.objects.create(
        progress=progress,
        answers={qid: r["selected"] for qid, r in graded["results"].items()},
        results=graded["results"],
        score=graded["score"],
        passed=graded["passed"],
    )
    progress.latest_score = graded["score"]
    if progress.best_score is None or graded["score"] > progress.best_score:
        progress.best_score = graded["score"]
    progress.save(update_fields=["best_score", "latest_score"])
    if graded["passed"]:
        _complete(progress)
    return attempt


def attempts_left(progress: ModuleProgress | None, *, module: ModulePage) -> int | None:
    """Attempts the learner may still make; None when the editor set no maximum."""
    if module.max_attempts is None:
        return None
    used = progress.attempts.count() if progress is not None else 0
    return max(module.max_attempts - used, 0)


@transaction.atomic
def complete_module(learner: User, *, module: ModulePage) -> ModuleProgress:
    """Mark a module without a knowledge check as read; a module with one needs a pass."""
    progress = open_module(learner, module=module)
    if module.has_knowledge_check and not progress.attempts.filter(passed=True).exists():
        raise ValidationError(PASS_CHECK_FIRST)
    return _complete(progress)


def _complete(progress: ModuleProgress) -> ModuleProgress:
    if progress.completed_at is None:
        progress.completed_at = timezone.now()
        progress.save(update_fields=["completed_at"])
    complete_course_if_done(progress.enrolment)
    return progress


@transaction.atomic
def complete_course_if_done(enrolment: Enrolment) -> bool:
    """A course is complete when every published module in it is complete and, for a cohort
    course, the learner has the course's minimum attendance share (närvarokrav) in their run."""
    if enrolment.status == Enrolment.Status.COMPLETED:
        return True
    module_ids = set(
        ModulePage.objects.live().child_of(enrolment.course).values_list("pk", flat=True)
    )
    done = set(
        enrolment.progress.filter(completed_at__isnull=False).values_list("module_id", flat=True)
    )
    if not module_ids or not module_ids <= done:
        return False
    if not attendance_requirement_met(enrolment):
        return False
    enrolment.status = Enrolment.Status.COMPLETED
    enrolment.completed_at = timezone.now()
    enrolment.save(update_fields=["status", "completed_at", "updated_at"])
    issue_certificate(enrolment)
    return True


@transaction.atomic
def issue_certificate(enrolment: Enrolment) -> Certificate:
    """Issue the certificate (intyg) for a completed course; one per enrolment, never twice."""
    existing = Certificate.objects.filter(enrolment=enrolment).first()
    if existing is not None:
        return existing
    course = enrolment.course
    issued_at = enrolment.completed_at or timezone.now()
    expires_on = None
    if course.certificate_validity_months:
        expires_on = add_months(
            timezone.localtime(issued_at).date(), course.certificate_validity_months
        )
    return Certificate.objects.create(
        enrolment=enrolment,
        user=enrolment.user,
        course=course,
        course_title=course.title,
        hours=course.estimated_hours,
        credits=course.credits,
        code=new_code(),
        issued_at=issued_at,
        expires_on=expires_on,
    )
