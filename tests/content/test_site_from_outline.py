"""The request's site and home page from the course outline (content.outline.site_for_request,
issue 23): no query for them on a warm page view, every change to the site shown at once, and
the curriculum generation read from the shared cache once per request, not once per outline."""

import os

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from wagtail.models import Site

from benchmarks.redis_commands import commands_during
from content import outline
from content.models import CatalogPage, ModulePage
from learning import services
from tests.redis_monitor import worker_url

REDIS_URL = os.environ.get("REDIS_URL")
OWN_REDIS_URL = worker_url(REDIS_URL) if REDIS_URL else None


@pytest.fixture
def enrolled(ny, course):
    return services.enrol_in_course(None, learner=ny, course=course)


def _tables(queries) -> str:
    return " ".join(query["sql"] for query in queries)


@pytest.mark.django_db
def test_a_warm_page_view_reads_neither_the_site_nor_the_home_page(client, catalog):
    client.get("/")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(catalog.url)
    assert response.status_code == 200 and catalog.title in response.content.decode()
    sql = _tables(captured.captured_queries)
    assert "wagtailcore_site" not in sql
    assert "content_homepage" not in sql  # the home page as its own type, routed from


@pytest.mark.django_db
def test_a_changed_site_is_served_at_once(client, home, catalog):
    assert "Välkommen." in client.get("/").content.decode()  # the home page, cached
    site = Site.objects.get(is_default_site=True)
    site.root_page = CatalogPage.objects.get(pk=catalog.pk)
    site.save()
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Välkommen." not in page and f"<h1>{catalog.title}</h1>" in page
    site.root_page = home
    site.save()
    assert "Välkommen." in client.get("/").content.decode()


@pytest.mark.django_db
def test_a_host_the_site_does_not_serve_is_refused_before_any_lookup(client, catalog, settings):
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    assert client.get(catalog.url, HTTP_HOST="elsewhere.example").status_code == 400
    assert client.get(catalog.url).status_code == 200


def _generation_reads_during(action) -> int:
    """How many times the curriculum generation is read from the real Redis server while
    `action` runs: GET alone, or MGET with the chrome's keys (core.request_cache, session 31)."""
    return sum(
        1
        for text in commands_during(OWN_REDIS_URL, action)
        if text.startswith(("GET ", "MGET ")) and outline.GENERATION_KEY in text
    )


@pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL not set (CI sets it)")
@pytest.mark.django_db
def test_a_module_page_reads_the_generation_from_redis_once(client, ny, course, enrolled):
    """The catalogue, the course, the modules and the prerequisites come from the outline (and
    the site now too): four readings of the generation per page view before, each a round trip
    to the shared cache."""
    cache = {"default": {"BACKEND": "core.cache.SharedRedisCache"}}
    cache["default"]["LOCATION"] = OWN_REDIS_URL
    with override_settings(CACHES=cache):
        outline.forget_outlines()
        module = course.modules().first()
        client.force_login(ny)
        assert client.get(module.url).status_code == 200  # fills the outline
        reads = _generation_reads_during(lambda: client.get(module.url))
        assert reads == 1
        # Another process's change (a row written without this process's signals, then a new
        # generation in the shared cache) reaches the next request: the generation read is
        # kept for one request only.
        ModulePage.objects.filter(pk=module.pk).update(title="Bytt namn")
        from django.core.cache import cache

        cache.set(outline.GENERATION_KEY, "another-process", timeout=None)
        assert "Bytt namn" in client.get(course.modules().last().url).content.decode()


@pytest.mark.django_db
def test_a_404_of_our_own_views_finds_the_editors_redirects_without_a_site_query(
    client, catalog, ny
):
    """Wagtail's RedirectMiddleware looks every 404 up among the editors' redirects, for the
    request's site: the site now comes from the outline on a 404 of our own views too (issue
    16), and a redirect made for this site alone is still found through it."""
    from wagtail.contrib.redirects.models import Redirect

    client.force_login(ny)
    missing = reverse("mentoring:case", kwargs={"case_id": 999999})
    client.get(catalog.url)  # a page view: the site in the outline, the chrome's links cached
    with CaptureQueriesContext(connection) as captured:
        assert client.get(missing).status_code == 404
    sql = _tables(captured.captured_queries)
    assert "wagtailcore_site" not in sql and "wagtailredirects_redirect" in sql

    Redirect.objects.create(
        old_path=Redirect.normalise_path(missing),
        site=Site.objects.get(is_default_site=True),
        redirect_link=catalog.url,
    )
    response = client.get(missing)
    assert response.status_code == 301 and response["Location"] == catalog.url


@pytest.mark.django_db
def test_a_404_finds_its_site_in_the_database_when_the_cache_is_down(rf, catalog):
    """The cache is an optimisation: unreachable, the 404 goes out as it is, with the site
    read from the database (core.cache lets the outline's keys fall back), the one Wagtail
    would find itself."""
    from django.http import HttpResponseNotFound

    from content.middleware import CachedSiteMiddleware

    request = rf.get("/mentorskap/arenden/999999/")
    middleware = CachedSiteMiddleware(lambda request: HttpResponseNotFound())
    down = {"default": {"BACKEND": "core.cache.SharedRedisCache"}}
    down["default"]["LOCATION"] = "redis://127.0.0.1:1/0"
    with override_settings(CACHES=down):
        assert middleware(request).status_code == 404
    assert request._wagtail_site == Site.objects.get(is_default_site=True)
    assert Site.find_for_request(request) == request._wagtail_site
