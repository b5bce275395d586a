"""Shared-cache reads kept for one request (issue 23, benchmarks/README.md "Module page and
Redis, session 31").

With Redis every cache read is a round trip, and a page view read several small keys one after
another (the curriculum generation, the person's navigation roles, the pages version for the
chrome's links) and some twice (the roles: the chrome and "Väntar på mig"). `prefetch` reads
the keys a request will need in one MGET; `get` then answers from what was read. A key this
request writes or deletes is updated here as well (`remember`, `forget`), so a request sees its
own changes; another process's change reaches the next request, as it did when every read went
to the cache. Outside a request (tasks, commands) nothing is kept: every read goes to the cache.
"""

from asgiref.local import Local
from django.core.cache import cache
from django.core.signals import request_finished, request_started

_request = Local()


def _started(**kwargs) -> None:
    _request.values = {}


def _finished(**kwargs) -> None:
    _request.values = None


request_started.connect(_started, dispatch_uid="core_request_cache_started")
request_finished.connect(_finished, dispatch_uid="core_request_cache_finished")


def _values() -> dict | None:
    return getattr(_request, "values", None)


def prefetch(keys) -> None:
    """Read the keys not yet read in this request, in one round trip (a missing key is kept as
    None, a miss). Outside a request, nothing. Raises what the cache raises."""
    values = _values()
    if values is None:
        return
    wanted = [key for key in keys if key not in values]
    if not wanted:
        return
    found = cache.get_many(wanted)
    for key in wanted:
        values[key] = found.get(key)


def get(key) -> tuple[bool, object]:
    """(True, value or None for a miss) when this request has read the key, else (False, None):
    the caller reads the cache itself."""
    values = _values()
    if values is None or key not in values:
        return False, None
    return True, values[key]


def remember(key, value) -> None:
    """This request has written `value` under `key`."""
    values = _values()
    if values is not None:
        values[key] = value


def forget(key) -> None:
    """This request has deleted `key` (or cannot know its value): read it again if needed."""
    values = _values()
    if values is not None:
        values.pop(key, None)
