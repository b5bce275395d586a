"""Killing a real Celery worker (SIGKILL) in the middle of a reminder batch loses nothing, and
only the group in flight at the kill can go out twice, with the same Message-IDs: acks_late +
reject_on_worker_lost put the batch task back on the real Redis broker, the killed group's
transaction rolls back (its rows stay pending, their locks go with the connection), and the
outbox's batch task claims only what is still pending.
"""

import contextlib
import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from core import outbox
from core import tasks as outbox_tasks
from core.models import OutboxMessage
from learning import reminders, tasks
from people.models import Membership, Role, User
from tests import celery_worker, redis_dbs
from tests.email_backends import SlowFileBackend
from tests.factories import UnitFactory

REDIS_URL = os.environ.get("REDIS_URL")
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")
ROOT = Path(__file__).resolve().parents[2]
MANAGERS = 24


def _broker_url() -> str:
    # A Redis database of its own, so other tests' queues never meet this one.
    return redis_dbs.url(REDIS_URL, redis_dbs.KILLED_WORKER, per_worker=False)


def _database_url() -> str:
    db = connection.settings_dict
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{host}/{db['NAME']}"


# The worker as `celery -A config worker --pool solo --without-gossip --without-mingle
# --without-heartbeat` builds it (celery/bin/worker.py: app.Worker(...).start()), without the
# command line around it: celery's CLI imports click-repl and prompt_toolkit for its `shell`
# and `amqp` commands, 0.45 of a worker's 1.9 s of start-up CPU. One process loads Django and
# the task modules once (with the garbage collector waiting: its passes over the growing heap
# cost 0.4 s more), and each worker is a fork of it: a process of its own, with its own broker
# and database connections (nothing is connected before the fork), killed as before. A second
# load for the second worker was 1.15 s of CPU. The loader answers on stdout: "start NAME LOG
# MAIL_SECONDS" -> the worker's pid (its mail server takes MAIL_SECONDS an email);
# "wait PID SECONDS" -> its exit code, or "alive".
_WORKERS = """
import gc
gc.disable()
import os, sys, time, traceback
from celery.utils.nodenames import default_nodename, host_format
from config.celery import app
app.loader.import_default_modules()  # Django and the task modules, as the worker's start does
gc.freeze()
gc.enable()


def run(name, log, mail_seconds):
    from tests.email_backends import SlowFileBackend

    SlowFileBackend.DELAY_SECONDS = float(mail_seconds)
    os.dup2(os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 2)
    os.dup2(os.open(os.devnull, os.O_RDWR), 0)
    os.dup2(os.open(os.devnull, os.O_RDWR), 1)
    worker = app.Worker(
        hostname=host_format(default_nodename(name)),
        pool_cls="solo",
        loglevel="WARNING",
        without_gossip=True,
        without_mingle=True,
        without_heartbeat=True,
    )
    worker.start()
    os._exit(worker.exitcode or 0)


def wait(pid, seconds):
    deadline = time.monotonic() + seconds
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        if time.monotonic() > deadline:
            return "alive"
        time.sleep(0.02)


for line in sys.stdin:
    command, *args = line.split()
    if command == "start":
        pid = os.fork()
        if pid == 0:
            try:
                run(*args)
            except BaseException:  # a worker that fails to start ends here, not in this loop
                traceback.print_exc()
            os._exit(1)
        print(pid, flush=True)
    elif command == "wait":
        print(wait(int(args[0]), float(args[1])), flush=True)
"""


