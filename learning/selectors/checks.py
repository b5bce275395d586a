"""Knowledge checks (kunskapskontroller): when the next attempt opens, what an attempt showed,
what its review may show, and the editors' item analysis (uppgiftsanalys)."""

import dataclasses
import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Exists, F, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from content.models import Choice, CoursePage, ModulePage, Question
from learning.models import AttemptQuestion, ModuleProgress, QuizAttempt

# After every N-th failure (the module's failures_before_reread) the pause is a day, not
# minutes: long enough to re-read the module and to talk to the mentor, short enough that
# nobody waits for an administrator to unlock anything.
REREAD_PAUSE = datetime.timedelta(hours=24)


@dataclass(frozen=True)
class CheckState:
    """Whether a new attempt may open now, read from the progress row alone (no query)."""

    opens_at: datetime.datetime | None  # when the pause after a failed attempt ends
    reread: bool  # failed often enough to be asked to re-read and talk to the mentor
    failed_attempts: int

    @property
    def is_paused(self) -> bool:
        return self.opens_at is not None


def knowledge_check_state(
    progress: ModuleProgress | None, *, module: ModulePage, now: datetime.datetime | None = None
) -> CheckState:
    now = now or timezone.now()
    if progress is None:
        return CheckState(opens_at=None, reread=False, failed_attempts=0)
    opens_at = progress.next_attempt_at
    if opens_at is not None and opens_at <= now:
        opens_at = None
    reread = progress.completed_at is None and (
        progress.failed_attempts >= module.failures_before_reread
    )
    return CheckState(opens_at=opens_at, reread=reread, failed_attempts=progress.failed_attempts)


def pause_after_failure(module: ModulePage, *, failures: int) -> datetime.timedelta:
    """The wait before the next attempt after the `failures`-th failed one."""
    if failures % max(module.failures_before_reread, 1) == 0:
        return REREAD_PAUSE
    return datetime.timedelta(minutes=module.retry_pause_minutes)


def attempts_left(progress: ModuleProgress | None, *, module: ModulePage) -> int | None:
    """Attempts the learner may still submit; None when the editor set no maximum."""
    if module.max_attempts is None:
        return None
    used = progress.attempts.filter(state=QuizAttempt.State.SUBMITTED).count() if progress else 0
    return max(module.max_attempts - used, 0)


def drawn_questions(attempt: QuizAttempt, *, module: ModulePage) -> list[Question] | None:
    """The attempt's questions as shown: its drawn set, in its order, each with its choices in
    the order shown. None when the module's check has changed since (a drawn question or one
    of its choices is gone, or a choice was added): the attempt can no longer be shown as it
    was."""
    by_id = {q.id: q for q in module.questions()}
    shown = []
    for item in attempt.questions:
        question = by_id.get(item.get("id"))
        if question is None:
            return None
        order = item.get("choices") or [c.id for c in question.choices]
        choices = {c.id: c for c in question.choices}
        if set(order) != set(choices):
            return None
        shown.append(dataclasses.replace(question, choices=tuple(choices[c] for c in order)))
    return shown


@dataclass(frozen=True)
class ReviewItem:
    question: Question
    correct: bool
    selected: list[Choice]
    # Only when the answers are revealed: every choice with whether it is right.
    choices: list[tuple[Choice, bool, bool]] | None  # (choice, selected, right)


@dataclass(frozen=True)
class AttemptReview:
    items: list[ReviewItem]
    revealed: bool  # the right answers are shown (passed, or out of attempts if the editor chose)
    attempts_left: int | None
    check: CheckState

    @property
    def out_of_attempts(self) -> bool:
        return self.attempts_left == 0


def answers_revealed(progress: ModuleProgress, *, module: ModulePage, left: int | None) -> bool:
    """The right options are shown once the learner has passed the check, or when their
    attempts have run out and the editor chose to show them then; never after a fail."""
    if progress.attempts.filter(state=QuizAttempt.State.SUBMITTED, passed=True).exists():
        return True
    return module.show_answers_when_out_of_attempts and left == 0


