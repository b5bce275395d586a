"""A Celery worker for `manage.py bench_reminders` that counts its SQL queries.

    python -m benchmarks.reminder_worker <count-dir> <ready-file> <concurrency>

Every worker process appends a counter to each database connection it opens and writes its
running total to <count-dir>/<pid> after each task; <ready-file> appears once the worker
consumes. The worker itself is the project's ordinary one (config.celery)."""

import os
import sys
import threading
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from celery import signals  # noqa: E402
from django.db.backends.signals import connection_created  # noqa: E402

from config.celery import app  # noqa: E402

count_dir, ready_file, concurrency = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
_count = [0]
_lock = threading.Lock()


def _counter(execute, sql, params, many, context):
    with _lock:
        _count[0] += 1
    return execute(sql, params, many, context)


def _wrap(sender, connection, **kwargs):
    # A connection object reconnects between tasks; count it once, not once per reconnect.
    if _counter not in connection.execute_wrappers:
        connection.execute_wrappers.append(_counter)


connection_created.connect(_wrap, weak=False)


@signals.worker_process_init.connect(weak=False)
def _child_starts(**kwargs):
    _count[0] = 0


@signals.task_postrun.connect(weak=False)
def _task_done(**kwargs):
    (count_dir / str(os.getpid())).write_text(str(_count[0]))


@signals.worker_ready.connect(weak=False)
def _ready(**kwargs):
    ready_file.write_text("ready")


if __name__ == "__main__":
    app.worker_main(
        [
            "worker",
            "--pool",
            "prefork" if int(concurrency) > 1 else "solo",
            "--concurrency",
            concurrency,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel",
            "WARNING",
        ]
    )
