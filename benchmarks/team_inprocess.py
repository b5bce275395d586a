"""Mitt team in-process (issue 23): min and median of N warm requests through Django's test
client, as the manager of the 500-person unit of the scale data set (seed_scale), with the
query count and the 1-minute load average. No server, no network: the web process's own time.

    DATABASE_URL=postgres://…/introsteg_scale_team .venv/bin/python -m benchmarks.team_inprocess 5

The editor's side of a module change (unpublish + publish of the last module of course 86):

    CELERY_BROKER_URL=redis://127.0.0.1:6380/1 DATABASE_URL=… \\
        .venv/bin/python -m benchmarks.team_inprocess --publish 86 1
"""

import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from people.models import User  # noqa: E402

MANAGER = "chef.storenhet@scale.introsteg.invalid"


def _get(client: Client, url: str) -> None:
    status = client.get(url).status_code
    if status != 200:
        raise SystemExit(f"{url}: HTTP {status}")


def main(requests: int) -> None:
    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    client.force_login(User.objects.get(email=MANAGER))
    url = reverse("team:overview")
    _get(client, url)  # warm
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        _get(client, url)
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    print(
        f"min {min(times):.0f} ms, median {statistics.median(times):.0f} ms, "
        f"queries {len(queries)}, load {os.getloadavg()[0]:.1f}"
    )


def publish(course_id: int, rounds: int) -> None:
    """The editor's side of a module structure change (issue 23): unpublish and publish again
    the last module of a course, each in its own transaction with its commit (and, with a
    broker, the hand-over to it), as the Wagtail admin does; then, with the outbox, the
    worker's side (`deliver_due`), and a check that the stored counts equal a rebuild."""
    from collections import Counter

    from django.db import transaction

    from content.models import CoursePage, ModulePage
    from core import outbox
    from learning import tallies
    from learning.models import ModuleDue, ModuleTally

    course = CoursePage.objects.get(pk=course_id)
    module = ModulePage.objects.child_of(course).order_by("-path").first()
    editor_ms, worker_ms = [], []
    for _ in range(rounds):
        for change in ("unpublish", "publish"):
            started = time.perf_counter()
            with transaction.atomic():
                if change == "unpublish":
                    module.unpublish()
                else:
                    module.save_revision().publish()
            editor_ms.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            # A run delivers the rows due when it starts: the chunks the course's row writes
            # are for the next run, as on a worker they are separate tasks.
            while outbox.deliver_due():
                pass
            worker_ms.append((time.perf_counter() - started) * 1000)
            module.refresh_from_db()

    def counted(rows):
        counts = Counter()
        for *key, modules in rows:
            counts[tuple(key)] += modules
        return counts

    stored = counted(
        ModuleTally.objects.filter(course_id=course_id).values_list(*tallies.COLUMNS).order_by()
    )
    fresh = counted(tallies._counted(ModuleDue.objects.filter(course_id=course_id)))
    print(
        f"course {course_id}: editor {', '.join(f'{ms:.0f}' for ms in editor_ms)} ms, "
        f"min {min(editor_ms):.0f} ms, median "
        f"{statistics.median(editor_ms):.0f} ms; worker (deliver_due) min {min(worker_ms):.0f} "
        f"ms, median {statistics.median(worker_ms):.0f} ms; counts right: {stored == fresh}; "
        f"load {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--publish":
        publish(int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