def attempt_review(attempt: QuizAttempt, *, module: ModulePage) -> AttemptReview:
    """What the result page of a submitted attempt shows: per question shown, right or wrong,
    the learner's own choices and the explanation; the right options only when revealed."""
    progress = attempt.progress
    left = attempts_left(progress, module=module)
    revealed = answers_revealed(progress, module=module, left=left)
    by_id = {q.id: q for q in module.questions()}
    shown_ids = attempt.question_ids or list(attempt.results)
    items = []
    for qid in shown_ids:
        question = by_id.get(qid)
        if question is None:  # removed from the module since
            continue
        result = attempt.results.get(qid, {})
        selected_ids = set(result.get("selected", []))
        items.append(
            ReviewItem(
                question=question,
                correct=bool(result.get("correct")),
                selected=[c for c in question.choices if c.id in selected_ids],
                choices=[(c, c.id in selected_ids, c.correct) for c in question.choices]
                if revealed
                else None,
            )
        )
    check = knowledge_check_state(progress, module=module)
    return AttemptReview(items=items, revealed=revealed, attempts_left=left, check=check)


# --- Mentors ----------------------------------------------------------------------------------


def too_fast_checks_of(user_ref) -> Coalesce:
    """An annotation: how many of a person's (`user_ref`, e.g. OuterRef("mentee")) submitted
    knowledge checks came in faster than the module's minimum time."""
    flagged = (
        QuizAttempt.objects.filter(progress__enrolment__user=user_ref, too_fast=True)
        .order_by()
        .values("progress__enrolment__user")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(flagged), 0)


def asked_to_reread(user_ref) -> Exists:
    """An annotation: the person has failed an unfinished module's check so often that they are
    asked to re-read it and talk to their mentor."""
    return Exists(
        ModuleProgress.objects.filter(
            enrolment__user=user_ref,
            completed_at__isnull=True,
            failed_attempts__gte=F("module__failures_before_reread"),
        )
    )


# --- Editors: item analysis -----------------------------------------------------------------


@dataclass(frozen=True)
class ItemRow:
    number: int
    question_id: str
    text: str  # empty when the question has been removed from the module
    drawn: int
    answered: int
    wrong: int

    @property
    def wrong_percent(self) -> int | None:
        return round(100 * self.wrong / self.answered) if self.answered else None


@dataclass(frozen=True)
class ModuleCheckSummary:
    module: ModulePage
    course_title: str
    attempts: int


def modules_with_checks() -> list[ModuleCheckSummary]:
    """Every Swedish original module with its number of submitted attempts, in tree order (two
    queries: the modules with their counts, and the courses' titles)."""
    modules = list(
        ModulePage.objects.filter(locale__language_code=settings.LANGUAGE_CODE)
        .annotate(
            attempts=Count(
                "progress__attempts",
                filter=Q(progress__attempts__state=QuizAttempt.State.SUBMITTED),
            )
        )
        .order_by("path")
    )
    modules = [m for m in modules if m.has_knowledge_check]
    steplen = ModulePage.steplen
    paths = {m.path[:-steplen] for m in modules}
    titles = dict(CoursePage.objects.filter(path__in=paths).values_list("path", "title"))
    return [ModuleCheckSummary(m, titles.get(m.path[:-steplen], ""), m.attempts) for m in modules]


def original_module(pk: int) -> ModulePage:
    """The Swedish original of a module (attempts are recorded against it); 404 if missing."""
    module = ModulePage.objects.filter(pk=pk).first()
    if module is None:
        raise Http404
    original = ModulePage.objects.filter(
        translation_key=module.translation_key, locale__language_code=settings.LANGUAGE_CODE
    ).first()
    return original or module


def item_analysis_for(module: ModulePage) -> list[ItemRow]:
    """Per question of the module: how many attempts drew it, how many answered it and how
    many got it wrong; one aggregate query, whatever the number of attempts. Questions no
    longer in the module are listed last, without their text."""
    counts = {
        row["question_id"]: row
        for row in AttemptQuestion.objects.filter(module=module)
        .values("question_id")
        .annotate(
            drawn=Count("pk"),
            answered=Count("pk", filter=Q(correct__isnull=False)),
            wrong=Count("pk", filter=Q(correct=False)),
        )
        .order_by()
    }
    rows = []
    questions = module.questions()
    for number, question in enumerate(questions, start=1):
        row = counts.pop(question.id, {})
        rows.append(
            ItemRow(
                number=number,
                question_id=question.id,
                text=question.text,
                drawn=row.get("drawn", 0),
                answered=row.get("answered", 0),
                wrong=row.get("wrong", 0),
            )
        )
    for number, (qid, row) in enumerate(sorted(counts.items()), start=len(questions) + 1):
        rows.append(ItemRow(number, qid, "", row["drawn"], row["answered"], row["wrong"]))
    return rows
