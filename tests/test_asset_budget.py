"""Our pages load only assets the app serves itself (no CDN), and a page's CSS and JavaScript
together stay under 150 KB gzip-compressed: people open them on phones between home visits."""

import gzip
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from learning import services

BUDGET = 150 * 1024


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("src"):
            self.urls.append(attrs["src"])
        elif tag == "link" and attrs.get("href"):
            rel = (attrs.get("rel") or "").split()
            if {"stylesheet", "preload", "modulepreload", "icon"} & set(rel):
                self.urls.append(attrs["href"])
        elif tag in {"img", "video", "source", "audio", "iframe"} and attrs.get("src"):
            self.urls.append(attrs["src"])


def assets_of(html: str) -> list[str]:
    parser = _Assets()
    parser.feed(html)
    return parser.urls


def compressed_size(url: str) -> int:
    path = urlsplit(url).path
    assert path.startswith(settings.STATIC_URL), f"{url} is not one of our static files"
    found = finders.find(path.removeprefix(settings.STATIC_URL))
    assert found, f"{url} is linked but not found in the static files"
    with open(found, "rb") as file:
        return len(gzip.compress(file.read(), compresslevel=9))


def _pages(client, *, catalog, course, ny):
    module = course.modules().first()
    services.enrol_in_course(None, learner=ny, course=course)
    yield reverse("account_login")
    yield catalog.url
    yield course.url
    yield reverse("people:accessibility")
    client.force_login(ny)
    yield reverse("learning:dashboard")
    yield module.url
    yield reverse("learning:check", args=[module.pk])


@pytest.mark.django_db
def test_pages_load_only_our_own_assets_and_stay_under_the_budget(client, catalog, course, ny):
    for url in _pages(client, catalog=catalog, course=course, ny=ny):
        response = client.get(url)
        assert response.status_code == 200, url
        assets = assets_of(response.content.decode())
        assert assets, f"{url} links no stylesheet"
        for asset in assets:
            parts = urlsplit(asset)
            # Same origin only: no scheme, no host (a CDN would need both).
            assert not parts.scheme and not parts.netloc, f"{url} loads {asset} from elsewhere"
        css_and_js = [a for a in assets if urlsplit(a).path.endswith((".css", ".js", ".mjs"))]
        total = sum(compressed_size(asset) for asset in css_and_js)
        assert total < BUDGET, f"{url}: {total} bytes of CSS and JS (gzip) > {BUDGET}"


def test_the_budget_check_counts_what_a_page_links():
    html = (
        '<link rel="stylesheet" href="/static/css/introsteg.css">'
        '<script src="/static/js/app.js"></script><img src="/static/img/favicon.svg" alt="">'
    )
    assert assets_of(html) == [
        "/static/css/introsteg.css",
        "/static/js/app.js",
        "/static/img/favicon.svg",
    ]
    assert 0 < compressed_size("/static/css/introsteg.css") < BUDGET
