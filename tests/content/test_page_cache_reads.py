"""What a page reads from the shared cache (issue 23, session 31): the curriculum generation and
the chrome's roles and pages version in one round trip (core.request_cache, content.middleware),
the chrome's links from this process's copy while the pages version holds (people.chrome), and
every change still shown at once: a role change, a moved page and an editor's change made by
another process reach the next request. Against the real Redis server (REDIS_URL)."""

import os

import pytest
from django.test.utils import override_settings
from django.urls import reverse

from benchmarks.redis_commands import commands_during
from content import outline
from content.models import ModulePage
from core import request_cache
from learning import services
from people import chrome
from people.models import Membership, Role
from tests.redis_monitor import worker_url

REDIS_URL = os.environ.get("REDIS_URL")
OWN_REDIS_URL = worker_url(REDIS_URL) if REDIS_URL else None
pytestmark = pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL not set (CI sets it)")


@pytest.fixture
def redis_cache():
    cache = {"default": {"BACKEND": "core.cache.SharedRedisCache"}}
    cache["default"]["LOCATION"] = OWN_REDIS_URL
    with override_settings(CACHES=cache):
        from django.core.cache import cache as shared

        shared.clear()
        chrome._links.clear()
        yield shared


@pytest.fixture
def enrolled(ny, course):
    return services.enrol_in_course(None, learner=ny, course=course)


def _commands_during(action) -> list[str]:
    return commands_during(OWN_REDIS_URL, action)


def _not_fragments(commands: list[str]) -> list[str]:
    # The page's HTML fragments ({% cache %}: the module body and list) are read on their own;
    # a connection's handshake (HELLO, CLIENT, SELECT of its database) is no read.
    return [
        c
        for c in commands
        if "template.cache." not in c and not c.startswith(("HELLO", "CLIENT", "SELECT"))
    ]


@pytest.mark.django_db
def test_a_module_page_reads_its_keys_in_one_round_trip_and_sees_other_processes(
    client, redis_cache, ny, enhet_a, catalog, course, enrolled
):
    module = course.modules().first()
    client.force_login(ny)
    team_link = reverse("team:overview")
    page = client.get(module.url).content.decode()  # fills the outline, roles and link
    assert team_link not in page and f'href="{catalog.url}"' in page

    commands = _not_fragments(_commands_during(lambda: client.get(module.url)))
    # Before: GET of the generation, the roles, the pages version and the link, one by one.
    assert len(commands) == 1, commands
    assert commands[0].startswith("MGET ")
    for key in (
        outline.GENERATION_KEY,
        chrome.PAGES_VERSION_KEY,
        chrome.NAV_KEY.format(user_id=ny.pk),
    ):
        assert key in commands[0]

    # Another process gives her a manager's role: its signal deletes the cached roles (here
    # the row is written without this process's signals, and the key deleted on the server).
    Membership.objects.bulk_create(
        [
            Membership(
                user=ny,
                organisation=enhet_a.organisation,
                unit=enhet_a,
                role=Role.MANAGER,
                start_date=ny.date_joined.date(),
            )
        ]
    )
    redis_cache.delete(chrome.NAV_KEY.format(user_id=ny.pk))
    assert team_link in client.get(module.url).content.decode()

    # Another process renames a module: the new generation reaches the next request.
    ModulePage.objects.filter(pk=module.pk).update(title="Bytt namn")
    redis_cache.set(outline.GENERATION_KEY, "another-process", timeout=None)
    assert "Bytt namn" in client.get(course.modules().last().url).content.decode()


@pytest.mark.django_db
def test_the_link_copy_gives_way_to_a_new_pages_version_from_another_process(
    client, redis_cache, ny, catalog, course, enrolled
):
    module = course.modules().first()
    client.force_login(ny)
    assert f'href="{catalog.url}"' in client.get(module.url).content.decode()
    assert any(key.startswith("chrome:link:") for key in chrome._links)  # this process's copy
    # Another process moves the catalogue (written here without this process's signals) and
    # starts a new pages version in the shared cache.
    moved = catalog.url_path.replace(f"/{catalog.slug}/", f"/flyttad/{catalog.slug}/")
    type(catalog).objects.filter(pk=catalog.pk).update(url_path=moved)
    assert 'href="/flyttad/' not in client.get(reverse("people:profile")).content.decode()
    redis_cache.set(chrome.PAGES_VERSION_KEY, "another-process", None)
    page = client.get(reverse("people:profile")).content.decode()
    assert f'href="/flyttad/{catalog.slug}/"' in page


@pytest.mark.django_db
def test_an_emptied_shared_cache_retires_this_processs_link_copies(
    client, redis_cache, ny, catalog, course, enrolled
):
    """Redis restarted or flushed: the pages version is gone with it. A new one is started
    (never the earlier "no version" again), so a link this process copied before is not
    served for pages that changed meanwhile."""
    client.force_login(ny)
    redis_cache.clear()
    assert f'href="{catalog.url}"' in client.get(reverse("people:profile")).content.decode()
    first = redis_cache.get(chrome.PAGES_VERSION_KEY)
    assert first
    moved = catalog.url_path.replace(f"/{catalog.slug}/", f"/flyttad/{catalog.slug}/")
    type(catalog).objects.filter(pk=catalog.pk).update(url_path=moved)
    redis_cache.clear()  # the restart; the session is in the database
    page = client.get(reverse("people:profile")).content.decode()
    assert f'href="/flyttad/{catalog.slug}/"' in page
    assert redis_cache.get(chrome.PAGES_VERSION_KEY) not in (None, first)


@pytest.mark.django_db
def test_a_request_sees_its_own_writes_and_nothing_is_kept_between_requests(redis_cache):
    from django.core.signals import request_finished, request_started

    request_started.send(sender=None)
    try:
        redis_cache.set("k", "one")
        request_cache.prefetch(["k", "missing"])
        assert request_cache.get("k") == (True, "one")
        assert request_cache.get("missing") == (True, None)  # read, and a miss
        redis_cache.set("k", "two")  # another process: this request keeps what it read
        assert request_cache.get("k") == (True, "one")
        request_cache.remember("k", "three")  # this request's own write
        assert request_cache.get("k") == (True, "three")
        request_cache.forget("k")
        assert request_cache.get("k") == (False, None)
    finally:
        request_finished.send(sender=None)
    assert request_cache.get("k") == (False, None)  # outside a request: read the cache
