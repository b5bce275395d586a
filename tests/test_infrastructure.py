"""The real parts the platform runs on: the database in use, and Redis as Celery's broker."""

import os

import pytest
from django.conf import settings
from django.db import connection


@pytest.mark.django_db
def test_database_is_the_configured_one():
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith("postgres") else "sqlite"
    assert connection.vendor == expected


def test_tasks_run_eagerly_without_a_broker():
    if os.environ.get("CELERY_BROKER_URL"):
        pytest.skip("a broker is configured")
    assert settings.CELERY_TASK_ALWAYS_EAGER


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL not set (CI sets it)")
def test_celery_reaches_the_real_redis_broker():
    from config.celery import app

    with app.connection_for_write(os.environ["REDIS_URL"]) as conn:
        conn.ensure_connection(max_retries=3)
        assert conn.connected
