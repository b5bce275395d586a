"""A real Celery worker on the real Redis broker (CI: .ci/run starts Redis and PostgreSQL)."""

import datetime
import os

import pytest
from django.core import mail

from core import tasks as outbox_tasks
from core.models import OutboxMessage
from learning import reminders, tasks
from tests import celery_worker

REDIS_URL = os.environ.get("REDIS_URL")
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")


@pytest.fixture
def real_worker():
    with celery_worker.real_worker() as app:
        yield app


@pytest.mark.skipif(not (REDIS_URL and ON_POSTGRES), reason="needs Redis and PostgreSQL (CI)")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reminder_is_delivered_exactly_once_when_the_batch_task_is_sent_twice(chef, real_worker):
    assert reminders.queue_weekly_digests(datetime.date(2026, 12, 7)) == 1
    pending = OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).count()
    first = outbox_tasks.deliver_batch.delay()
    second = outbox_tasks.deliver_batch.delay()
    # Each task claims what is still pending: together they deliver every row once.
    assert first.get(timeout=30) + second.get(timeout=30) == pending
    row = OutboxMessage.objects.get(handler=tasks.reminder_email.outbox_name)
    assert row.status == OutboxMessage.Status.DELIVERED
    digests = [m for m in mail.outbox if m.to == [chef.email]]
    assert len(digests) == 1
    assert digests[0].extra_headers["Message-ID"] == f"<outbox-{row.pk}@127.0.0.1>"
