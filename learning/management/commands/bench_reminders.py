"""Benchmark: the daily reminder job end to end for many learners; prints one JSON line.

    python manage.py bench_reminders --learners 50000

Builds the data set if it is missing (bulk inserts), then runs `daily_reminders` through a
Celery worker on the configured broker (CELERY_BROKER_URL, e.g. Redis) - or eagerly in-process
when no broker is set - with an in-memory email backend, and reports the time and the number
of SQL queries over every database connection (the worker's included).
"""

import contextlib
import datetime
import json
import threading
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.backends.signals import connection_created
from django.test.utils import override_settings
from django.utils import timezone

from content.models import CoursePage
from learning.models import Enrolment, ModuleDeadline, Reminder
from people.models import Organisation, Unit, User

EMAIL_DOMAIN = "bench.introsteg.invalid"


class _QueryCounter:
    def __init__(self):
        self.count = 0
        self._lock = threading.Lock()

    def __call__(self, execute, sql, params, many, context):
        with self._lock:
            self.count += 1
        return execute(sql, params, many, context)


class Command(BaseCommand):
    help = "Times the daily reminder job for N learners; prints JSON."

    def add_arguments(self, parser):
        parser.add_argument("--learners", type=int, default=50_000)

    def handle(self, *args, learners, **options):
        course = CoursePage.objects.live().order_by("path").first()
        module = course.modules().first() if course else None
        if module is None:
            raise CommandError("Kör seed_demo först: benchmarken behöver en publicerad kurs.")
        today = timezone.localdate()
        self.build(learners, course, module, today + datetime.timedelta(days=3))
        Reminder.objects.filter(user__email__endswith=EMAIL_DOMAIN).delete()

        counter = _QueryCounter()
        connection.execute_wrappers.append(counter)

        def wrap(sender, connection, **kwargs):
            # A connection object reconnects between tasks; count it once, not once per reconnect.
            if counter not in connection.execute_wrappers:
                connection.execute_wrappers.append(counter)

        connection_created.connect(wrap, weak=False)
        from learning.tasks import daily_reminders

        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            started = time.perf_counter()
            with _worker_if_broker():
                daily_reminders.delay()
                _wait_until_sent(learners)
            seconds = time.perf_counter() - started
        connection_created.disconnect(wrap)
        sent = Reminder.objects.filter(
            user__email__endswith=EMAIL_DOMAIN, sent_at__isnull=False
        ).count()
        self.stdout.write(
            json.dumps(
                {
                    "learners": learners,
                    "reminders_sent": sent,
                    "seconds": round(seconds, 2),
                    "queries": counter.count,
                }
            )
        )

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
        ModuleDeadline.objects.filter(enrolment_id__in=enrolment_ids, module=module).delete()
        ModuleDeadline.objects.bulk_create(
            [ModuleDeadline(enrolment_id=pk, module=module, due_date=due) for pk in enrolment_ids],
            batch_size=5000,
        )


@contextlib.contextmanager
def _worker_if_broker():
    """A real worker on the configured broker; nothing when tasks run eagerly."""
    from config.celery import app

    if app.conf.task_always_eager:
        yield
        return
    from celery.contrib.testing.worker import start_worker

    with start_worker(app, pool="solo", perform_ping_check=False):
        yield


def _wait_until_sent(expected: int, timeout: float = 600) -> None:
    """Every benchmark learner has been sent their reminder (the worker runs elsewhere)."""
    deadline = time.monotonic() + timeout
    sent = Reminder.objects.filter(user__email__endswith=EMAIL_DOMAIN, sent_at__isnull=False)
    while time.monotonic() < deadline and sent.count() < expected:
        time.sleep(0.1)
