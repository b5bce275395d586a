"""A demo seed run once for a test module whose tests only read what it made: the seed runs in
a transaction held open for the module, each test runs in a savepoint of it (pytest-django's
django_db), and the module's end rolls it all back. A seed is the whole demo chain, 10-20 s of
CPU; tests that each ran it again spent most of their time there."""

import contextlib
from collections.abc import Callable, Iterator

from django.core.cache import cache
from django.db import transaction
from django.test.utils import override_settings

from tests import clock


@contextlib.contextmanager
def seeded_for_the_module(django_db_blocker, seed: Callable[[], object]) -> Iterator[object]:
    """Run `seed()` as a test would (DEBUG on, the test run's settings and day) and keep what
    it made until the module ends; its return value is the fixture's."""
    from tests.conftest import COLLECTED_ON

    settings = override_settings(
        DEBUG=True,
        # As the autouse _test_settings (tests/conftest.py) has them for each test.
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        CELERY_TASK_ALWAYS_EAGER=True,
    )
    outer = transaction.atomic()
    with django_db_blocker.unblock(), settings, clock.on_the_day(COLLECTED_ON):
        cache.clear()
        outer.__enter__()
        try:
            made = seed()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    try:
        yield made
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            cache.clear()
