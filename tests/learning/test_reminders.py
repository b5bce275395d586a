import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from learning import reminders, services, signoffs, tasks
from learning.models import Certificate, ModuleDeadline, OnboardingPlan, PlanCourse, Reminder
from learning.onboarding import apply_onboarding_plan
from people.models import Role
from people.services import add_membership
from tests.factories import UserFactory, right_answers
from tests.queries import exact_queries

START = datetime.date(2026, 12, 1)


@pytest.fixture
def plan(course):
    plan = OnboardingPlan.objects.create(name="Nationell plan")
    PlanCourse.objects.create(plan=plan, course=course, due_days=10)
    return plan


def _hire(unit, **kwargs):
    user = UserFactory(**kwargs)
    membership = add_membership(None, user=user, role=Role.NEW_HIRE, unit=unit, start_date=START)
    apply_onboarding_plan(membership)
    return user


# Claim, mark sent and the transaction around them (savepoints on SQLite in tests).
PER_EMAIL = 4
# What a batch reads once, whatever its size (exact, tests/queries.py): the reminders, their
# modules and certificates. The first batch after the cache is emptied (as each test starts)
# also fills Wagtail's cached site root paths for the module links: two more, once.
PER_BATCH = 3
FIRST_TIME = 2


@pytest.mark.django_db
def test_due_soon_reminder_is_queued_once_and_sent_once_in_swedish(enhet_a, plan, course):
    user = _hire(enhet_a, full_name="Nora Ny")
    due = START + datetime.timedelta(days=10)
    today = due - datetime.timedelta(days=3)
    assert reminders.queue_daily_reminders(today) == 3  # three modules due
    assert reminders.queue_daily_reminders(today) == 0  # the unique key makes it a no-op
    ids = reminders.unsent_reminder_ids()
    assert reminders.send_reminders(ids) == 3
    assert reminders.send_reminders(ids) == 0  # a duplicated task sends nothing
    assert len(mail.outbox) == 3
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert "ska vara klar om tre dagar" in message.subject
    assert "Hej Nora!" in message.body
    assert course.modules().first().url in message.body or "/kurser/" in message.body
    assert message.alternatives[0][1] == "text/html"


@pytest.mark.django_db
def test_completed_modules_and_other_days_are_not_reminded(enhet_a, plan, course):
    user = _hire(enhet_a)
    first = course.modules().first()
    services.submit_knowledge_check(user, module=first, answers=right_answers(first))
    due = START + datetime.timedelta(days=10)
    assert reminders.queue_daily_reminders(due - datetime.timedelta(days=4)) == 0
    assert reminders.queue_daily_reminders(due - datetime.timedelta(days=3)) == 2
    overdue_day = due + datetime.timedelta(days=1)
    assert reminders.queue_daily_reminders(overdue_day) == 2
    assert set(Reminder.objects.values_list("kind", flat=True)) == {"due_soon", "overdue"}


@pytest.mark.django_db
def test_certificate_expiring_in_30_days_is_reminded(ny, chef, course):
    enrolment = services.enrol_in_course(None, learner=ny, course=course)
    for module in course.modules():
        services.submit_knowledge_check(ny, module=module, answers=right_answers(module))
    signoffs.sign_off_introduction(
        chef, enrolment=enrolment, conversation_date=timezone.localdate()
    )
    certificate = Certificate.objects.get(user=ny)
    certificate.expires_on = datetime.date(2027, 6, 30)
    certificate.save()
    assert reminders.queue_daily_reminders(datetime.date(2027, 5, 31)) == 1
    reminders.send_reminders(reminders.unsent_reminder_ids())
    assert "går snart ut" in mail.outbox[0].subject
    assert "30 juni 2027" in mail.outbox[0].body


@pytest.mark.django_db
def test_weekly_digest_tells_the_manager_who_is_behind(chef, enhet_a, enhet_b, plan, course):
    _hire(enhet_a, full_name="Efter Eftersson")
    _hire(enhet_b, full_name="Annan Enhet")
    ModuleDeadline.objects.update(due_date=datetime.date(2020, 1, 1))
    assert reminders.queue_weekly_digests(datetime.date(2026, 12, 9)) == 1
    assert reminders.queue_weekly_digests(datetime.date(2026, 12, 10)) == 0  # same week
    reminders.send_reminders(reminders.unsent_reminder_ids())
    [message] = mail.outbox
    assert message.to == [chef.email]
    assert "Efter Eftersson: 3 försenade moduler" in message.body
    assert "Annan Enhet" not in message.body
    assert "/profil/" in message.body


@pytest.mark.django_db
def test_manager_can_turn_the_digest_off(client, chef):
    client.force_login(chef)
    response = client.post(
        reverse("people:profile"),
        {"full_name": "Chef Chefsson", "preferred_language": "sv"},
        follow=True,
    )
    assert "Dina inställningar är sparade." in response.content.decode()
    chef.refresh_from_db()
    assert not chef.receives_digest
    assert reminders.queue_weekly_digests(datetime.date(2026, 12, 9)) == 0


@pytest.mark.django_db
def test_reminder_queries_are_a_fixed_set_per_batch_plus_one_transaction_per_email(
    enhet_a, plan, course
):
    """Sending commits each reminder on its own (so a killed worker loses and repeats nothing);
    what the emails need is still read once per batch."""
    _hire(enhet_a)
    today = START + datetime.timedelta(days=7)
    reminders.queue_daily_reminders(today)
    with exact_queries(FIRST_TIME + PER_BATCH + 3 * PER_EMAIL):  # 17
        assert reminders.send_reminders(reminders.unsent_reminder_ids()) == 3
    for _ in range(15):
        _hire(enhet_a)
    reminders.queue_daily_reminders(today)
    with exact_queries(PER_BATCH + 45 * PER_EMAIL):  # 183
        assert reminders.send_reminders(reminders.unsent_reminder_ids()) == 45


@pytest.mark.django_db
def test_daily_task_runs_eagerly_end_to_end(enhet_a, plan, course, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    _hire(enhet_a)
    soon = timezone.localdate() + datetime.timedelta(days=3)
    ModuleDeadline.objects.update(due_date=soon)
    assert tasks.daily_reminders.delay().get() == 3
    assert len(mail.outbox) == 3
    assert tasks.daily_reminders.delay().get() == 0
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_bench_reminders_builds_its_data_and_prints_json(course, capsys):
    import json

    from django.core.management import call_command

    call_command("bench_reminders", "--learners", "30")
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert result["learners"] == 30
    assert result["reminders_sent"] == 30
    # A fixed set per batch, plus the claim-send-mark transaction per email.
    assert result["queries"] <= 20 + PER_EMAIL * 30
    call_command("bench_reminders", "--learners", "30")  # reuses the data set
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["reminders_sent"] == 30
