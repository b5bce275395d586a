"""A real Celery worker on the real Redis broker (CI: .ci/run starts Redis and PostgreSQL)."""

import datetime
import os

import pytest
from django.core import mail

from core import tasks as outbox_tasks
from core.models import OutboxMessage
from learning import reminders, tasks

REDIS_URL = os.environ.get("REDIS_URL")
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")


@pytest.fixture
def real_worker():
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    keys = ("broker_url", "result_backend", "task_always_eager", "broker_transport_options")
    saved = {k: app.conf[k] for k in keys}
    # The worker stops when its loop next wakes, which an idle worker does when its BRPOP on
    # the queue times out: 1 s by default, a tenth of that here.
    options = {**saved["broker_transport_options"], "polling_interval": 0.1}
    app.conf.update(
        broker_url=REDIS_URL,
        result_backend=REDIS_URL,
        task_always_eager=False,
        broker_transport_options=options,
    )
    _drop_cached_connections(app)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20):
            yield app
    finally:
        app.conf.update(saved)
        _drop_cached_connections(app)


def _drop_cached_connections(app):
    # Celery caches its broker pools and result backend; drop them so the new URLs take effect.
    app._pool = None
    app.amqp._producer_pool = None
    app.__dict__.pop("backend", None)
    app._local.__dict__.pop("backend", None)


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
