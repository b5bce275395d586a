"""The request's Wagtail site from the course outline's cache (content.outline.site_for_request)
instead of a query on every page view (issue 23, benchmarks/README.md)."""

import logging

from wagtail import views as wagtail_views

from content.outline import GENERATION_KEY, site_for_request
from core import request_cache
from people import chrome

logger = logging.getLogger(__name__)


class CachedSiteMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Only for the pages Wagtail serves (the others do not look the site up), before
        # Wagtail's Site.find_for_request, which keeps what it finds on the request.
        if view_func is wagtail_views.serve and not hasattr(request, "_wagtail_site"):
            # Everything a page reads from the shared cache before its own fragments (the
            # curriculum generation, the chrome's roles and pages version), in one round trip
            # (benchmarks/README.md, "Module page and Redis, session 31").
            try:
                request_cache.prefetch(
                    [GENERATION_KEY, *chrome.cache_keys(getattr(request, "user", None))]
                )
            except Exception:  # the cache is down: each reader reads (or falls back) itself
                logger.warning("Cache unavailable for the page's keys", exc_info=True)
            request._wagtail_site = site_for_request(request)
        return None
