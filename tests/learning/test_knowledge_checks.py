"""Knowledge checks (kunskapskontroller) that test knowledge (issue 19): question pools drawn on
the server, no right options after a fail, pauses between attempts, a flag for checks sent
faster than the module can be read, item analysis for editors, and refused bad input."""

import datetime
import importlib

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from content.models import ModulePage
from learning import selectors, services
from learning.models import AttemptQuestion, ModuleProgress, QuizAttempt
from mentoring.models import Mentorship
from tests.factories import UserFactory, add_module, question

MINUTE = datetime.timedelta(minutes=1)


def pool_module(course, *, size=5, title="Frågebank", **fields) -> ModulePage:
    """A module whose check has `size` questions, each with its own choice texts."""
    questions = [
        question(
            text=f"Fråga {n}?",
            choices=[(f"Rätt {n}", True), (f"Fel {n}a", False), (f"Fel {n}b", False)],
            explanation=f"Förklaring {n}.",
        )
        for n in range(1, size + 1)
    ]
    module = add_module(course, title=title, questions=questions)
    ModulePage.objects.filter(pk=module.pk).update(**fields)
    return ModulePage.objects.get(pk=module.pk)


def answers_for(attempt, module, *, right=True, wrong=()) -> dict[str, list[str]]:
    """Answers to the attempt's drawn questions: right, except the questions in `wrong`."""
    result = {}
    for q in selectors.drawn_questions(attempt, module=module):
        good = right and q.id not in wrong
        result[q.id] = [next(c.id for c in q.choices if c.correct == good)]
    return result


@pytest.fixture
def enrolled(ny, course):
    return services.enrol_in_course(None, learner=ny, course=course)


# --- Question pools -------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_attempt_draws_its_questions_from_the_pool_and_stores_what_it_shows(
    ny, course, enrolled
):
    module = pool_module(course, questions_per_attempt=2)
    pool = {q.id: q for q in module.questions()}
    attempt = services.open_attempt(ny, module=module)
    assert attempt.is_open and attempt.score is None
    assert len(attempt.questions) == 2
    for item in attempt.questions:
        assert sorted(item["choices"]) == sorted(c.id for c in pool[item["id"]].choices)
    drawn = AttemptQuestion.objects.filter(attempt=attempt)
    assert sorted(drawn.values_list("question_id", flat=True)) == sorted(attempt.question_ids)
    assert {row.module_id for row in drawn} == {module.pk}
    assert not drawn.filter(correct__isnull=False).exists()


@pytest.mark.django_db
def test_draws_vary_the_set_and_the_order_of_the_choices(ny, course, enrolled):
    module = pool_module(course, questions_per_attempt=2)
    editor_order = {q.id: [c.id for c in q.choices] for q in module.questions()}
    sets, shuffled = set(), False
    for _ in range(25):
        attempt = services.open_attempt(ny, module=module)
        sets.add(tuple(attempt.question_ids))
        shuffled |= any(i["choices"] != editor_order[i["id"]] for i in attempt.questions)
        attempt.delete()  # never answered: the next opening draws again
    assert len(sets) > 1
    assert shuffled


@pytest.mark.django_db
def test_a_blank_pool_size_asks_every_question(ny, course, enrolled):
    module = pool_module(course, size=3)
    attempt = services.open_attempt(ny, module=module)
    assert sorted(attempt.question_ids) == sorted(q.id for q in module.questions())


@pytest.mark.django_db
def test_a_reload_shows_the_same_attempt_with_the_same_order(client, ny, course, enrolled):
    module = pool_module(course, questions_per_attempt=2)
    client.force_login(ny)
    url = reverse("learning:check", args=[module.pk])
    first = client.get(url)
    second = client.get(url)
    assert first.context["attempt"].pk == second.context["attempt"].pk
    assert QuizAttempt.objects.count() == 1
    attempt = first.context["attempt"]
    body = second.content.decode()
    # The drawn questions, their choices in the stored order; none of the others.
    texts = {q.id: q.text for q in module.questions()}
    for qid, text in texts.items():
        assert (text in body) == (qid in attempt.question_ids)
    for item in attempt.questions:
        positions = [body.index(f'value="{cid}"') for cid in item["choices"]]
        assert positions == sorted(positions)


