"""Writes for learning: enrolment, module progress, knowledge checks and course completion."""

import datetime
import random

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from content.models import CoursePage, ModulePage, Question
from core.dates import DateStyle, add_months, format_date
from learning.certificates import new_code
from learning.models import AttemptQuestion, Certificate, Enrolment, ModuleProgress, QuizAttempt
from learning.selectors import (
    attempts_left,
    attendance_requirement_met,
    drawn_questions,
    knowledge_check_state,
    missing_prerequisites_for,
    module_position_for,
    pause_after_failure,
    requires_sign_off,
)
from people.models import Membership, User

# Drawing questions from the system's random source: the next draw cannot be predicted.
_random = random.SystemRandom()

COURSE_NOT_PUBLISHED = _("Kursen är inte publicerad.")
NOT_ENROLLED = _("Du är inte anmäld till den här kursen.")
NO_KNOWLEDGE_CHECK = _("Modulen har ingen kunskapskontroll.")
ANSWER_ALL = _("Svara på frågan.")
PASS_CHECK_FIRST = _("Klara kunskapskontrollen för att slutföra modulen.")
SELF_ENROL_NOT_ALLOWED = _("Till den här kursen anmäler du dig till en kursomgång.")
PREREQUISITES_FIRST = _("Gå först klart %(courses)s, sedan kan du anmäla dig.")
NO_ATTEMPTS_LEFT = _("Du har använt alla försök på den här kunskapskontrollen. Kontakta din chef.")
REREAD_AND_TALK = _(
    "Du har inte klarat kunskapskontrollen på %(count)s försök. Läs modulen igen och prata med "
    "din mentor om det som känns svårt innan du försöker igen."
)
NEXT_ATTEMPT_OPENS = _("Nästa försök öppnar %(time)s.")
ATTEMPT_NOT_FOUND = _("Försöket finns inte. Öppna kunskapskontrollen igen.")
CHECK_CHANGED = _(
    "Kunskapskontrollen har ändrats sedan du öppnade den. Öppna den igen och svara på frågorna."
)


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


def grade_answers(
    module: ModulePage, answers: dict[str, list[str]], *, drawn: list[Question] | None = None
) -> dict:
    """Grade answers against the questions shown (`drawn`, default: all the module's); answers
    to any other question id, drawn or forged, and unknown choice ids are ignored.

    A question counts as right only when exactly the right choices are selected.
    """
    questions = drawn if drawn is not None else module.questions()
    if not questions:
        raise ValidationError(NO_KNOWLEDGE_CHECK)
    results: dict[str, dict] = {}
    errors = {}
    for question in questions:
        known = {choice.id for choice in question.choices}
        given = answers.get(question.id, [])
        if not isinstance(given, list | tuple):
            given = [given]
        selected = sorted({a for a in given if isinstance(a, str) and a in known})
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


def _draw(module: ModulePage) -> list[dict]:
    """The questions of a new attempt: a random set of the module's pool (all of them when the
    editor set no number), in the editor's order, each with its choices shuffled."""
    pool = module.questions()
    size = module.questions_per_attempt or len(pool)
    chosen = sorted(_random.sample(range(len(pool)), min(size, len(pool))))
    drawn = []
    for index in chosen:
        order = [choice.id for choice in pool[index].choices]
        _random.shuffle(order)
        drawn.append({"id": pool[index].id, "choices": order})
    return drawn


def _locked_progress(learner: User, *, module: ModulePage) -> ModuleProgress:
    """The learner's progress row in the module, locked: every attempt of one learner in one
    module is opened and graded one at a time."""
    progress = open_module(learner, module=module)
    return ModuleProgress.objects.select_for_update().get(pk=progress.pk)


def _closed_reasons(progress: ModuleProgress, *, module: ModulePage, now) -> list[str]:
    """Why no new attempt may open now (empty: it may)."""
    if attempts_left(progress, module=module) == 0:
        return [str(NO_ATTEMPTS_LEFT)]
    state = knowledge_check_state(progress, module=module, now=now)
    if not state.is_paused:
        return []
    reasons = []
    if state.reread:
        reasons.append(str(REREAD_AND_TALK % {"count": state.failed_attempts}))
    opens = format_date(state.opens_at, DateStyle.DATE_TIME)
    reasons.append(str(NEXT_ATTEMPT_OPENS % {"time": opens}))
    return reasons


