"""In-process page timings (issue 23): the benchmark's people and pages through Django's test
client against the same database, with no server or load generator in between; prints JSON.

    DATABASE_URL=postgres://introsteg:introsteg@localhost/introsteg_scale \\
        .venv/bin/python -m benchmarks.inprocess [--pages a,b] [--requests 50] [--explain]
        [--profile PAGE]

For each page: the queries of one warm request, and the minimum and median wall time of
--requests warm requests (the minimum is what a quiet machine gives; on a loaded one it is
steadier than a percentile). --explain prints EXPLAIN (ANALYZE, BUFFERS) of every query of the
warm request, planning time included, to stderr; --profile PAGE prints cProfile's top functions
over the warm requests of that page.
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import tempfile
import time

from benchmarks import pages as bench

DEFAULT_PAGES = "learner_dashboard,module_page,mentor_overview,bare_wagtail"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", default=DEFAULT_PAGES)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--learners", type=int, default=5)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--profile", default="")
    parser.add_argument(
        "--cache-url", default="", help="CACHE_URL, e.g. redis://…/0 (default: local memory)"
    )
    parser.add_argument(
        "--profile-clock",
        choices=("cpu", "wall"),
        default="cpu",
        help="cpu: this process's CPU time only (waits for PostgreSQL and for the cores left out)",
    )
    parser.add_argument(
        "--sql-repeat", type=int, default=0, help="run each query N times: its minimum time"
    )
    return parser.parse_args(argv)


def people(learners: int) -> dict:
    """The benchmark's people for the pages measured here (benchmarks.pages.targets without the
    follow-up accounts, which it would create)."""
    from django.urls import reverse

    from content.models import InfoPage
    from people.models import User
    from team.management.commands.seed_scale import BIG_UNIT_MANAGER

    dashboard, modules, mentor = bench.learners_and_mentor(learners)
    bare = InfoPage.objects.get(slug=bench.BARE_SLUG)
    leaver_admin, leaver = bench.leaver_with_open_items()
    return {
        "learner_dashboard": dashboard,
        "module_page": modules,
        "mentor_overview": [(mentor, reverse("mentoring:my_mentees"))],
        "bare_wagtail": [(dashboard[0][0], bare.url)],
        "team_500": [(User.objects.get(email=BIG_UNIT_MANAGER), reverse("team:overview"))],
        "leaver_50": [(leaver_admin, reverse("people:leaver", args=[leaver.pk]))],
    }


def explain(queries) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for number, query in enumerate(queries, 1):
            sql = query["sql"]
            print(f"\n=== query {number} ({query['time']} s)\n{sql}", file=sys.stderr)
            if not sql.lstrip("( ").upper().startswith(("SELECT", "WITH")):
                continue
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            print("\n".join(row[0] for row in cursor.fetchall()), file=sys.stderr)


def query_minimums(queries, repeat: int) -> list[float]:
    """Each captured query run `repeat` times on its own: the minimum in ms (plan + run +
    fetch, as the page pays them)."""
    from django.db import connection

    minimums = []
    with connection.cursor() as cursor:
        for query in queries:
            times = []
            for _ in range(repeat):
                started = time.perf_counter()
                cursor.execute(query["sql"])
                if cursor.description:
                    cursor.fetchall()
                times.append((time.perf_counter() - started) * 1000)
            minimums.append(round(min(times), 2))
    return minimums


def start_django(cache_url: str = "") -> None:
    """Django in this process as gunicorn runs it in benchmarks.pages (production settings,
    PostgreSQL from DATABASE_URL, the cache named or local memory), static files collected."""
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        raise SystemExit("Sätt DATABASE_URL till en PostgreSQL-databas.")
    static_root = os.path.join(tempfile.gettempdir(), "introsteg-static-inprocess")
    os.environ.update(bench.production_environment(static_root, cache_url=cache_url))
    sys.path.insert(0, str(bench.ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    if not os.path.exists(os.path.join(settings.STATIC_ROOT, "staticfiles.json")):
        call_command("collectstatic", interactive=False, verbosity=0)


def finish(result: dict) -> dict:
    """The figures with the machine's load and the cache they were measured with, printed as
    JSON (the benchmarks' last line)."""
    from django.conf import settings

    with open("/proc/loadavg") as loadavg:
        result["load"] = loadavg.read().split()[:3]
    result["cache"] = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    print(json.dumps(result))
    return result


def main(argv=None) -> dict:
    args = parse_args(argv)
    start_django(args.cache_url)
    from django.conf import settings
    from django.contrib.sessions.models import Session
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    wanted = [name for name in args.pages.split(",") if name]
    plan = {name: pairs for name, pairs in people(args.learners).items() if name in wanted}
    keys, result = {}, {}
    try:
        for name, pairs in plan.items():
            clients = []
            for user, path in pairs:
                if user.pk not in keys:
                    keys[user.pk] = bench.session_for(user)
                client = Client(HTTP_HOST="127.0.0.1")
                client.cookies[settings.SESSION_COOKIE_NAME] = keys[user.pk]
                assert client.get(path).status_code == 200, path  # noqa: S101 - warms caches
                clients.append((client, path))
            client, path = clients[0]
            with CaptureQueriesContext(connection) as captured:
                client.get(path)
            # A copy: the next request's request_started empties the connection's log.
            captured = list(captured.captured_queries)
            if args.explain:
                print(f"\n##### {name} {path}", file=sys.stderr)
                explain(captured)
            times, cpu_times = [], []
            clock = time.process_time if args.profile_clock == "cpu" else time.perf_counter
            profiler = cProfile.Profile(clock) if args.profile == name else None
            for number in range(args.requests):
                client, path = clients[number % len(clients)]
                if profiler:
                    profiler.enable()
                started, cpu_started = time.perf_counter(), time.process_time()
                response = client.get(path)
                times.append((time.perf_counter() - started) * 1000)
                cpu_times.append((time.process_time() - cpu_started) * 1000)
                if profiler:
                    profiler.disable()
                assert response.status_code == 200, path  # noqa: S101
            if profiler:
                out = io.StringIO()
                stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
                stats.print_stats(45)
                # Our own code (the project's directory, not the venv's packages).
                stats.print_stats(rf"{bench.ROOT.name}/(?!\.venv)", 40)
                stats.sort_stats("tottime").print_stats(30)
                if os.environ.get("PROFILE_DUMP"):
                    stats.dump_stats(os.environ["PROFILE_DUMP"])
                print(out.getvalue(), file=sys.stderr)
            result[name] = {
                "min_ms": round(min(times), 1),
                "median_ms": round(statistics.median(times), 1),
                # CPU time of this process: on a shared machine it moves far less with the
                # others' load than the wall time does (it leaves out PostgreSQL's own work).
                "cpu_min_ms": round(min(cpu_times), 1),
                "cpu_median_ms": round(statistics.median(cpu_times), 1),
                "queries": len(captured),
                "sql_ms": round(sum(float(q["time"]) for q in captured) * 1000, 1),
            }
            if args.sql_repeat:
                result[name]["query_min_ms"] = query_minimums(captured, args.sql_repeat)
            print(name, json.dumps(result[name]), file=sys.stderr)
    finally:
        Session.objects.filter(session_key__in=keys.values()).delete()
    return finish(result)


if __name__ == "__main__":
    main()