@pytest.mark.django_db
def test_an_editor_cannot_ask_more_questions_than_the_pool_holds(course):
    module = pool_module(course, size=2)
    module.questions_per_attempt = 3
    with pytest.raises(ValidationError) as error:
        module.full_clean()
    assert "questions_per_attempt" in error.value.message_dict


@pytest.mark.django_db
def test_grading_counts_exactly_the_drawn_questions(ny, course, enrolled):
    module = pool_module(course, questions_per_attempt=2, pass_mark=100)
    attempt = services.open_attempt(ny, module=module)
    undrawn = [q for q in module.questions() if q.id not in attempt.question_ids]
    answers = answers_for(attempt, module) | {
        # Wrong answers to questions that were not drawn, and a forged question id: ignored.
        **{q.id: [next(c.id for c in q.choices if not c.correct)] for q in undrawn},
        "forfalskad-fraga": ["x"],
    }
    graded = services.submit_knowledge_check(ny, module=module, attempt=attempt, answers=answers)
    assert (graded.score, graded.passed) == (100, True)
    assert sorted(graded.answers) == sorted(attempt.question_ids)
    assert set(graded.drawn.values_list("correct", flat=True)) == {True}


# --- What a result shows --------------------------------------------------------------------


def _fail_one(client, ny, module):
    """Open the check in the browser and answer the first drawn question wrong."""
    client.force_login(ny)
    attempt = client.get(reverse("learning:check", args=[module.pk])).context["attempt"]
    wrong = attempt.question_ids[0]
    data = answers_for(attempt, module, wrong={wrong}) | {"attempt": attempt.pk}
    response = client.post(reverse("learning:check", args=[module.pk]), data, follow=True)
    return attempt, wrong, response.content.decode()


@pytest.mark.django_db
def test_a_failed_attempt_shows_what_was_wrong_and_why_but_never_the_right_option(
    client, ny, course, enrolled
):
    module = pool_module(course, size=2, pass_mark=100)
    _attempt, wrong, body = _fail_one(client, ny, module)
    number = next(q.text for q in module.questions() if q.id == wrong).split()[1].rstrip("?")
    assert "Inte godkänt den här gången" in body
    assert "Fel" in body and f"Förklaring {number}." in body
    assert f"Rätt {number}" not in body  # the right option of the wrong question
    assert "rätt svar" not in body
    assert "Rätt svar visas när du har klarat kontrollen." in body


@pytest.mark.django_db
def test_the_right_options_appear_once_the_check_is_passed(client, ny, course, enrolled):
    module = pool_module(course, size=2, pass_mark=100, retry_pause_minutes=0)
    failed, wrong, _body = _fail_one(client, ny, module)
    number = next(q.text for q in module.questions() if q.id == wrong).split()[1].rstrip("?")
    attempt = services.open_attempt(ny, module=module)  # no pause: the editor set 0 minutes
    services.submit_knowledge_check(
        ny, module=module, attempt=attempt, answers=answers_for(attempt, module)
    )
    body = client.get(reverse("learning:attempt", args=[failed.pk])).content.decode()
    assert f"Rätt {number}" in body and "rätt svar" in body


@pytest.mark.django_db
def test_out_of_attempts_shows_the_right_options_only_if_the_editor_chose_so(
    client, ny, course, enrolled
):
    module = pool_module(course, size=2, pass_mark=100, max_attempts=1)
    attempt, _wrong, body = _fail_one(client, ny, module)
    assert "rätt svar" not in body
    assert "Försök igen" not in body
    ModulePage.objects.filter(pk=module.pk).update(show_answers_when_out_of_attempts=True)
    body = client.get(reverse("learning:attempt", args=[attempt.pk])).content.decode()
    assert "rätt svar" in body
    closed = client.get(reverse("learning:check", args=[module.pk])).content.decode()
    assert str(services.NO_ATTEMPTS_LEFT) in closed


# --- Pauses ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_next_attempt_opens_after_the_editors_pause(ny, course, enrolled):
    module = pool_module(course, size=1, retry_pause_minutes=30)
    start = timezone.now()
    attempt = services.open_attempt(ny, module=module, now=start)
    services.submit_knowledge_check(
        ny, module=module, attempt=attempt, answers=answers_for(attempt, module, right=False)
    )
    with pytest.raises(ValidationError) as error:
        services.open_attempt(ny, module=module, now=start + 29 * MINUTE)
    assert "Nästa försök öppnar" in error.value.messages[-1]
    assert QuizAttempt.objects.count() == 1
    assert services.open_attempt(ny, module=module, now=start + 31 * MINUTE).is_open


