"""The transactional outbox: written with the change, delivered after commit, retried with
backoff for a day while the mail server refuses (a real local SMTP socket), then failed."""

import datetime
import time

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from core import outbox
from core.models import OutboxMessage
from people.models import AccessibilityReport, Role, User
from people.selectors import DELIVERY_KINDS
from people.services import invite_person
from people.views import INVITATION_SENT

START = timezone.localdate() + datetime.timedelta(days=2)
EMAIL = "ny.kollega@example.org"


def _invite(actor, unit, email=EMAIL):
    return invite_person(
        actor, email=email, full_name="Ny Kollega", unit=unit, role=Role.NEW_HIRE, start_date=START
    )


def _invitation_rows():
    return OutboxMessage.objects.filter(handler="people.tasks.invitation_email")


@pytest.mark.django_db
def test_the_row_commits_with_the_change_or_not_at_all(kommunadmin, enhet_a):
    with pytest.raises(RuntimeError), transaction.atomic():
        _invite(kommunadmin, enhet_a)
        assert _invitation_rows().count() == 1
        raise RuntimeError("the business transaction fails after the invitation")
    assert not _invitation_rows().exists()
    assert not User.objects.filter(email=EMAIL).exists()


@pytest.mark.django_db
def test_a_refusing_mail_server_is_retried_with_backoff_for_a_day_then_failed(
    kommunadmin, enhet_a, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        _invite(kommunadmin, enhet_a)
    row = _invitation_rows().get()
    before = timezone.now()
    assert outbox.deliver(row.pk) is False
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboxMessage.Status.PENDING, 1)
    assert "ConnectionRefusedError" in row.last_error
    assert before + datetime.timedelta(seconds=59) < row.next_attempt_at
    assert row.next_attempt_at < timezone.now() + datetime.timedelta(seconds=61)
    # Not due yet: the periodic job leaves it alone (and delivers the onboarding plan's row).
    outbox.deliver_due()
    assert OutboxMessage.objects.get(pk=row.pk).attempts == 1
    # Doubling waits, capped at an hour.
    assert outbox.backoff(2) == datetime.timedelta(minutes=2)
    assert outbox.backoff(20) == datetime.timedelta(hours=1)
    later = timezone.now() + datetime.timedelta(hours=23)
    assert outbox.deliver_due(now=later) == 0
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboxMessage.Status.PENDING, 2)
    # Still refused a day after it was written: failed, for the municipal admin to see.
    OutboxMessage.objects.filter(pk=row.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=24, minutes=1)
    )
    assert outbox.deliver_due(now=later + datetime.timedelta(hours=1)) == 0
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboxMessage.Status.FAILED, 3)
    assert smtp_server.messages == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_invitation_reaches_a_mail_server_that_refused_for_a_while(
    client, kommunadmin, enhet_a, smtp_server
):
    """The mail server is down when the admin invites (no broker: delivered in-process right
    after the commit): the admin gets the normal answer, the email goes out once the server
    accepts, exactly once and with the row's Message-ID."""
    client.force_login(kommunadmin)
    data = {
        "full_name": "Ny Kollega",
        "email": EMAIL,
        "unit": enhet_a.pk,
        "role": Role.NEW_HIRE,
        "start_date": START.isoformat(),
    }
    response = client.post(reverse("people:invite"), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("people:staff")
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        str(INVITATION_SENT % {"email": EMAIL})
    ]
    row = _invitation_rows().get()
    assert (row.status, row.attempts) == (OutboxMessage.Status.PENDING, 1)
    soon = timezone.now() + datetime.timedelta(minutes=2)
    assert outbox.deliver_due(now=soon) == 0  # still refused
    smtp_server.start()
    assert outbox.deliver_due(now=soon + datetime.timedelta(minutes=5)) == 1
    assert outbox.deliver_due(now=soon + datetime.timedelta(days=2)) == 0
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["To"] == EMAIL
    assert "Introsteg" in message["Subject"]
    assert message["Message-ID"] == f"<outbox-{row.pk}@127.0.0.1>"
    row.refresh_from_db()
    assert row.status == OutboxMessage.Status.DELIVERED
    assert row.attempts == 3
    assert row.delivered_at is not None


@pytest.mark.django_db
def test_a_duplicated_delivery_sends_nothing_more(
    kommunadmin, enhet_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(kommunadmin, enhet_a)
    row = _invitation_rows().get()
    assert row.status == OutboxMessage.Status.DELIVERED
    assert outbox.deliver(row.pk) is False
    assert outbox.deliver_due(now=timezone.now() + datetime.timedelta(days=1)) == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].extra_headers["Message-ID"] == f"<outbox-{row.pk}@127.0.0.1>"