class _Workers:
    def __init__(self, tmp_path):
        self.tmp_path = tmp_path
        env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "CELERY_BROKER_URL": _broker_url(),
            "CELERY_VISIBILITY_TIMEOUT": "3",
            # Celery's Django fix-up runs Django's system checks at every worker start (0.15 s
            # of CPU: they load every URL module); `manage.py check` runs them for the suite,
            # and nothing here is about them.
            "CELERY_SKIP_CHECKS": "1",
            "EMAIL_BACKEND": "tests.email_backends.SlowFileBackend",
            "EMAIL_FILE_PATH": str(tmp_path / "sent"),
        }
        self.loader = subprocess.Popen(  # noqa: S603 - our own interpreter and script
            [sys.executable, "-c", _WORKERS],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=(tmp_path / "loader.log").open("w"),
            text=True,
        )

    def _ask(self, question: str) -> str:
        self.loader.stdin.write(question + "\n")
        self.loader.stdin.flush()
        answer = self.loader.stdout.readline().strip()
        assert answer, (self.tmp_path / "loader.log").read_text()
        return answer

    def start(self, name: str, *, mail_seconds: float) -> int:
        return int(self._ask(f"start {name}@%h {self.tmp_path / name}.log {mail_seconds}"))

    def wait(self, pid: int, seconds: float) -> int | None:
        answer = self._ask(f"wait {pid} {seconds}")
        return None if answer == "alive" else int(answer)

    def stop(self, pid: int, sig: signal.Signals, seconds: float) -> int | None:
        """Send `sig` to the worker and wait for it to end (SIGKILL if it does not)."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)
        code = self.wait(pid, seconds)
        if code is None:
            os.kill(pid, signal.SIGKILL)
            self.wait(pid, 10)
        return code

    def close(self) -> None:
        self.loader.stdin.close()
        self.loader.wait(timeout=10)


@pytest.fixture
def workers(tmp_path):
    started = _Workers(tmp_path)
    yield started
    started.close()


def _reminder_rows():
    return OutboxMessage.objects.filter(handler=tasks.reminder_email.outbox_name)


def _sent_count() -> int:
    return _reminder_rows().filter(status=OutboxMessage.Status.DELIVERED).count()


@pytest.fixture
def producer():
    """Our Celery app in this process, sending to the real broker instead of running eagerly."""
    import redis

    from config.celery import app

    redis.Redis.from_url(_broker_url()).flushdb()
    with celery_worker.configured(app, broker_url=_broker_url(), task_always_eager=False):
        yield app


@pytest.mark.skipif(not (REDIS_URL and ON_POSTGRES), reason="needs Redis and PostgreSQL (CI)")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_killed_worker_loses_nothing_and_resends_only_its_group_in_flight(
    tmp_path, producer, workers
):
    unit = UnitFactory()
    users = User.objects.bulk_create(
        User(email=f"chef{n}@example.org", full_name=f"Chef {n}") for n in range(MANAGERS)
    )
    Membership.objects.bulk_create(
        Membership(
            user=u,
            unit=unit,
            organisation=unit.organisation,
            role=Role.MANAGER,
            start_date=datetime.date(2026, 1, 1),
        )
        for u in users
    )
    assert reminders.queue_weekly_digests(datetime.date(2026, 12, 7)) == MANAGERS
    expected_ids = {outbox.message_id(pk) for pk in _reminder_rows().values_list("pk", flat=True)}

    # The first worker's mail server is slow (0.3 s an email), so that it can be killed in the
    # middle of its batch; the second's is not: it only has to send the rest (14 emails, 4.2 s
    # of waiting at 0.3 s each).
    first = workers.start("first", mail_seconds=SlowFileBackend.DELAY_SECONDS)
    try:
        # Two batch tasks, as the weekly job hands over (one would do: each claims what is due).
        outbox_tasks.deliver_batch.delay()
        outbox_tasks.deliver_batch.delay()
        # Kill the worker right after a group is committed: it is then in the middle of its
        # batch, with the next group claimed and waiting on the (slow) mail server.
        deadline = time.monotonic() + 60
        while _sent_count() < 5 and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        killed = workers.stop(first, signal.SIGKILL, 10)
    assert killed == -signal.SIGKILL, killed
    killed_at = _sent_count()
    assert 5 <= killed_at < MANAGERS, "the worker should die half-way through"

    second = workers.start("second", mail_seconds=0)
    try:
        deadline = time.monotonic() + 90
        while _sent_count() < MANAGERS and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stopped = workers.stop(second, signal.SIGTERM, 30)
    assert stopped is not None, "the second worker should stop on SIGTERM"

    assert _sent_count() == MANAGERS, (tmp_path / "second.log").read_text()
    message_ids = []
    for path in (tmp_path / "sent").glob("*.eml"):
        for line in path.read_text().splitlines():
            if line.lower().startswith("message-id:"):
                message_ids.append(line.split(":", 1)[1].strip())
    assert set(message_ids) == expected_ids  # every reminder sent, with its row's Message-ID
    # Only the group in flight at the kill can go out again: with this slow mail server (0.3 s
    # an email) the first group is outbox.GROUP_FIRST emails, then groups shrink to about
    # GROUP_SECONDS of sending, one email here; the kill comes after the first group's commit.
    assert outbox.GROUP_FIRST < MANAGERS
    assert len(message_ids) - MANAGERS <= 1
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
