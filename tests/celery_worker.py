"""A real Celery worker, in the test's process, on the real Redis (REDIS_URL) as broker and
result backend: the tests that send tasks to a worker and wait for what it returns.

Each xdist worker has a Redis database of its own for this (tests/redis_dbs.py). On one
shared database the other xdist worker's Celery worker took this one's tasks and ran them
against its own test database, and one test's purge of "tasks left by earlier runs" emptied
the queue under the other's running test (CI failed so: a periodic job that delivered 0 of 6,
and a `get()` that waited 30 s for a purged task)."""

import contextlib
import os

from tests import redis_dbs

REDIS_URL = os.environ.get("REDIS_URL")
KEYS = ("broker_url", "result_backend", "task_always_eager", "broker_transport_options")


def own_redis_url() -> str:
    return redis_dbs.url(REDIS_URL, redis_dbs.CELERY)


def use(app, **conf) -> None:
    app.conf.update(**conf)
    # Celery caches its broker pools and result backend; drop them so the new URLs take effect.
    app._pool = None
    app.amqp._producer_pool = None
    app.__dict__.pop("backend", None)
    app._local.__dict__.pop("backend", None)


@contextlib.contextmanager
def configured(app, **conf):
    """`app` with `conf` for the block, and as it was afterwards."""
    saved = {key: app.conf[key] for key in KEYS}
    use(app, **conf)
    try:
        yield app
    finally:
        use(app, **saved)


@contextlib.contextmanager
def real_worker():
    """Our Celery app sending to this xdist worker's own Redis database, with a real worker
    (solo pool, in a thread) taking the tasks from it. Tasks left there by an earlier run are
    purged first."""
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    # The worker stops when its loop next wakes, which an idle worker does when its BRPOP on
    # the queue times out: 1 s by default, a tenth of that here.
    options = {**app.conf["broker_transport_options"], "polling_interval": 0.1}
    url = own_redis_url()
    with configured(
        app,
        broker_url=url,
        result_backend=url,
        task_always_eager=False,
        broker_transport_options=options,
    ):
        app.control.purge()
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20):
            yield app
