"""No two kinds of test that empty, purge or count a Redis database share one, on either xdist
worker (tests/redis_dbs.py): CI failed when the real Celery workers of both shared REDIS_URL."""

import pytest

from tests import redis_dbs
from tests.celery_worker import own_redis_url
from tests.learning.test_worker_kill import _broker_url
from tests.redis_monitor import worker_url

BASE = "redis://127.0.0.1:6379/0"


def _cache_url():
    return redis_dbs.url(BASE, redis_dbs.CACHE)


def _databases(monkeypatch, worker):
    monkeypatch.setenv("PYTEST_XDIST_WORKER", worker)
    monkeypatch.setattr("tests.celery_worker.REDIS_URL", BASE)
    monkeypatch.setattr("tests.learning.test_worker_kill.REDIS_URL", BASE)
    return {
        f"{worker} celery": own_redis_url(),
        f"{worker} cache": _cache_url(),
        f"{worker} counted": worker_url(BASE),
        f"{worker} killed worker": _broker_url(),
    }


def test_each_worker_has_databases_no_other_test_or_worker_uses(monkeypatch):
    used = {"shared": BASE}
    for worker in ("gw0", "gw1"):
        used |= _databases(monkeypatch, worker)
    # The killed worker's database is shared by design: one test, on one worker at a time.
    assert used["gw0 killed worker"] == used["gw1 killed worker"]
    del used["gw1 killed worker"]
    numbers = [int(url.rsplit("/", 1)[1]) for url in used.values()]
    assert len(set(numbers)) == len(numbers), used
    assert all(0 <= n <= 15 for n in numbers)


def test_a_third_worker_is_refused_rather_than_given_another_workers_database(monkeypatch):
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw2")
    with pytest.raises(AssertionError, match="2 xdist workers"):
        own_redis_url()