@transaction.atomic
def open_attempt(learner: User, *, module: ModulePage, now=None) -> QuizAttempt:
    """Open a knowledge-check attempt (försök): the learner's open attempt in the module, shown
    again as it was (a reload draws nothing new), or a new one with its questions drawn, unless
    a pause after a failed attempt is running or the attempts have run out.

    The progress row is locked, so two requests at once cannot open two attempts (the database
    also holds at most one open attempt per learner and module).
    """
    now = now or timezone.now()
    if not module.has_knowledge_check:
        raise ValidationError(NO_KNOWLEDGE_CHECK)
    progress = _locked_progress(learner, module=module)
    current = progress.attempts.filter(state=QuizAttempt.State.OPEN).first()
    if current is not None:
        if drawn_questions(current, module=module) is not None:
            return current
        # The editor changed the check since it was drawn: nothing was answered yet, draw anew.
        current.delete()
    reasons = _closed_reasons(progress, module=module, now=now)
    if reasons:
        raise ValidationError(reasons)
    drawn = _draw(module)
    attempt = QuizAttempt(
        progress=progress,
        state=QuizAttempt.State.OPEN,
        questions=drawn,
        opened_at=now,
        submitted_at=None,
    )
    attempt.full_clean(validate_constraints=False)
    attempt.save()
    AttemptQuestion.objects.bulk_create(
        AttemptQuestion(
            attempt=attempt, module_id=progress.module_id, question_id=item["id"], position=i
        )
        for i, item in enumerate(drawn)
    )
    return attempt


@transaction.atomic
def submit_knowledge_check(
    learner: User,
    *,
    module: ModulePage,
    answers: dict[str, list[str]],
    attempt: QuizAttempt | None = None,
    now=None,
) -> QuizAttempt:
    """Grade a knowledge check (kunskapskontroll) on the server, against exactly the questions
    the attempt showed, and store the result.

    Without `attempt`, the learner's open attempt is used (opened now if there is none). An
    attempt that is already submitted is returned unchanged: a double click or a replay grades
    nothing twice. The progress row and then the attempt row are locked, so two submissions
    at once are graded one after the other and the second finds the attempt submitted.

    The best score counts; a pass completes the module. A fail starts the pause before the
    next attempt. A submission sooner after opening the module than the editor's minimum
    time is flagged (too_fast) for the mentor; it still counts.
    """
    now = now or timezone.now()
    if attempt is None:
        attempt = open_attempt(learner, module=module, now=now)
    progress = _locked_progress(learner, module=module)
    attempt = (
        QuizAttempt.objects.select_for_update(of=("self",))
        .filter(pk=attempt.pk, progress=progress)
        .first()
    )
    if attempt is None:  # another person's attempt, or one of another module
        raise ValidationError(ATTEMPT_NOT_FOUND)
    if attempt.is_submitted:
        return attempt
    # Checked again here, under the lock: an editor may have lowered the maximum while the
    # attempt was open.
    if attempts_left(progress, module=module) == 0:
        raise ValidationError(NO_ATTEMPTS_LEFT)
    drawn = drawn_questions(attempt, module=module)
    if drawn is None:
        raise ValidationError(CHECK_CHANGED)
    graded = grade_answers(module, answers, drawn=drawn)
    seconds = max(int((now - progress.started_at).total_seconds()), 0)
    attempt.state = QuizAttempt.State.SUBMITTED
    attempt.answers = {qid: r["selected"] for qid, r in graded["results"].items()}
    attempt.results = graded["results"]
    attempt.score = graded["score"]
    attempt.passed = graded["passed"]
    attempt.submitted_at = now
    attempt.seconds_on_module = seconds
    attempt.too_fast = seconds < module.min_minutes_on_module * 60
    attempt.full_clean(validate_constraints=False)
    attempt.save()
    right = [qid for qid, r in graded["results"].items() if r["correct"]]
    attempt.drawn.filter(question_id__in=right).update(correct=True)
    attempt.drawn.exclude(question_id__in=right).update(correct=False)

    progress.latest_score = graded["score"]
    if progress.best_score is None or graded["score"] > progress.best_score:
        progress.best_score = graded["score"]
    if graded["passed"]:
        progress.next_attempt_at = None
    else:
        progress.failed_attempts += 1
        pause = pause_after_failure(module, failures=progress.failed_attempts)
        progress.next_attempt_at = now + pause
    progress.save(
        update_fields=["best_score", "latest_score", "failed_attempts", "next_attempt_at"]
    )
    if graded["passed"]:
        _complete(progress)
    return attempt


