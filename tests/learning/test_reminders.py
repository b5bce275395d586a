import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core import outbox
from core.models import OutboxMessage
from learning import reminders, services, signoffs, tasks
from learning.models import Certificate, ModuleDeadline, OnboardingPlan, PlanCourse
from learning.services.onboarding import apply_onboarding_plan
from people.models import Role
from people.services import add_membership
from tests.core.smtp import LocalSMTPServer
from tests.factories import UserFactory, right_answers
from tests.queries import exact_queries

# A new hire starting the day after the tests were collected. A fixed day aged: three years on, a
# module passed "now" was passed after the days the test asks about, and was reminded of.
START = timezone.localdate() + datetime.timedelta(days=1)


@pytest.fixture
def plan(course):
    plan = OnboardingPlan.objects.create(name="Nationell plan")
    PlanCourse.objects.create(plan=plan, course=course, due_days=10)
    return plan


def _hire(unit, **kwargs):
    user = UserFactory(**kwargs)
    membership = add_membership(None, user=user, role=Role.NEW_HIRE, unit=unit, start_date=START)
    apply_onboarding_plan(membership)
    # Applied just above: only the reminders are left for the outbox in these tests.
    OutboxMessage.objects.filter(handler=tasks.onboarding_plan.outbox_name).update(
        status=OutboxMessage.Status.DELIVERED
    )
    return user


@pytest.fixture
def smtp_server(settings):
    """Django's SMTP backend pointed at a real local SMTP socket, not yet listening."""
    server = LocalSMTPServer()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()


def _reminder_rows():
    return OutboxMessage.objects.filter(handler=tasks.reminder_email.outbox_name)


def _send() -> int:
    """What a batch task does: deliver the due outbox rows in groups. Returns how many
    reminders it delivered (other rows the fixtures wrote may go with them)."""
    delivered = _reminder_rows().filter(status=OutboxMessage.Status.DELIVERED)
    before = delivered.count()
    outbox.deliver_batch()
    return delivered.count() - before


@pytest.mark.django_db
def test_due_soon_reminder_is_queued_once_and_sent_once_in_swedish(enhet_a, plan, course):
    user = _hire(enhet_a, full_name="Nora Ny")
    due = START + datetime.timedelta(days=10)
    today = due - datetime.timedelta(days=3)
    assert reminders.queue_daily_reminders(today) == 3  # three modules due
    assert reminders.queue_daily_reminders(today) == 0  # the outbox key makes it a no-op
    assert _send() == 3
    assert _send() == 0  # a duplicated task sends nothing
    assert len(mail.outbox) == 3
    rows = list(_reminder_rows().order_by("pk"))
    assert {row.status for row in rows} == {OutboxMessage.Status.DELIVERED}
    assert {row.recipient_id for row in rows} == {user.pk}
    # Each email carries its outbox row's Message-ID, the same on every attempt.
    assert [m.extra_headers["Message-ID"] for m in mail.outbox] == [
        f"<outbox-{row.pk}@127.0.0.1>" for row in rows
    ]
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
    assert {row.args["kind"] for row in _reminder_rows()} == {"due_soon", "overdue"}


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
    assert _send() == 1
    assert "går snart ut" in mail.outbox[0].subject
    assert "30 juni 2027" in mail.outbox[0].body


@pytest.mark.django_db
def test_weekly_digest_tells_the_manager_who_is_behind(chef, enhet_a, enhet_b, plan, course):
    _hire(enhet_a, full_name="Efter Eftersson")
    _hire(enhet_b, full_name="Annan Enhet")
    ModuleDeadline.objects.update(due_date=datetime.date(2020, 1, 1))
    assert reminders.queue_weekly_digests(datetime.date(2026, 12, 9)) == 1
    assert reminders.queue_weekly_digests(datetime.date(2026, 12, 10)) == 0  # same week
    assert _send() == 1
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


# A group: its transaction (savepoint in tests), the claim (one UPDATE ... RETURNING on
# PostgreSQL; select, update, read back on SQLite), the people, the modules, the mark; then the
# empty claim that ends the batch. The first group after the cache is emptied (as each test
# starts) also fills Wagtail's cached site root paths for the module links: two more, once.
PER_GROUP = {"sqlite": 8, "postgresql": 6}
LAST_CLAIM = {"sqlite": 3, "postgresql": 3}
FIRST_TIME = 2


@pytest.mark.django_db
def test_reminder_queries_are_a_fixed_set_per_group_whatever_its_size(
    enhet_a, plan, course, monkeypatch
):
    """3 emails and 45 emails cost the same queries: a group is claimed, read and marked with
    a fixed set of statements, and its module emails are rendered once per module."""
    from django.db import connection

    monkeypatch.setattr(outbox, "GROUP_FIRST", 50)
    per_group = PER_GROUP[connection.vendor] + LAST_CLAIM[connection.vendor]
    _hire(enhet_a)
    today = START + datetime.timedelta(days=7)
    reminders.queue_daily_reminders(today)
    with exact_queries(FIRST_TIME + per_group):
        assert outbox.deliver_batch() == 3
    for _ in range(15):
        _hire(enhet_a)
    reminders.queue_daily_reminders(today)
    with exact_queries(per_group):
        assert outbox.deliver_batch() == 45
    # Every person got their own name, although each module's email was rendered once.
    names = {m.to[0]: m.body.split("!")[0] for m in mail.outbox}
    assert len(names) == 16
    assert all(body.startswith("Hej ") and "\ue000" not in body for body in names.values())


@pytest.mark.django_db
def test_a_name_is_escaped_in_the_html_of_a_shared_rendering(enhet_a, plan, course):
    _hire(enhet_a, full_name="<b>Ada</b> Lovelace")
    reminders.queue_daily_reminders(START + datetime.timedelta(days=7))
    assert _send() == 3
    message = mail.outbox[0]
    assert "Hej <b>Ada</b>!" in message.body
    assert "Hej &lt;b&gt;Ada&lt;/b&gt;!" in message.alternatives[0][0]


@pytest.mark.django_db
def test_reminders_reach_a_mail_server_that_refused_for_a_while(enhet_a, plan, course, smtp_server):
    """The reminder rows stay pending with backoff while the mail server is down, then go out
    once over one connection, with their rows' Message-IDs."""
    _hire(enhet_a)
    reminders.queue_daily_reminders(START + datetime.timedelta(days=7))
    assert _send() == 0
    assert {(r.status, r.attempts) for r in _reminder_rows()} == {("pending", 1)}
    assert all("ConnectionRefusedError" in r.last_error for r in _reminder_rows())
    smtp_server.start()
    assert _send() == 0  # not due yet: the backoff
    later = timezone.now() + datetime.timedelta(minutes=2)
    assert outbox.deliver_due(now=later) == 3
    assert len(smtp_server.messages) == 3
    assert smtp_server.connections == 1
    assert sorted(m["Message-ID"] for m in smtp_server.messages) == sorted(
        f"<outbox-{pk}@127.0.0.1>" for pk in _reminder_rows().values_list("pk", flat=True)
    )


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
    # Handed to a real SMTP server (aiosmtpd on loopback), each once.
    assert result["received"] == 30
    assert result["duplicates"] == 0
    assert "aiosmtpd" in result["email_transport"]
    # Queries per group, not per email: queue, then groups of 10 and 20 and the empty claim.
    assert result["queries"] <= 40
    call_command("bench_reminders", "--learners", "30")  # reuses the data set
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["reminders_sent"] == 30
