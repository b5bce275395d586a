"""Before any test: a Redis cache (REDIS_URL or CACHE_URL, as CI sets) gets a Redis database of
its own for each pytest-xdist worker. The suite clears the cache before every test, and Redis
clears a whole database (FLUSHDB): on a shared database one worker would empty the other's
login counters and cached pages mid-test, and the Celery broker's queue on database 0."""

import os
from urllib.parse import urlsplit, urlunsplit


def pytest_configure(config):
    from django.conf import settings

    cache = settings.CACHES["default"]
    if not cache["BACKEND"].endswith("RedisCache"):
        return
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    database = 10 + int(worker.removeprefix("gw"))
    cache["LOCATION"] = urlunsplit(urlsplit(cache["LOCATION"])._replace(path=f"/{database}"))
