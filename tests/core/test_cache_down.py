"""The shared cache down (core.cache): pages that only copy the database into Redis keep working,
what cannot be checked without Redis (login rate limits) fails closed with the 503 page, and
every key the site uses is declared as one or the other.

"Down" is a real Redis client connecting to a loopback port nobody listens on (connection
refused, as after Redis stops); the key census runs against the real Redis server (REDIS_URL)."""

import os
import re
import socket

import pytest
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone
from redis.exceptions import ConnectionError as RedisConnectionError

from benchmarks.redis_commands import commands_during
from core import cache as shared_cache
from learning import services
from tests.factories import PASSWORD
from tests.redis_monitor import worker_url

REDIS_URL = os.environ.get("REDIS_URL")

# Keys that live only in Redis and that a request cannot do without: knowingly fail closed.
STRICT_PREFIXES = (
    "allauth:",  # allauth: login and other rate limits, two-step codes already used
    "accessibility-report:",  # people.accessibility: reports of a barrier, per address and hour
)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again when the block ends: nobody listens


def _backend(location: str) -> dict:
    return {"default": {"BACKEND": "core.cache.SharedRedisCache", "LOCATION": location}}


@pytest.fixture
def redis_down():
    # Ask for it after the page tree's fixtures: they are built once and kept for the other
    # tests (tests/replay.py), which must not inherit outbox rows of a cache that was down.
    with override_settings(CACHES=_backend(f"redis://127.0.0.1:{_closed_port()}/0")):
        from django.core.cache import cache

        yield cache


@pytest.fixture
def enrolled(ny, course):
    return services.enrol_in_course(None, learner=ny, course=course)


def test_the_settings_use_the_shared_backend_for_redis():
    from django.conf import settings

    if REDIS_URL:
        assert settings.CACHES["default"]["BACKEND"] == "core.cache.SharedRedisCache"
    assert issubclass(shared_cache.SharedRedisCache, shared_cache.RedisCache)


def test_advisory_keys_fall_back_and_the_others_raise(redis_down):
    assert redis_down.get("content:curriculum-generation") is None
    assert redis_down.get("chrome:pages-version", "offered") == "offered"
    assert redis_down.get_many(["content:outline:site:x:80", "chrome:nav:v1:1"]) == {}
    assert redis_down.add("chrome:pages-version", 1) is False
    assert redis_down.set("template.cache.module_body.abc", "<p>x</p>") is None
    assert redis_down.delete("chrome:nav:v1:1") is False
    assert redis_down.get_or_set("wagtail_site_root_paths", lambda: ["/"]) == ["/"]
    # A rate limit, a used two-step code: no answer is better than a wrong one.
    with pytest.raises(RedisConnectionError):
        redis_down.get("allauth:rl:login")
    with pytest.raises(RedisConnectionError):
        redis_down.add("allauth:mfa:totp:used", "y")
    # One strict key among advisory ones is enough to raise.
    with pytest.raises(RedisConnectionError):
        redis_down.get_many(["content:curriculum-generation", "allauth:rl:login"])
    # An invalidation that must not be lost asks to hear about it.
    with shared_cache.strict(), pytest.raises(RedisConnectionError):
        redis_down.set("content:curriculum-generation", "new")
    assert redis_down.get("content:curriculum-generation") is None  # the block has ended


@pytest.mark.django_db
def test_pages_work_without_redis_and_the_login_fails_closed(
    client, ny, catalog, course, enrolled, redis_down
):
    module = course.modules().first()
    # Anonymous: the login page and the public Wagtail pages (before: 500).
    assert client.get(reverse("account_login")).status_code == 200
    assert client.get(catalog.url).status_code == 200
    # Signing in counts attempts in Redis: without it the attempt is refused, not let through
    # (the test client hands the error to the 500 handler, as a server does).
    client.raise_request_exception = False
    response = client.post(reverse("account_login"), {"login": ny.email, "password": PASSWORD})
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "En tjänst som inloggningen och några funktioner behöver svarar inte just nu." in page
    assert "Introsteg is temporarily unavailable" in page
    # Someone already signed in reads her course from the database.
    client.raise_request_exception = True
    client.force_login(ny)
    page = client.get(module.url)
    assert page.status_code == 200
    assert module.title in page.content.decode()
    assert client.get(reverse("learning:dashboard")).status_code == 200
    assert client.get(course.url).status_code == 200


