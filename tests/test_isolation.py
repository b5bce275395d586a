"""What one xdist worker does never reaches the other's running test (tests/conftest.py)."""

import os

import pytest
from django.conf import settings


@pytest.mark.skipif(
    not os.environ.get("PYTEST_XDIST_WORKER")
    or "redis" not in settings.CACHES["default"]["BACKEND"].lower(),
    reason="only with Redis as the cache and several workers (make test in CI)",
)
def test_each_worker_clears_a_redis_database_of_its_own():
    from django.core.cache import cache

    worker = int(os.environ["PYTEST_XDIST_WORKER"][2:])
    assert settings.CACHES["default"]["LOCATION"].endswith(f"/{10 + worker}")
    assert cache._servers[0].endswith(f"/{10 + worker}")
