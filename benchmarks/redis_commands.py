"""The Redis commands each page sends on a warm view (issue 23, session 31), as the server
received them (MONITOR), with the benchmark's people and pages and the cache on a Redis server
of its own (it is flushed first):

    DATABASE_URL=postgres://…/introsteg_scale .venv/bin/python -m benchmarks.redis_commands \\
        --cache-url redis://127.0.0.1:6384/0 [--pages module_page,bare_wagtail] [--views 5]

Prints, per page, the commands of one warm view and the count per command over --views views.
"""

import argparse
import collections
import json
import threading

from benchmarks import pages as bench


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache-url", required=True)
    parser.add_argument("--pages", default="module_page,bare_wagtail,learner_dashboard")
    parser.add_argument("--views", type=int, default=5)
    return parser.parse_args(argv)


def commands_during(url: str, action) -> list[str]:
    """Each command the server at `url` received for the database `url` names while `action()`
    ran, as the server wrote it (e.g. 'GET ":1:content:curriculum-generation"'). MONITOR shows
    every client of the server: another worker's commands (other databases) are left out."""
    import redis

    server = redis.Redis.from_url(url)
    database = server.connection_pool.connection_kwargs.get("db", 0)
    seen: list[str] = []
    ready = threading.Event()

    def watch():
        with server.monitor() as monitor:
            ready.set()
            for command in monitor.listen():
                text = command["command"]
                if "__stop__" in text:
                    return
                if int(command.get("db", database)) == database:
                    seen.append(text)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    ready.wait(5)
    try:
        action()
    finally:
        server.get("__stop__")
        watcher.join(5)
    return seen


def main(argv=None) -> dict:
    args = parse_args(argv)
    from benchmarks.inprocess import people, start_django

    start_django(args.cache_url)
    import redis
    from django.conf import settings
    from django.contrib.sessions.models import Session
    from django.test import Client

    server = redis.Redis.from_url(args.cache_url)
    server.flushdb()
    plan = people(3)
    keys, result = [], {}
    try:
        for name in [page for page in args.pages.split(",") if page]:
            user, path = plan[name][0]
            keys.append(bench.session_for(user))
            client = Client(HTTP_HOST="127.0.0.1")
            client.cookies[settings.SESSION_COOKIE_NAME] = keys[-1]
            client.get(path)
            client.get(path)
            seen = commands_during(
                args.cache_url, lambda client=client, path=path: _views(client, path, args.views)
            )
            reads = [c for c in seen if not c.startswith(("HELLO", "CLIENT", "SELECT"))]
            counts = collections.Counter(c.split()[0] for c in reads)
            result[name] = {
                "per_view": {command: n / args.views for command, n in counts.items()},
                "one_view": reads[: len(reads) // args.views],
            }
    finally:
        Session.objects.filter(session_key__in=keys).delete()
    print(json.dumps(result, indent=1))
    return result


def _views(client, path: str, views: int) -> None:
    for _ in range(views):
        client.get(path)


if __name__ == "__main__":
    main()
