"""A knowledge-check attempt is opened and graded once, however many requests race for it
(PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections

from learning import services
from learning.models import AttemptQuestion, ModuleProgress, QuizAttempt
from tests.learning.test_knowledge_checks import answers_for, pool_module

REQUESTS = 8

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite has no row locks (select_for_update) and one writer at a "
    "time; CI runs PostgreSQL (DATABASE_URL=postgres://…)",
)


def _race(work) -> list:
    start = threading.Barrier(REQUESTS)
    results, errors = [], []

    def run():
        try:
            start.wait(timeout=30)
            results.append(work())
        except Exception as error:  # reported by the callers' assertions
            errors.append(error)
        finally:
            connections.close_all()  # each thread had its own database connection

    threads = [threading.Thread(target=run) for _ in range(REQUESTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    return results


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_openings_share_one_attempt(ny, course):
    services.enrol_in_course(None, learner=ny, course=course)
    module = pool_module(course, size=4, questions_per_attempt=2)
    opened = _race(lambda: services.open_attempt(ny, module=module).pk)
    assert len(set(opened)) == 1
    assert QuizAttempt.objects.count() == 1
    assert AttemptQuestion.objects.count() == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_submissions_grade_the_attempt_once(ny, course):
    services.enrol_in_course(None, learner=ny, course=course)
    module = pool_module(course, size=2, pass_mark=100)
    attempt = services.open_attempt(ny, module=module)
    wrong = answers_for(attempt, module, right=False)
    right = answers_for(attempt, module)
    turn = iter(range(REQUESTS))

    def submit():
        # Half the racers send right answers: whichever is graded first stands alone.
        answers = right if next(turn) % 2 else wrong
        graded = services.submit_knowledge_check(
            ny, module=module, attempt=attempt, answers=answers
        )
        return graded.pk, graded.score

    results = _race(submit)
    assert {pk for pk, _score in results} == {attempt.pk}
    assert len({score for _pk, score in results}) == 1
    attempt.refresh_from_db()
    progress = ModuleProgress.objects.get(module=module)
    assert attempt.is_submitted
    assert progress.failed_attempts == (0 if attempt.passed else 1)
    assert AttemptQuestion.objects.filter(correct__isnull=True).count() == 0
    assert QuizAttempt.objects.count() == 1