@pytest.mark.django_db
def test_an_accessibility_report_is_kept_while_the_mail_server_is_down(
    client, smtp_server, kommunadmin, ny, django_capture_on_commit_callbacks
):
    client.force_login(ny)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("people:accessibility"), {"description": "Knappen."})
    assert response.status_code == 302
    row = OutboxMessage.objects.get(handler__endswith="accessibility_report_email")
    assert (row.status, row.recipient_id) == (OutboxMessage.Status.PENDING, kommunadmin.pk)
    smtp_server.start()
    assert outbox.deliver_due(now=timezone.now() + datetime.timedelta(hours=1)) >= 1
    assert [m["To"] for m in smtp_server.messages] == [kommunadmin.email]
    assert AccessibilityReport.objects.count() == 1


def test_only_registered_handlers_run_and_every_handler_has_a_label_for_the_admin():
    # Every module that registers handlers, as a worker's autodiscovery loads them; the test
    # must not depend on which other tests ran before it on this worker.
    import importlib
    import importlib.util

    from django.apps import apps

    import people.accessibility.services  # noqa: F401

    for config in apps.get_app_configs():  # every app's tasks module, as Celery's autodiscovery
        if importlib.util.find_spec(f"{config.name}.tasks") is not None:
            importlib.import_module(f"{config.name}.tasks")

    ours = {name for name in outbox._HANDLERS if not name.startswith("tests.")}
    assert ours == set(DELIVERY_KINDS)
    with pytest.raises(KeyError):
        outbox._resolve("os.system")
    with pytest.raises(ValueError, match="not an outbox handler"):
        outbox.enqueue(print)


@pytest.mark.django_db
def test_the_periodic_delivery_runs_every_minute():
    entry = PeriodicTask.objects.get(task="core.tasks.deliver_due")
    assert entry.enabled
    assert (entry.crontab.minute, entry.crontab.hour) == ("*", "*")
    assert PeriodicTask.objects.filter(task="core.tasks.purge_delivered").exists()


@pytest.mark.django_db
def test_delivered_rows_are_forgotten_after_the_keep_period_and_failed_ones_kept(
    kommunadmin, enhet_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(kommunadmin, enhet_a)
        _invite(kommunadmin, enhet_a, email="andra@example.org")
    _first, second = _invitation_rows().order_by("pk")
    OutboxMessage.objects.filter(pk=second.pk).update(status=OutboxMessage.Status.FAILED)
    assert outbox.purge_delivered(now=timezone.now() + datetime.timedelta(days=29)) == 0
    assert outbox.purge_delivered(now=timezone.now() + datetime.timedelta(days=31)) >= 1
    assert list(_invitation_rows()) == [second]
    # A failed row stays on the admin's list for OUTBOX_KEEP_FAILED_DAYS, then goes too.
    assert outbox.purge_delivered(now=timezone.now() + datetime.timedelta(days=89)) == 0
    assert outbox.purge_delivered(now=timezone.now() + datetime.timedelta(days=91)) == 1
    assert not _invitation_rows().exists()


@pytest.mark.django_db
def test_forgetting_a_resend_forgets_the_failure_it_replaced(
    kommunadmin, enhet_a, django_capture_on_commit_callbacks
):
    # With the old row kept, the failure (and its resend button) came back once the resend
    # was purged.
    with django_capture_on_commit_callbacks(execute=True):
        _invite(kommunadmin, enhet_a)
    failed = _invitation_rows().get()
    resend = OutboxMessage.objects.create(
        handler=failed.handler, args=failed.args, recipient_id=failed.recipient_id
    )
    OutboxMessage.objects.filter(pk=failed.pk).update(
        status=OutboxMessage.Status.FAILED, replaced_by=resend
    )
    OutboxMessage.objects.filter(pk=resend.pk).update(
        status=OutboxMessage.Status.DELIVERED, delivered_at=timezone.now()
    )
    outbox.purge_delivered(now=timezone.now() + datetime.timedelta(days=31))
    assert not OutboxMessage.objects.filter(pk__in=[failed.pk, resend.pk]).exists()


@pytest.mark.django_db
def test_after_a_broker_failure_the_process_leaves_rows_to_the_periodic_job(
    kommunadmin, enhet_a, django_capture_on_commit_callbacks
):
    # A bulk invitation writes a row per person: one refused hand-off must not cost every
    # other row its own 0.3 s attempt against a broker that is down.
    outbox._broker_down_until = time.monotonic() + outbox.BROKER_PAUSE_SECONDS
    with django_capture_on_commit_callbacks(execute=True):
        _invite(kommunadmin, enhet_a)
    assert _invitation_rows().get().status == OutboxMessage.Status.PENDING
    assert mail.outbox == []
    outbox._broker_down_until = 0.0
    assert outbox.deliver_due() >= 1
    assert len(mail.outbox) == 1
