"""The real parts the platform runs on: the database in use, and Redis as Celery's broker."""

import os
import runpy
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection


@pytest.mark.django_db
def test_database_is_the_configured_one():
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith("postgres") else "sqlite"
    assert connection.vendor == expected


@pytest.mark.parametrize(
    ("broker", "eager"), [("", True), ("redis://127.0.0.1:6379/5", False)], ids=["none", "redis"]
)
def test_tasks_run_eagerly_exactly_when_no_broker_is_configured(monkeypatch, broker, eager):
    """Read from the settings module itself, evaluated afresh: the tests' autouse fixture forces
    eager tasks on the live settings, so asserting those would prove nothing."""
    monkeypatch.setenv("CELERY_BROKER_URL", broker)
    values = runpy.run_path(str(Path(settings.BASE_DIR) / "config" / "settings.py"))
    assert values["CELERY_BROKER_URL"] == broker
    assert values["CELERY_TASK_ALWAYS_EAGER"] is eager


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL not set (CI sets it)")
def test_celery_reaches_the_real_redis_broker():
    from config.celery import app

    with app.connection_for_write(os.environ["REDIS_URL"]) as conn:
        conn.ensure_connection(max_retries=3)
        assert conn.connected