@pytest.mark.django_db
def test_the_default_pause_is_ten_minutes(ny, course, enrolled):
    module = course.modules().first().specific
    start = timezone.now()
    wrong = {q.id: [c.id for c in q.choices if not c.correct][:1] for q in module.questions()}
    services.submit_knowledge_check(ny, module=module, answers=wrong, now=start)
    with pytest.raises(ValidationError):
        services.open_attempt(ny, module=module, now=start + 9 * MINUTE)
    assert services.open_attempt(ny, module=module, now=start + 10 * MINUTE + MINUTE).is_open


@pytest.mark.django_db
def test_by_default_the_third_failure_asks_to_reread_and_no_minimum_time_is_set(
    ny, course, enrolled
):
    module = course.modules().first().specific
    assert module.min_minutes_on_module == 0  # the editor's minimum is off by default
    wrong = {q.id: [c.id for c in q.choices if not c.correct][:1] for q in module.questions()}
    now = timezone.now()
    for failure in (1, 2, 3):
        attempt = services.open_attempt(ny, module=module, now=now)
        graded = services.submit_knowledge_check(
            ny, module=module, attempt=attempt, answers=wrong, now=now
        )
        assert not graded.too_fast
        progress = ModuleProgress.objects.get(module=module)
        state = selectors.knowledge_check_state(progress, module=module, now=now)
        assert state.reread == (failure == 3)
        now += 11 * MINUTE
    with pytest.raises(ValidationError):
        services.open_attempt(ny, module=module, now=now + datetime.timedelta(hours=20))


@pytest.mark.django_db
def test_after_n_failures_the_learner_rereads_talks_to_the_mentor_and_waits_a_day(
    client, ny, course, enrolled
):
    module = pool_module(course, size=1, failures_before_reread=2)
    now = timezone.now()
    for _ in range(2):
        attempt = services.open_attempt(ny, module=module, now=now)
        services.submit_knowledge_check(
            ny,
            module=module,
            attempt=attempt,
            answers=answers_for(attempt, module, right=False),
            now=now,
        )
        now += 11 * MINUTE
    failed_at = now - 11 * MINUTE
    with pytest.raises(ValidationError) as error:
        services.open_attempt(ny, module=module, now=failed_at + datetime.timedelta(hours=23))
    assert "Läs modulen igen och prata med din mentor" in error.value.messages[0]
    client.force_login(ny)
    page = client.get(module.url).content.decode()
    assert "Läs modulen igen och prata med din mentor" in page
    assert "Nästa försök öppnar" in page
    assert "Till kunskapskontrollen" not in page
    later = failed_at + datetime.timedelta(hours=24, minutes=1)
    assert services.open_attempt(ny, module=module, now=later).is_open


@pytest.mark.django_db
def test_the_module_page_says_when_the_next_attempt_opens(client, ny, course, enrolled):
    module = pool_module(course, size=1)
    failed_at = timezone.now()
    attempt = services.open_attempt(ny, module=module)
    services.submit_knowledge_check(
        ny,
        module=module,
        attempt=attempt,
        answers=answers_for(attempt, module, right=False),
        now=failed_at,
    )
    client.force_login(ny)
    page = client.get(module.url).content.decode()
    opens = timezone.localtime(failed_at + 10 * MINUTE)
    assert f"Nästa försök öppnar {opens.day} " in page and f"{opens:%H:%M}." in page
    assert "Till kunskapskontrollen" not in page
    ModuleProgress.objects.update(next_attempt_at=timezone.now() - MINUTE)
    page = client.get(module.url).content.decode()
    assert "Nästa försök öppnar" not in page and "Till kunskapskontrollen" in page


# --- Time on the module ---------------------------------------------------------------------


@pytest.mark.django_db
def test_a_check_sent_faster_than_the_editors_minimum_is_flagged_and_still_counts(
    ny, course, enrolled
):
    quick = pool_module(course, size=1, title="Snabb", min_minutes_on_module=5)
    slow = pool_module(course, size=1, title="Långsam", min_minutes_on_module=5)
    started = services.open_module(ny, module=quick).started_at
    attempt = services.open_attempt(ny, module=quick)
    graded = services.submit_knowledge_check(
        ny, module=quick, attempt=attempt, answers=answers_for(attempt, quick)
    )
    assert graded.too_fast and graded.passed
    assert graded.seconds_on_module < 60
    assert ModuleProgress.objects.get(module=quick).completed_at is not None
    started = services.open_module(ny, module=slow).started_at
    attempt = services.open_attempt(ny, module=slow)
    graded = services.submit_knowledge_check(
        ny,
        module=slow,
        attempt=attempt,
        answers=answers_for(attempt, slow),
        now=started + 6 * MINUTE,
    )
    assert not graded.too_fast
    assert graded.seconds_on_module == 360


