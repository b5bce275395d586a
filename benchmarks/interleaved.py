"""The module page and the bare page interleaved in one process (issue 23, session 31): per
request the CPU time, the wall time and the garbage collector's own time; prints the minimum,
median, 90th percentile and mean of each page.

    DATABASE_URL=postgres://…/introsteg_scale .venv/bin/python -m benchmarks.interleaved \\
        [--requests 100] [--learners 50] [--cache-url redis://127.0.0.1:6384/0] [--no-freeze]

Why: benchmarks.inprocess reports the minimum of N requests, and the minima of the two pages
were within 1–3 ms while their medians (and gunicorn's throughput) differed by a third
(benchmarks/README.md, "Module page and Redis, session 31"). The pages alternate, so the load
from outside falls on both alike; each request is a random learner's; `gc.freeze()` as
config/wsgi.py applies it under gunicorn.
"""

import argparse
import gc
import importlib
import random
import statistics
import time

from benchmarks import pages as bench

PAGES = ("module_page", "bare_wagtail")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--learners", type=int, default=50)
    parser.add_argument("--cache-url", default="")
    parser.add_argument("--no-freeze", action="store_true")
    return parser.parse_args(argv)


def _summary(values: list[float]) -> dict:
    ordered = sorted(values)
    return {
        "min": round(ordered[0], 1),
        "median": round(statistics.median(ordered), 1),
        "p90": round(ordered[int(len(ordered) * 0.9)], 1),
        "mean": round(statistics.mean(ordered), 1),
    }


def main(argv=None) -> dict:
    args = parse_args(argv)
    from benchmarks.inprocess import finish, people, start_django

    start_django(args.cache_url)
    from django.conf import settings
    from django.contrib.sessions.models import Session
    from django.test import Client

    plan = people(args.learners)
    keys: dict[int, str] = {}
    clients: dict[str, list] = {name: [] for name in PAGES}
    try:
        for name in PAGES:
            for user, path in plan[name]:
                if user.pk not in keys:
                    keys[user.pk] = bench.session_for(user)
                client = Client(HTTP_HOST="127.0.0.1")
                client.cookies[settings.SESSION_COOKIE_NAME] = keys[user.pk]
                assert client.get(path).status_code == 200, path  # noqa: S101 - warms caches
                clients[name].append((client, path))
        if not args.no_freeze:
            importlib.import_module(settings.ROOT_URLCONF)
            gc.collect()
            gc.freeze()
        collecting = {"total": 0.0, "started": 0.0}

        def watch_gc(phase, info):
            if phase == "start":
                collecting["started"] = time.process_time()
            else:
                collecting["total"] += time.process_time() - collecting["started"]

        gc.callbacks.append(watch_gc)
        measured = {name: {"cpu": [], "wall": [], "gc": []} for name in PAGES}
        chooser = random.Random(0)
        for _ in range(args.requests):
            for name in PAGES:
                client, path = chooser.choice(clients[name])
                gc_before = collecting["total"]
                cpu_started, wall_started = time.process_time(), time.perf_counter()
                response = client.get(path)
                measured[name]["wall"].append((time.perf_counter() - wall_started) * 1000)
                measured[name]["cpu"].append((time.process_time() - cpu_started) * 1000)
                measured[name]["gc"].append((collecting["total"] - gc_before) * 1000)
                assert response.status_code == 200, path  # noqa: S101
        gc.callbacks.remove(watch_gc)
    finally:
        Session.objects.filter(session_key__in=keys.values()).delete()
    result = {
        name: {kind: _summary(values) for kind, values in data.items()}
        for name, data in measured.items()
    }
    result["bare_vs_module_cpu_median"] = round(
        result["bare_wagtail"]["cpu"]["median"] / result["module_page"]["cpu"]["median"], 2
    )
    return finish(result)


if __name__ == "__main__":
    main()
