"""For tests that count round trips to the shared cache (with
benchmarks.redis_commands.commands_during, the server's MONITOR feed): a database of the
worker's own."""

import os


def worker_url(url: str) -> str:
    """`url` with a database of this xdist worker's own (12 + its number; the workers' caches
    are 10 + theirs, tests/conftest.py, and Redis has 16): a test that counts commands must not
    count the other worker's, nor have its cache emptied by it."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw") or 12 + int(worker[2:]) > 15:
        return url
    return f"{url.rsplit('/', 1)[0]}/{12 + int(worker[2:])}"
