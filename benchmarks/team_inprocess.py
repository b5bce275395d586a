"""Mitt team in-process (issue 23): min and median of N warm requests through Django's test
client, as the manager of the 500-person unit of the scale data set (seed_scale), with the
query count and the 1-minute load average. No server, no network: the web process's own time.

    DATABASE_URL=postgres://…/introsteg_scale_team .venv/bin/python -m benchmarks.team_inprocess 5
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


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
