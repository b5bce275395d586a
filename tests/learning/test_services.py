import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from learning import services
from learning.models import Enrolment, ModuleProgress, QuizAttempt
from tests.factories import add_module, question, right_answers, wrong_answers


@pytest.mark.django_db
def test_enrolling_twice_returns_the_same_enrolment(ny, course, kommunadmin):
    first = services.enrol_in_course(kommunadmin, learner=ny, course=course)
    second = services.enrol_in_course(kommunadmin, learner=ny, course=course)
    assert first.pk == second.pk
    assert first.enrolled_by == kommunadmin
    assert Enrolment.objects.filter(user=ny).count() == 1


@pytest.mark.django_db
def test_the_database_refuses_a_second_enrolment(ny, course):
    Enrolment.objects.create(user=ny, course=course)
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.create(user=ny, course=course)


@pytest.mark.django_db
def test_unpublished_course_cannot_be_enrolled(ny, course):
    course.unpublish()
    course.refresh_from_db()
    with pytest.raises(ValidationError):
        services.enrol_in_course(ny, learner=ny, course=course)


@pytest.mark.django_db
def test_opening_a_module_needs_an_enrolment(ny, course):
    with pytest.raises(ValidationError):
        services.open_module(ny, module=course.modules().first())


@pytest.mark.django_db
def test_fail_then_pass_keeps_every_attempt_and_the_best_score(ny, course):
    services.enrol_in_course(ny, learner=ny, course=course)
    module = course.modules().first()
    failed = services.submit_knowledge_check(ny, module=module, answers=wrong_answers(module))
    assert (failed.score, failed.passed) == (0, False)
    progress = ModuleProgress.objects.get(module=module)
    assert progress.completed_at is None
    assert (progress.best_score, progress.latest_score) == (0, 0)
    # The next attempt opens after the pause that follows a fail (10 minutes by default).
    after_pause = timezone.now() + datetime.timedelta(minutes=11)
    passed = services.submit_knowledge_check(
        ny, module=module, answers=right_answers(module), now=after_pause
    )
    assert (passed.score, passed.passed) == (100, True)
    services.submit_knowledge_check(
        ny, module=module, answers=wrong_answers(module), now=after_pause
    )
    progress.refresh_from_db()
    assert (progress.best_score, progress.latest_score) == (100, 0)
    assert progress.completed_at is not None
    assert QuizAttempt.objects.filter(progress=progress).count() == 3


@pytest.mark.django_db
def test_multiple_choice_needs_exactly_the_right_choices(ny, course):
    module = add_module(
        course,
        title="Flerval",
        questions=[question(kind="multiple", choices=[("A", True), ("B", True), ("C", False)])],
        pass_mark=100,
    )
    services.enrol_in_course(ny, learner=ny, course=course)
    [q] = module.questions()
    a, b, c = (choice.id for choice in q.choices)
    # Each attempt after the pause that follows the failed one before it.
    first, second, third = (timezone.now() + datetime.timedelta(minutes=m) for m in (0, 11, 22))
    submit = services.submit_knowledge_check
    assert not submit(ny, module=module, answers={q.id: [a]}, now=first).passed
    assert not submit(ny, module=module, answers={q.id: [a, b, c]}, now=second).passed
    assert submit(ny, module=module, answers={q.id: [b, a]}, now=third).passed


@pytest.mark.django_db
def test_pass_mark_is_a_share_of_fully_right_questions(ny, course):
    module = add_module(course, title="Tre frågor", questions=[question()] * 3, pass_mark=60)
    services.enrol_in_course(ny, learner=ny, course=course)
    answers = right_answers(module)
    first_id = next(iter(answers))
    answers[first_id] = wrong_answers(module)[first_id]
    attempt = services.submit_knowledge_check(ny, module=module, answers=answers)
    assert attempt.score == 67
    assert attempt.passed


@pytest.mark.django_db
def test_unknown_answer_ids_are_ignored_and_missing_answers_refused(ny, course):
    services.enrol_in_course(ny, learner=ny, course=course)
    module = course.modules().first()
    answers = right_answers(module) | {"okand-fraga": ["x"]}
    [qid] = [k for k in answers if k != "okand-fraga"]
    answers[qid] = [*answers[qid], "okant-svar"]
    assert services.submit_knowledge_check(ny, module=module, answers=answers).passed
    with pytest.raises(ValidationError) as error:
        services.submit_knowledge_check(ny, module=module, answers={qid: ["okant-svar"]})
    assert qid in error.value.message_dict
    assert QuizAttempt.objects.count() == 1


@pytest.mark.django_db
def test_course_is_complete_when_every_module_is(ny, course):
    # A self-paced course for mentors; the new hires' introduction also waits for the manager's
    # sign-off (tests/learning/test_certificates_signoff.py).
    course.audience = "mentors"
    course.save_revision().publish()
    enrolment = services.enrol_in_course(ny, learner=ny, course=course)
    reading = add_module(course, title="Läsmodul", questions=[])
    for module in course.modules():
        if module.pk == reading.pk:
            continue
        services.submit_knowledge_check(ny, module=module, answers=right_answers(module))
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ACTIVE
    services.complete_module(ny, module=reading)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED
    assert enrolment.completed_at is not None


@pytest.mark.django_db
def test_a_module_with_a_check_cannot_be_marked_done_without_passing(ny, course):
    services.enrol_in_course(ny, learner=ny, course=course)
    with pytest.raises(ValidationError) as error:
        services.complete_module(ny, module=course.modules().first())
    assert error.value.messages == [str(services.PASS_CHECK_FIRST)]


@pytest.mark.django_db
def test_cohort_courses_cannot_be_self_enrolled(ny, catalog):
    from tests.factories import add_course

    leadership = add_course(catalog, title="Ledarskap", kind="cohort", audience="managers")
    with pytest.raises(ValidationError):
        services.self_enrol(ny, course=leadership)