@pytest.mark.django_db
@pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL not set (CI sets it)")
def test_every_key_the_pages_use_is_declared_advisory_or_strict(
    client, ny, catalog, course, enrolled
):
    """A new key (a new cache in our code or a library's) fails here until it is declared:
    advisory in core.cache.ADVISORY_PREFIXES, or strict above."""
    own = worker_url(REDIS_URL)
    with override_settings(CACHES=_backend(own)):
        from django.core.cache import cache

        cache.clear()
        module = course.modules().first()

        def journey():
            client.get(reverse("account_login"))
            client.post(reverse("account_login"), {"login": ny.email, "password": "fel-losen"})
            client.post(reverse("account_login"), {"login": ny.email, "password": PASSWORD})
            client.force_login(ny)
            for path in (module.url, course.url, catalog.url, reverse("learning:dashboard")):
                assert client.get(path).status_code == 200, path

        commands = commands_during(own, journey)
    keys = set()
    for command in commands:
        # As the server logs them: 'MGET :1:chrome:pages-version :1:chrome:nav:v1:7'.
        keys.update(re.findall(r"(?:^|\s):\d+:(\S+)", command))
    assert keys, commands
    assert any(shared_cache.is_advisory(key) for key in keys), keys
    assert any(key.startswith(STRICT_PREFIXES) for key in keys), keys
    undeclared = {
        key
        for key in keys
        if not shared_cache.is_advisory(key) and not key.startswith(STRICT_PREFIXES)
    }
    assert not undeclared, undeclared


@pytest.mark.django_db
@pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL not set (CI sets it)")
def test_a_change_published_while_redis_is_down_renews_the_versions_once_it_is_back(
    course, redis_down, django_capture_on_commit_callbacks
):
    """Without Redis the new curriculum generation and pages version cannot be written; if they
    were dropped, the old ones would come back with Redis and with them outlines and links
    copied before the change. The outbox writes them once Redis answers."""
    from content import outline
    from core.models import OutboxMessage
    from core.outbox import deliver
    from core.tasks import renew_cache_version
    from people import chrome

    with django_capture_on_commit_callbacks(execute=True):
        course.title = "Yrkesintroduktion, ny upplaga"
        course.save_revision().publish()
    rows = {
        row.args["key"]: row
        for row in OutboxMessage.objects.filter(handler=renew_cache_version.outbox_name)
    }
    # One row a key, however many times the signals asked (coalesced while untried).
    assert set(rows) == {outline.GENERATION_KEY, chrome.PAGES_VERSION_KEY}
    assert all(row.status == OutboxMessage.Status.PENDING for row in rows.values())
    assert not any(deliver(row.pk) for row in rows.values())  # Redis still down: kept

    with override_settings(CACHES=_backend(worker_url(REDIS_URL))):
        from django.core.cache import cache

        cache.set(outline.GENERATION_KEY, "before-the-outage", timeout=None)
        cache.set(chrome.PAGES_VERSION_KEY, 1, timeout=None)
        OutboxMessage.objects.filter(pk__in=[r.pk for r in rows.values()]).update(
            next_attempt_at=timezone.now()
        )
        assert all(deliver(row.pk) for row in rows.values())
        assert cache.get(outline.GENERATION_KEY) not in (None, "before-the-outage")
        assert cache.get(chrome.PAGES_VERSION_KEY) not in (None, 1)


@pytest.mark.django_db
def test_this_processs_outline_copies_last_no_longer_than_the_caches(course, monkeypatch):
    """A generation that stayed in place (see above, before the outbox delivers) cannot keep a
    process's copy of an outline for longer than OUTLINE_TIMEOUT."""
    from content import outline

    reads = []

    def read(items):
        reads.append(list(items))
        return {item: f"outline {len(reads)}" for item in items}

    key = {"x": "content:outline:test:x"}
    now = [1000.0]
    monkeypatch.setattr(outline.time, "monotonic", lambda: now[0])
    outline._unpickled.pop(key["x"], None)
    assert outline.per_generation(key, read) == {"x": "outline 1"}
    from django.core.cache import cache

    cache.delete(key["x"])  # the cache's copy has expired; this process's copy is fresh
    now[0] += outline.OUTLINE_TIMEOUT - 1
    assert outline.per_generation(key, read) == {"x": "outline 1"}
    now[0] += 2
    assert outline.per_generation(key, read) == {"x": "outline 2"}
    assert len(reads) == 2
