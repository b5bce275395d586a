"""Benchmark: the daily reminder job end to end for many learners; prints one JSON line.

    python manage.py bench_reminders --learners 50000

Builds the data set if it is missing (bulk inserts), starts a real SMTP server on loopback
(aiosmtpd, in a process of its own) and, with a broker configured (CELERY_BROKER_URL, e.g.
Redis), a real Celery worker in its own process (benchmarks/reminder_worker.py, --concurrency
processes, default one per core) that sends through Django's SMTP backend to that server.
Then it times `daily_reminders` from the moment it is queued until every reminder is marked
delivered in the outbox and received by the server. Without a broker the job runs eagerly
in-process (tests), still over real SMTP. Reports what the server received next to what the
outbox marked sent, the duplicates by Message-ID, the SQL queries of every worker process
(the benchmark's own polling not included) and the load average.
"""

import contextlib
import datetime
import json
import logging
import multiprocessing
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import aiosmtpd
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import timezone

from content.models import CoursePage
from core.models import OutboxMessage
from learning.models import Enrolment, ModuleDeadline
from people.models import Organisation, Unit, User

EMAIL_DOMAIN = "bench.introsteg.invalid"
ROOT = Path(settings.BASE_DIR)
MESSAGE_ID = re.compile(rb"^Message-ID: *(\S+)", re.IGNORECASE | re.MULTILINE)


class _QueryCounter:
    def __init__(self):
        self.count = 0
        self._lock = threading.Lock()

    def __call__(self, execute, sql, params, many, context):
        with self._lock:
            self.count += 1
        return execute(sql, params, many, context)


class _Received:
    """aiosmtpd handler: counts what the server accepted, for the benchmark's addresses. It
    lives in the server's own process, where only the event loop's thread writes the counts
    (so they need no lock); the benchmark reads them. Minimal work per message: a mail
    server's own work is not what the benchmark measures."""

    def __init__(self, counts):
        self.counts = counts  # total, ours, connections (shared memory)
        self.message_ids = set()
        self._ours = b"@" + EMAIL_DOMAIN.encode()

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # noqa: N802
        self.counts[2].value += 1
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        content = envelope.original_content
        head = content.find(b"\r\n\r\n")  # the Message-ID is a header: search only those
        found = MESSAGE_ID.search(content, 0, head + 2 if head >= 0 else len(content))
        if found:
            self.message_ids.add(found.group(1))
        self.counts[0].value += 1
        if all(rcpt.encode().endswith(self._ours) for rcpt in envelope.rcpt_tos):
            self.counts[1].value += 1
        return "250 OK"


def _event_loop():
    """uvloop where installed (the dev dependencies have it), else asyncio's own loop."""
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop()


def _loop_name() -> str:
    try:
        import uvloop
    except ImportError:
        return "asyncio"
    return f"uvloop {uvloop.__version__}"


def _serve(port: int, counts, ready, stop, results) -> None:
    """The SMTP server process: aiosmtpd on loopback until `stop` is set."""
    from aiosmtpd.controller import Controller

    from benchmarks.reminder_smtp import BlockDataSMTP

    class _Controller(Controller):
        def factory(self):
            return BlockDataSMTP(self.handler, **self.SMTP_kwargs)

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # a line per SMTP command
    handler = _Received(counts)
    loop = _event_loop()
    controller = _Controller(handler, hostname="127.0.0.1", port=port, loop=loop)
    controller.start()
    ready.set()
    stop.wait()
    controller.stop()
    results.put(len(handler.message_ids))


class _Server:
    """What the benchmark sees of the server process."""

    def __init__(self, context):
        self.hostname = "127.0.0.1"
        self.port = _free_port()
        self._counts = tuple(context.RawValue("q", 0) for _ in range(3))
        self.message_ids = 0
        self.pid = None

    @property
    def total(self) -> int:
        return self._counts[0].value

    @property
    def ours(self) -> int:
        return self._counts[1].value

    @property
    def connections(self) -> int:
        return self._counts[2].value


@contextlib.contextmanager
def _smtp_server():
    """aiosmtpd in a process of its own, as a real mail server is: in a thread of this process
    it shared the interpreter lock with the benchmark's polling and slowed both. Forked before
    any thread starts; the child never touches the database connection it inherits."""
    context = multiprocessing.get_context("fork")
    server = _Server(context)
    ready, stop, results = context.Event(), context.Event(), context.Queue()
    process = context.Process(
        target=_serve, args=(server.port, server._counts, ready, stop, results), daemon=True
    )
    process.start()
    server.pid = process.pid
    if not ready.wait(30):
        process.kill()
        raise CommandError("SMTP-servern startade inte.")
    try:
        yield server, server
    finally:
        stop.set()
        with contextlib.suppress(Exception):
            server.message_ids = results.get(timeout=30)
        process.join(timeout=30)
        if process.is_alive():
            process.kill()


_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used (Linux /proc; 0 where unreadable). The
    machine is shared, so the benchmark reports CPU per process, which load does not move
    much, next to wall time, which it does."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICKS  # utime, stime


