"""The shared cache (Redis) and the one list of what may do without it.

Two kinds of keys live in the shared cache. Most are copies of what the database holds (the
course outlines, the chrome's navigation roles and links, the page bodies' HTML fragments,
Wagtail's site root paths): when Redis is down, a page can read the database instead, slower
but right. The others are counts and marks kept only there (login rate limits, two-step codes
already used, the accessibility report's rate limit): without Redis they cannot be checked, so
those requests fail closed, with the 503 page (people.middleware.server_error), never a 500.

`ADVISORY_PREFIXES` is that allow-list, checked here and nowhere else: an operation on keys
that all start with one of them answers as a miss (reads) or does nothing (writes) when Redis
cannot be reached, and logs a warning; any other key raises as before. Before this, Redis down
gave a 500 on the login page and every Wagtail page (the outline's curriculum generation and
Wagtail's own site root paths were read without a fallback).

An invalidation must not be lost that way: a new curriculum generation or pages version that
could not be written while Redis was down would leave the old one in place once Redis is back,
and with it copies made before an editor's change. `renew(key)` writes a new version and, when
Redis cannot be reached, hands the write to the outbox (core.tasks.renew_cache_version), which
retries it until Redis answers (content.outline.forget_outlines, people.chrome).
"""

import contextlib
import logging
import time
from functools import wraps

from asgiref.local import Local
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# Raw keys (before Django's prefix and version) whose values can be read again from the
# database. tests/core/test_cache_down.py lists every key the site writes while serving the
# pages and fails when one is neither here nor knowingly strict.
ADVISORY_PREFIXES = (
    "content:",  # content.outline: the curriculum generation and the outlines
    "learning:dashboard:",  # learning.selectors.progress: the dashboard's courses (per outline)
    "chrome:",  # people.chrome: navigation roles, the pages version, cached links
    "template.cache.",  # {% cache %} fragments (the module and information pages' bodies)
    "wagtail_site_root_paths",  # Wagtail's Site.get_site_root_paths
)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)

_state = Local()


@contextlib.contextmanager
def strict():
    """Within the block, advisory keys raise like the others when Redis is unreachable."""
    before = getattr(_state, "strict", False)
    _state.strict = True
    try:
        yield
    finally:
        _state.strict = before


def is_advisory(key) -> bool:
    return str(key).startswith(ADVISORY_PREFIXES)


def _degrades(*, keys_from, fallback):
    """Wrap a cache operation: when Redis is unreachable and every key is advisory (and no
    `strict()` block is open), log and return `fallback(args, kwargs)` instead of raising."""

    def decorate(method):
        @wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except UNREACHABLE:
                keys = list(keys_from(args, kwargs))
                if getattr(_state, "strict", False) or not keys or not all(map(is_advisory, keys)):
                    raise
                logger.warning("Shared cache unreachable; %s without it", method.__name__)
                return fallback(args, kwargs)

        return wrapper

    return decorate


def _one_key(args, kwargs):
    return [args[0] if args else kwargs["key"]]


def _many_keys(args, kwargs):
    return list(args[0] if args else kwargs.get("keys", kwargs.get("data", ())))


def _default(args, kwargs):
    return args[1] if len(args) > 1 else kwargs.get("default")


class SharedRedisCache(RedisCache):
    """Django's RedisCache; advisory keys fall back when Redis cannot be reached."""

    get = _degrades(keys_from=_one_key, fallback=_default)(RedisCache.get)
    get_many = _degrades(keys_from=_many_keys, fallback=lambda a, k: {})(RedisCache.get_many)
    has_key = _degrades(keys_from=_one_key, fallback=lambda a, k: False)(RedisCache.has_key)
    # add() answers False ("someone else has it"), so the caller reads the value it offered.
    add = _degrades(keys_from=_one_key, fallback=lambda a, k: False)(RedisCache.add)
    set = _degrades(keys_from=_one_key, fallback=lambda a, k: None)(RedisCache.set)
    set_many = _degrades(keys_from=_many_keys, fallback=lambda a, k: [])(RedisCache.set_many)
    touch = _degrades(keys_from=_one_key, fallback=lambda a, k: False)(RedisCache.touch)
    delete = _degrades(keys_from=_one_key, fallback=lambda a, k: False)(RedisCache.delete)
    delete_many = _degrades(keys_from=_many_keys, fallback=lambda a, k: None)(
        RedisCache.delete_many
    )


def write_version(key: str, value=None) -> object:
    """Write a new version under `key` (no expiry; `value`, else a new unique number) and
    return it; raises when Redis is unreachable."""
    from django.core.cache import cache

    value = time.time_ns() if value is None else value
    with strict():
        cache.set(key, value, timeout=None)
    return value


def renew(key: str, *, value=None) -> object:
    """write_version, or when Redis is unreachable a row in the outbox that writes a new
    version once it answers (core.tasks.renew_cache_version). Call it inside the transaction
    of the change it announces or after its commit, never before."""
    value = time.time_ns() if value is None else value
    try:
        return write_version(key, value)
    except UNREACHABLE:
        from core import outbox, tasks

        logger.warning("Shared cache unreachable; %s renewed through the outbox", key)
        outbox.enqueue(tasks.renew_cache_version, args={"key": key}, coalesce=True)
        return value
