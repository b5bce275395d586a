"""Knowledge checks (kunskapskontroller): opening an attempt with its questions drawn, and
grading it on the server."""

import random

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from content.models import ModulePage, Question
from core.dates import DateStyle, format_date
from learning.models import AttemptQuestion, ModuleProgress, QuizAttempt
from learning.selectors import (
    attempts_left,
    drawn_questions,
    knowledge_check_state,
    pause_after_failure,
)
from learning.services.progress import _mark_module_completed, _open_module
from people.models import User

# Drawing questions from the system's random source: the next draw cannot be predicted.
_random = random.SystemRandom()

NO_KNOWLEDGE_CHECK = _("Modulen har ingen kunskapskontroll.")
ANSWER_ALL = _("Svara på frågan.")
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


def _draw_questions(module: ModulePage) -> list[dict]:
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


def _locked_progress(learner: User, *, module: ModulePage) -> tuple[ModuleProgress, bool]:
    """The learner's progress row in the module, locked: every attempt of one learner in one
    module is opened and graded one at a time; and whether this transaction inserted it.

    A row inserted here is not read again to lock it: no other transaction sees it before this
    one commits (one inserting the same row waits on the unique constraint), and it has no
    attempts yet. A learner's first opening of a check was two queries more."""
    progress, created = _open_module(learner, module=module)
    if created:
        return progress, True
    return ModuleProgress.objects.select_for_update().get(pk=progress.pk), False


def _why_no_new_attempt(progress: ModuleProgress, *, module: ModulePage, now) -> list[str]:
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
    return _open_attempt(learner, module=module, now=now or timezone.now())[1]


def _open_attempt(
    learner: User, *, module: ModulePage, now, lock: bool = False
) -> tuple[ModuleProgress, QuizAttempt]:
    """open_attempt in the caller's transaction, with the progress row it locked. With `lock`,
    an open attempt found is locked too (a submission's order: the progress row, then the
    attempt); a new one is the transaction's own until it commits."""
    if not module.has_knowledge_check:
        raise ValidationError(NO_KNOWLEDGE_CHECK)
    progress, new = _locked_progress(learner, module=module)
    current = None
    if not new:
        found = progress.attempts.filter(state=QuizAttempt.State.OPEN)
        current = (found.select_for_update() if lock else found).first()
    if current is not None:
        if drawn_questions(current, module=module) is not None:
            return progress, current
        # The editor changed the check since it was drawn: nothing was answered yet, draw anew.
        current.delete()
    reasons = _why_no_new_attempt(progress, module=module, now=now)
    if reasons:
        raise ValidationError(reasons)
    drawn = _draw_questions(module)
    attempt = QuizAttempt(
        progress=progress,
        state=QuizAttempt.State.OPEN,
        questions=drawn,
        opened_at=now,
        submitted_at=None,
    )
    # The progress row is in hand, locked: its foreign key needs no query to validate (the
    # database's constraint guards it all the same).
    attempt.full_clean(exclude=["progress"], validate_constraints=False)
    attempt.save()
    AttemptQuestion.objects.bulk_create(
        AttemptQuestion(
            attempt=attempt, module_id=progress.module_id, question_id=item["id"], position=i
        )
        for i, item in enumerate(drawn)
    )
    return progress, attempt


_GRADED_FIELDS = (
    "state",
    "answers",
    "results",
    "score",
    "passed",
    "submitted_at",
    "seconds_on_module",
    "too_fast",
)


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
        # Opened (or found) under the same lock of the progress row, not locked a second time.
        progress, attempt = _open_attempt(learner, module=module, now=now, lock=True)
    else:
        progress, _new = _locked_progress(learner, module=module)
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
    attempt.full_clean(exclude=["progress"], validate_constraints=False)  # as open_attempt's
    # Only what grading changed: the drawn questions (JSON) are not serialised and sent again.
    attempt.save(update_fields=_GRADED_FIELDS)
    right = [qid for qid, r in graded["results"].items() if r["correct"]]
    # One UPDATE for the right and the wrong ones (an empty `right` compiles to plain false).
    attempt.drawn.update(
        correct=Case(When(question_id__in=right, then=Value(True)), default=Value(False))
    )

    progress.latest_score = graded["score"]
    if progress.best_score is None or graded["score"] > progress.best_score:
        progress.best_score = graded["score"]
    if graded["passed"]:
        progress.next_attempt_at = None
    else:
        progress.failed_attempts += 1
        pause = pause_after_failure(module, failures=progress.failed_attempts)
        progress.next_attempt_at = now + pause
    scored = ("best_score", "latest_score", "failed_attempts", "next_attempt_at")
    if graded["passed"]:
        # The scores and the completion in one UPDATE.
        _mark_module_completed(progress, changed=scored)
    else:
        progress.save(update_fields=scored)
    return attempt