@pytest.mark.django_db
def test_no_minimum_flags_nothing(ny, course, enrolled):
    module = pool_module(course, size=1)
    graded = services.submit_knowledge_check(
        ny, module=module, answers={q.id: sorted(q.correct_ids) for q in module.questions()}
    )
    assert graded.passed and not graded.too_fast


@pytest.mark.django_db
def test_the_mentor_sees_fast_checks_and_a_mentee_asked_to_reread(
    client, ny, mentor, kommun_a, course, enrolled
):
    Mentorship.objects.create(
        mentor=mentor,
        mentee=ny,
        organisation=kommun_a,
        status=Mentorship.Status.ACTIVE,
        start_date=timezone.localdate(),
    )
    client.force_login(mentor)
    body = client.get(reverse("mentoring:my_mentees")).content.decode()
    assert "snabbare än modulens minsta tid" not in body
    module = pool_module(course, size=1, min_minutes_on_module=10, failures_before_reread=1)
    attempt = services.open_attempt(ny, module=module)
    services.submit_knowledge_check(
        ny, module=module, attempt=attempt, answers=answers_for(attempt, module, right=False)
    )
    body = client.get(reverse("mentoring:my_mentees")).content.decode()
    assert "1 kunskapskontroll inlämnad snabbare än modulens minsta tid" in body
    assert "Har inte klarat en kunskapskontroll" in body


# --- Bad input ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_second_submission_of_the_same_attempt_changes_nothing(ny, course, enrolled):
    module = pool_module(course, size=2, pass_mark=100)
    attempt = services.open_attempt(ny, module=module)
    first = services.submit_knowledge_check(
        ny, module=module, attempt=attempt, answers=answers_for(attempt, module, right=False)
    )
    replay = services.submit_knowledge_check(
        ny, module=module, attempt=attempt, answers=answers_for(attempt, module)
    )
    assert replay.pk == first.pk and replay.score == 0 and not replay.passed
    progress = ModuleProgress.objects.get(module=module)
    assert (progress.failed_attempts, progress.best_score, progress.completed_at) == (1, 0, None)
    assert QuizAttempt.objects.count() == 1
    assert set(AttemptQuestion.objects.values_list("correct", flat=True)) == {False}


@pytest.mark.django_db
def test_a_double_click_lands_on_the_one_result(client, ny, course, enrolled):
    module = pool_module(course, size=1)
    client.force_login(ny)
    url = reverse("learning:check", args=[module.pk])
    attempt = client.get(url).context["attempt"]
    data = answers_for(attempt, module, right=False) | {"attempt": attempt.pk}
    first = client.post(url, data)
    second = client.post(url, answers_for(attempt, module) | {"attempt": attempt.pk})
    result = reverse("learning:attempt", args=[attempt.pk])
    assert first.url == second.url == result
    attempt.refresh_from_db()
    assert attempt.passed is False
    assert ModuleProgress.objects.get(module=module).failed_attempts == 1


@pytest.mark.django_db
def test_another_persons_attempt_is_refused(client, ny, course, enrolled):
    module = pool_module(course, size=1)
    other = UserFactory()
    services.enrol_in_course(None, learner=other, course=course)
    theirs = services.open_attempt(other, module=module)
    with pytest.raises(ValidationError):
        services.submit_knowledge_check(
            ny, module=module, attempt=theirs, answers=answers_for(theirs, module)
        )
    client.force_login(ny)
    url = reverse("learning:check", args=[module.pk])
    data = answers_for(theirs, module) | {"attempt": theirs.pk}
    assert client.post(url, data).status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_open
    assert not ModuleProgress.objects.filter(enrolment__user=ny, best_score__isnull=False).exists()