def _process_tree(pid: int) -> list[int]:
    """`pid` and its descendants (the Celery main process and its pool processes)."""
    children = defaultdict(list)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rpartition(")")[2].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children[ppid].append(int(entry.name))
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(children[current])
    return tree


def _database_cpu(*, own: bool) -> dict[int, float]:
    """CPU of each PostgreSQL backend serving this database (the benchmark's own only with
    `own`, when the job runs in-process)."""
    if connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND (%s OR pid <> pg_backend_pid())",
            [own],
        )
        return {pid: _cpu_seconds(pid) for (pid,) in cursor.fetchall()}


def _broker_cpu() -> float | None:
    """The Redis server's own CPU seconds (INFO cpu), when the broker is Redis."""
    url = settings.CELERY_BROKER_URL or ""
    if not url.startswith("redis"):
        return None
    import redis

    try:
        info = redis.Redis.from_url(url).info("cpu")
    except redis.RedisError:
        return None
    return info["used_cpu_user"] + info["used_cpu_sys"]


class _CPU:
    """CPU seconds per part (worker processes, SMTP server, PostgreSQL backends, Redis) used
    between `start` and `stop`."""

    def __init__(self, *, worker_pid: int | None, server_pid: int):
        self.worker_pid, self.server_pid = worker_pid, server_pid
        self.seconds = {}

    def _sample(self) -> dict:
        own = self.worker_pid is None
        worker = (
            sum(os.times()[:2])
            if own
            else sum(_cpu_seconds(pid) for pid in _process_tree(self.worker_pid))
        )
        return {
            "worker": worker,
            "smtp_server": _cpu_seconds(self.server_pid),
            "postgresql": _database_cpu(own=own),
            "redis": _broker_cpu(),
        }

    def start(self) -> None:
        self._before = self._sample()
        self._database = dict(self._before["postgresql"])
        self._sampled = time.monotonic()

    def sample_database(self) -> None:
        """Backends end with their worker's task (Django closes the connection), so their
        CPU is read during the run too, at most every 0.2 s; the last one of each is kept."""
        if time.monotonic() - self._sampled >= 0.2:
            self._database.update(_database_cpu(own=self.worker_pid is None))
            self._sampled = time.monotonic()

    def stop(self) -> None:
        after, before = self._sample(), self._before
        after["postgresql"] = {**self._database, **after["postgresql"]}
        self.seconds = {
            "worker": after["worker"] - before["worker"],
            "smtp_server": after["smtp_server"] - before["smtp_server"],
            "postgresql": sum(
                cpu - before["postgresql"].get(pid, 0.0) for pid, cpu in after["postgresql"].items()
            ),
        }
        if after["redis"] is not None and before["redis"] is not None:
            self.seconds["redis"] = after["redis"] - before["redis"]
        self.seconds = {part: round(value, 2) for part, value in self.seconds.items()}