@transaction.atomic
def complete_module(learner: User, *, module: ModulePage) -> ModuleProgress:
    """Mark a module without a knowledge check as read; a module with one needs a pass."""
    progress = open_module(learner, module=module)
    passed = progress.attempts.filter(state=QuizAttempt.State.SUBMITTED, passed=True)
    if module.has_knowledge_check and not passed.exists():
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
    course, the learner has the course's minimum attendance share (närvarokrav) in their run.

    The introduction then waits for the manager's sign-off (godkännande) after the closing
    conversation (learning.signoffs); its certificate is issued with the sign-off, not before.
    """
    if enrolment.status == Enrolment.Status.COMPLETED:
        return True
    if not modules_done(enrolment):
        return False
    if not attendance_requirement_met(enrolment):
        return False
    if requires_sign_off(enrolment.course):
        if enrolment.modules_completed_at is None:
            enrolment.modules_completed_at = timezone.now()
            enrolment.save(update_fields=["modules_completed_at", "updated_at"])
        return False
    enrolment.status = Enrolment.Status.COMPLETED
    enrolment.completed_at = timezone.now()
    enrolment.save(update_fields=["status", "completed_at", "updated_at"])
    issue_certificate(enrolment)
    return True


def modules_done(enrolment: Enrolment) -> bool:
    """Every published module of the enrolment's course is complete."""
    module_ids = set(
        ModulePage.objects.live().child_of(enrolment.course).values_list("pk", flat=True)
    )
    done = set(
        enrolment.progress.filter(completed_at__isnull=False).values_list("module_id", flat=True)
    )
    return bool(module_ids) and module_ids <= done


def _holder_unit(enrolment: Enrolment, *, unit_ids=None) -> Membership | None:
    """The learner's unit membership the certificate names: in one of `unit_ids` (the signer's
    units) when given, otherwise the earliest."""
    memberships = Membership.objects.filter(user_id=enrolment.user_id, unit__isnull=False)
    if unit_ids is not None:
        memberships = memberships.filter(unit_id__in=unit_ids)
    return memberships.select_related("unit", "organisation").order_by("start_date", "pk").first()


@transaction.atomic
def issue_certificate(
    enrolment: Enrolment, *, signed_off_by: str = "", unit_ids=None
) -> Certificate:
    """Issue the certificate (intyg) for a completed course; one per enrolment, never twice.

    It names the municipality and unit, the modules covered with their estimated time, the
    completion date and who signed it off, as they are now."""
    existing = Certificate.objects.filter(enrolment=enrolment).first()
    if existing is not None:
        return existing
    course = enrolment.course
    issued_at = enrolment.completed_at or timezone.now()
    completed_on = timezone.localtime(issued_at).date()
    expires_on = None
    if course.certificate_validity_months:
        expires_on = add_months(completed_on, course.certificate_validity_months)
    membership = _holder_unit(enrolment, unit_ids=unit_ids)
    modules = [
        {"title": module.title, "minutes": module.estimated_minutes}
        for module in course.modules().only("title", "estimated_minutes")
    ]
    certificate = Certificate(
        enrolment=enrolment,
        user=enrolment.user,
        course=course,
        course_title=course.title,
        hours=course.estimated_hours,
        credits=course.credits,
        code=new_code(),
        issued_at=issued_at,
        expires_on=expires_on,
        organisation=membership.organisation if membership else None,
        organisation_name=membership.organisation.name if membership else "",
        unit_name=membership.unit.name if membership else "",
        modules=modules,
        completed_on=completed_on,
        signed_off_by_name=signed_off_by,
    )
    certificate.full_clean(validate_unique=False, validate_constraints=False)
    certificate.save()
    return certificate