@pytest.mark.django_db
def test_an_attempt_of_another_module_is_refused(client, ny, course, enrolled):
    first = pool_module(course, size=1, title="Första")
    second = pool_module(course, size=1, title="Andra")
    attempt = services.open_attempt(ny, module=first)
    with pytest.raises(ValidationError):
        services.submit_knowledge_check(
            ny, module=second, attempt=attempt, answers=answers_for(attempt, first)
        )
    client.force_login(ny)
    url = reverse("learning:check", args=[second.pk])
    assert client.post(url, {"attempt": attempt.pk}).status_code == 404
    attempt.refresh_from_db()
    assert attempt.is_open


@pytest.mark.django_db
def test_forged_choices_and_missing_answers_save_nothing(client, ny, course, enrolled):
    module = pool_module(course, size=2)
    client.force_login(ny)
    url = reverse("learning:check", args=[module.pk])
    attempt = client.get(url).context["attempt"]
    first, _second = attempt.question_ids
    response = client.post(url, {first: "forfalskat-svar", "attempt": attempt.pk})
    assert response.status_code == 200
    with pytest.raises(ValidationError):
        services.submit_knowledge_check(
            ny, module=module, attempt=attempt, answers={first: ["forfalskat-svar"]}
        )
    attempt.refresh_from_db()
    assert attempt.is_open and attempt.score is None
    assert not AttemptQuestion.objects.filter(correct__isnull=False).exists()
    progress = ModuleProgress.objects.get(module=module)
    assert (progress.failed_attempts, progress.latest_score) == (0, None)


@pytest.mark.django_db
def test_a_check_changed_while_open_is_drawn_again(ny, course, enrolled):
    module = pool_module(course, size=2)
    attempt = services.open_attempt(ny, module=module)
    removed = attempt.question_ids[0]
    module.knowledge_check = [
        dict(raw) for raw in module.knowledge_check.raw_data if raw["id"] != removed
    ]
    module.save()
    with pytest.raises(ValidationError) as error:
        services.submit_knowledge_check(ny, module=module, attempt=attempt, answers={})
    assert error.value.messages == [str(services.CHECK_CHANGED)]
    fresh = services.open_attempt(ny, module=module)
    assert fresh.pk != attempt.pk and fresh.question_ids == [q.id for q in module.questions()]


# --- Item analysis --------------------------------------------------------------------------


def _attempts(module, learners: int):
    for _ in range(learners):
        learner = UserFactory()
        services.enrol_in_course(None, learner=learner, course=module.get_parent().specific)
        attempt = services.open_attempt(learner, module=module)
        first = attempt.question_ids[0]
        services.submit_knowledge_check(
            learner,
            module=module,
            attempt=attempt,
            answers=answers_for(attempt, module, wrong={first}),
        )


@pytest.mark.django_db
def test_item_analysis_counts_draws_and_wrong_answers_per_question(course):
    module = pool_module(course, size=3)
    _attempts(module, 4)  # every attempt draws all three; the first is answered wrong
    learner = UserFactory()
    services.enrol_in_course(None, learner=learner, course=course)
    services.open_attempt(learner, module=module)  # drawn, not answered
    rows = selectors.item_analysis_for(module)
    assert [(r.drawn, r.answered, r.wrong) for r in rows] == [(5, 4, 4), (5, 4, 0), (5, 4, 0)]
    assert [r.wrong_percent for r in rows] == [100, 0, 0]


@pytest.mark.django_db
def test_item_analysis_pages_are_for_editors_with_constant_queries(
    client,
    course,
    redaktor,
    kommunadmin,
    ny,
    django_assert_num_queries,
    django_assert_max_num_queries,
):
    module = pool_module(course, size=3, title="Analysmodul")
    _attempts(module, 1)
    index = reverse("learning_item_analysis")
    detail = reverse("learning_item_analysis_module", args=[module.pk])
    client.force_login(redaktor)
    assert "Analysmodul" in client.get(index).content.decode()
    body = client.get(detail).content.decode()
    assert "Fråga 1?" in body and "100 % (1)" in body
    with django_assert_max_num_queries(100) as few:
        client.get(detail)
    _attempts(module, 12)
    with django_assert_num_queries(len(few.captured_queries)):
        body = client.get(detail).content.decode()
    assert "100 % (13)" in body
    assert "Kunskapskontroller" in client.get(reverse("wagtailadmin_home")).content.decode()
    assert client.get(reverse("learning_item_analysis_module", args=[999999])).status_code == 404
    for outsider in (kommunadmin, ny):
        client.force_login(outsider)
        for url in (index, detail):
            assert client.get(url).status_code in (302, 403), (outsider, url)


