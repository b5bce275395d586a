"""The request's Wagtail site from the course outline's cache (content.outline.site_for_request)
instead of a query on every page view (issue 23, benchmarks/README.md)."""

from wagtail import views as wagtail_views

from content.outline import GENERATION_KEY, site_for_request
from core import request_cache
from people import chrome


class CachedSiteMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 404 and not hasattr(request, "_wagtail_site"):
            # Wagtail's RedirectMiddleware (outside this one) looks every 404 up among the
            # editors' redirects, for the request's site: a query of its own on a 404 of our
            # own views (one of six for a case not one's own, whose CPU went from 12.5-13.4 to
            # 9.5-10.4 ms, median of 300 in-process requests under load 8-10). The site from
            # the outline instead, as for the pages Wagtail serves (with Redis down the
            # outline reads the database: core.cache).
            request._wagtail_site = site_for_request(request)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Only for the pages Wagtail serves (the others do not look the site up), before
        # Wagtail's Site.find_for_request, which keeps what it finds on the request.
        if view_func is wagtail_views.serve and not hasattr(request, "_wagtail_site"):
            # Everything a page reads from the shared cache before its own fragments (the
            # curriculum generation, the chrome's roles and pages version), in one round trip
            # (benchmarks/README.md, "Module page and Redis, session 31").
            # With Redis down these keys answer as misses (core.cache.ADVISORY_PREFIXES).
            request_cache.prefetch(
                [GENERATION_KEY, *chrome.cache_keys(getattr(request, "user", None))]
            )
            request._wagtail_site = site_for_request(request)
        return None
