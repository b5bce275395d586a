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
import os
import sys
import tempfile
import threading
import time

from benchmarks import pages as bench


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache-url", required=True)
    parser.add_argument("--pages", default="module_page,bare_wagtail,learner_dashboard")
    parser.add_argument("--views", type=int, default=5)
    return parser.parse_args(argv)


def main(argv=None) -> dict:
    args = parse_args(argv)
    static_root = os.path.join(tempfile.gettempdir(), "introsteg-static-inprocess")
    os.environ.update(bench.production_environment(static_root, cache_url=args.cache_url))
    sys.path.insert(0, str(bench.ROOT))
    import django

    django.setup()
    import redis
    from django.conf import settings
    from django.contrib.sessions.models import Session
    from django.test import Client

    from benchmarks.inprocess import people

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
            seen: list[str] = []
            ready = threading.Event()

            def watch(seen=seen, ready=ready):
                with server.monitor() as monitor:
                    ready.set()
                    for command in monitor.listen():
                        if "__stop__" in command["command"]:
                            return
                        seen.append(command["command"])

            watcher = threading.Thread(target=watch, daemon=True)
            watcher.start()
            ready.wait(5)
            time.sleep(0.2)
            for _ in range(args.views):
                client.get(path)
            time.sleep(0.2)
            server.get("__stop__")
            watcher.join(5)
            reads = [c for c in seen if not c.startswith(("HELLO", "CLIENT"))]
            counts = collections.Counter(c.split()[0] for c in reads)
            result[name] = {
                "per_view": {command: n / args.views for command, n in counts.items()},
                "one_view": reads[: len(reads) // args.views],
            }
    finally:
        Session.objects.filter(session_key__in=keys).delete()
    print(json.dumps(result, indent=1))
    return result


if __name__ == "__main__":
    main()