@pytest.mark.django_db
def test_the_migration_fills_in_earlier_attempts(ny, course, enrolled):
    from django.apps import apps

    migration = importlib.import_module("learning.migrations.0011_attempts_drawn_and_paused")
    module = course.modules().first().specific
    progress = services.open_module(ny, module=module)
    [q] = module.questions()
    results = {q.id: {"selected": [], "correct_ids": [], "correct": False}}
    attempt = QuizAttempt.objects.create(progress=progress, score=0, passed=False, results=results)
    migration.fill_from_earlier_attempts(apps, None)
    progress.refresh_from_db()
    attempt.refresh_from_db()
    assert progress.failed_attempts == 1
    assert attempt.opened_at == attempt.submitted_at
    assert attempt.question_ids == [q.id]
    row = AttemptQuestion.objects.get(attempt=attempt)
    assert (row.question_id, row.module_id, row.correct) == (q.id, module.pk, False)


@pytest.mark.django_db
def test_an_open_attempt_cannot_be_sent_after_the_editor_lowered_the_maximum(ny, course, enrolled):
    module = pool_module(course, size=1, retry_pause_minutes=0, max_attempts=2)
    start = timezone.now()
    first = services.open_attempt(ny, module=module, now=start)
    services.submit_knowledge_check(
        ny, module=module, attempt=first, answers=answers_for(first, module, right=False)
    )
    second = services.open_attempt(ny, module=module, now=start + MINUTE)
    ModulePage.objects.filter(pk=module.pk).update(max_attempts=1)
    module.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.submit_knowledge_check(
            ny, module=module, attempt=second, answers=answers_for(second, module)
        )
    assert error.value.messages == [str(services.NO_ATTEMPTS_LEFT)]
    second.refresh_from_db()
    assert second.is_open


# --- Queries --------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 12])
def test_a_submission_takes_the_same_few_queries_whatever_the_size_of_the_check(
    ny, course, enrolled, django_assert_num_queries, size
):
    """Session 35: a pass was 26 queries, a fail 12 (the demo seeds pass ~20 modules a chain).
    A pass: the learner's position (2), the progress row and the attempt locked (2), the
    attempt, its drawn questions and the progress row written once each (3), the tally rebuilt
    (2), the enrolment with its course and the course's modules done (2), and the service's
    savepoint (2). A fail writes no completion: 9. Opened and submitted in one call: the
    attempt found or drawn under the same lock, 13 for a pass; in a module not yet started (the
    demo seeds, 41 before), the row inserted (3) is neither locked nor searched for attempts,
    and the attempt drawn (2): 17. On SQLite the tally's DELETE is a statement of its own (no
    DELETE inside WITH): one more for each pass."""
    tally = 0 if connection.vendor == "postgresql" else 1
    passing = pool_module(course, size=size, title="Godkänd", pass_mark=100)
    failing = pool_module(course, size=size, title="Underkänd", pass_mark=100)
    in_one = pool_module(course, size=size, title="I ett anrop", pass_mark=100)
    fresh = pool_module(course, size=size, title="Ny", pass_mark=100)
    attempts = {m.pk: services.open_attempt(ny, module=m) for m in (passing, failing, in_one)}
    right = answers_for(attempts[passing.pk], passing)
    with django_assert_num_queries(13 + tally):
        graded = services.submit_knowledge_check(
            ny, module=passing, attempt=attempts[passing.pk], answers=right
        )
    assert graded.passed
    wrong = answers_for(attempts[failing.pk], failing, right=False)
    with django_assert_num_queries(9):
        graded = services.submit_knowledge_check(
            ny, module=failing, attempt=attempts[failing.pk], answers=wrong
        )
    assert not graded.passed
    right = answers_for(attempts[in_one.pk], in_one)
    with django_assert_num_queries(13 + tally):
        graded = services.submit_knowledge_check(ny, module=in_one, answers=right)
    assert graded.pk == attempts[in_one.pk].pk and graded.passed
    right = {q.id: sorted(q.correct_ids) for q in fresh.questions()}
    with django_assert_num_queries(17 + tally):
        graded = services.submit_knowledge_check(ny, module=fresh, answers=right)
    assert graded.passed and graded.drawn.filter(correct=True).count() == size
    done = ModuleProgress.objects.filter(completed_at__isnull=False).values_list("module_id")
    assert {pk for (pk,) in done} == {passing.pk, in_one.pk, fresh.pk}