def _free_port() -> int:
    import socket

    with contextlib.closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Command(BaseCommand):
    help = "Times the daily reminder job for N learners through real SMTP; prints JSON."

    def add_arguments(self, parser):
        parser.add_argument("--learners", type=int, default=50_000)
        parser.add_argument(
            "--concurrency", type=int, default=os.cpu_count() or 1, help="worker processes"
        )

    def handle(self, *args, learners, concurrency, **options):
        from config.celery import app

        course = CoursePage.objects.live().order_by("path").first()
        module = course.modules().first() if course else None
        if module is None:
            raise CommandError("Kör seed_demo först: benchmarken behöver en publicerad kurs.")
        today = timezone.localdate()
        self.build(learners, course, module, today + datetime.timedelta(days=3))
        ours = _reminder_rows()
        ours.delete()  # earlier runs' rows: their keys would make today's run a no-op

        with _smtp_server() as (controller, received):
            email = {
                "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "EMAIL_HOST": controller.hostname,
                "EMAIL_PORT": controller.port,
                "EMAIL_HOST_USER": "",
                "EMAIL_HOST_PASSWORD": "",
                "EMAIL_USE_TLS": False,
                "EMAIL_USE_SSL": False,
            }
            if app.conf.task_always_eager:
                worker = f"eager, in-process ({connection.vendor})"
                counter = _QueryCounter()
                cpu = _CPU(worker_pid=None, server_pid=controller.pid)
                with override_settings(**email), connection.execute_wrapper(counter):
                    seconds = self.run_job(learners, received, cpu)
                queries = counter.count
            else:
                worker = f"celery worker, {concurrency} process(es), {connection.vendor}"
                tally = {}
                with _worker(concurrency, controller.port, tally) as worker_pid:
                    cpu = _CPU(worker_pid=worker_pid, server_pid=controller.pid)
                    seconds = self.run_job(learners, received, cpu)
                queries = tally["queries"]
            transport = (
                f"SMTP to aiosmtpd {aiosmtpd.__version__} (own process, DATA read in blocks, "
                f"{_loop_name()}) on {controller.hostname}:{controller.port} "
                "(django.core.mail.backends.smtp.EmailBackend)"
            )
        sent = ours.filter(status=OutboxMessage.Status.DELIVERED).count()
        self.stdout.write(
            json.dumps(
                {
                    "learners": learners,
                    "reminder_concurrency": concurrency,
                    "reminders_sent": sent,
                    "received": received.ours,
                    "received_other": received.total - received.ours,
                    "duplicates": received.total - received.message_ids,
                    "smtp_connections": received.connections,
                    "email_transport": transport,
                    "worker": worker,
                    "seconds": round(seconds, 2),
                    "queries": queries,
                    "cpu_seconds": cpu.seconds,
                    "cpu_ms_per_email": {
                        part: round(1000 * value / max(sent, 1), 3)
                        for part, value in cpu.seconds.items()
                    },
                    "load_average_1min": round(os.getloadavg()[0], 2),
                }
            )
        )

    def run_job(self, learners: int, received: _Server, cpu: _CPU) -> float:
        from learning.tasks import daily_reminders

        cpu.start()
        started = time.perf_counter()
        daily_reminders.delay()
        _wait_until_sent(learners, received, cpu)
        seconds = time.perf_counter() - started
        cpu.stop()
        return seconds

    @transaction.atomic
    def build(self, learners: int, course, module, due: datetime.date) -> None:
        existing = User.objects.filter(email__endswith=EMAIL_DOMAIN).count()
        if existing < learners:
            organisation, _ = Organisation.objects.get_or_create(
                name="Benchmarkkommun", defaults={"county": "Testlän"}
            )
            Unit.objects.get_or_create(organisation=organisation, name="Benchmarkenheten")
            User.objects.bulk_create(
                [
                    User(
                        email=f"larande{n}@{EMAIL_DOMAIN}",
                        full_name=f"Lärande {n}",
                        password="!",  # unusable: these accounts never log in
                    )
                    for n in range(existing, learners)
                ],
                batch_size=5000,
            )
        users = list(
            User.objects.filter(email__endswith=EMAIL_DOMAIN)
            .order_by("pk")
            .values_list("pk", flat=True)[:learners]
        )
        enrolled = set(
            Enrolment.objects.filter(course=course, user_id__in=users).values_list(
                "user_id", flat=True
            )
        )
        Enrolment.objects.bulk_create(
            [Enrolment(user_id=pk, course=course) for pk in users if pk not in enrolled],
            batch_size=5000,
        )
        enrolment_ids = list(
            Enrolment.objects.filter(course=course, user_id__in=users).values_list("pk", flat=True)
        )
        # Only these learners are due: earlier runs with more learners left deadlines behind.
        ModuleDeadline.objects.filter(
            enrolment__user__email__endswith=EMAIL_DOMAIN, module=module
        ).delete()
        ModuleDeadline.objects.bulk_create(
            [ModuleDeadline(enrolment_id=pk, module=module, due_date=due) for pk in enrolment_ids],
            batch_size=5000,
        )


def _reminder_rows():
    from learning.tasks import reminder_email

    return OutboxMessage.objects.filter(
        handler=reminder_email.outbox_name,
        recipient_id__in=User.objects.filter(email__endswith=EMAIL_DOMAIN).values("pk"),
    )


@contextlib.contextmanager
def _worker(concurrency: int, smtp_port: int, tally: dict):
    """A real worker process on the configured broker and database, sending to the server;
    once it has stopped, tally["queries"] is what its processes ran."""
    with tempfile.TemporaryDirectory() as count_dir:
        ready = Path(count_dir) / "ready"
        env = {
            **os.environ,
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        }
        counts = Path(count_dir) / "queries"
        counts.mkdir()
        process = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "benchmarks.reminder_worker",
                str(counts),
                str(ready),
                str(concurrency),
            ],
            cwd=ROOT,
            env=env,
        )
        try:
            deadline = time.monotonic() + 120
            while not ready.exists():
                if process.poll() is not None or time.monotonic() > deadline:
                    raise CommandError("Celery-workern startade inte.")
                time.sleep(0.1)
            yield process.pid
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
            tally["queries"] = sum(int(path.read_text()) for path in counts.iterdir())


def _wait_until_sent(expected: int, received: _Server, cpu: _CPU, timeout: float = 900) -> None:
    """Every benchmark learner's reminder was received by the server and marked delivered.
    Fails when nothing moves for STALL_SECONDS (a worker that cannot send, a broken schema)
    rather than waiting out the whole timeout."""
    deadline = time.monotonic() + timeout
    seen, moved = -1, time.monotonic()
    while time.monotonic() < deadline and received.ours < expected:
        if received.ours != seen:
            seen, moved = received.ours, time.monotonic()
        elif time.monotonic() - moved > STALL_SECONDS:
            raise CommandError(
                f"Inget hände på {STALL_SECONDS} s: {seen} av {expected} påminnelser mottagna."
            )
        cpu.sample_database()
        time.sleep(0.05)
    delivered = _reminder_rows().filter(status=OutboxMessage.Status.DELIVERED)
    while time.monotonic() < deadline and delivered.count() < expected:
        time.sleep(0.05)


STALL_SECONDS = 120
