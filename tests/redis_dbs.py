"""Which Redis database each kind of test uses: Redis has 16 (0-15), and REDIS_URL names the
shared one (0 in CI). A test that empties, purges or counts a database must have it to itself;
xdist workers (`make test` runs two) get one each where the kinds below add their number.
tests/test_redis_dbs.py checks that no two of them meet."""

import os

KILLED_WORKER = 7  # the broker of the worker killed in tests/learning/test_worker_kill.py
CELERY = 8  # + worker number: the real Celery worker's broker and results, tests/celery_worker.py
CACHE = 10  # + worker number: each worker's cache, FLUSHDB before every test, tests/conftest.py
COUNTED = 12  # + worker number: the command counters' cache, tests/redis_monitor.py
WORKERS = 2  # at most, for the numbers above not to meet


def worker_number() -> int | None:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    return int(worker[2:]) if worker.startswith("gw") else None


def url(base_url: str, first: int, per_worker: bool = True) -> str:
    """`base_url` with database `first` (+ this xdist worker's number when `per_worker`)."""
    number = (worker_number() or 0) if per_worker else 0
    assert number < WORKERS, f"Redis's databases are laid out for {WORKERS} xdist workers"
    return f"{base_url.rsplit('/', 1)[0]}/{first + number}"
