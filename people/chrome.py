"""What the site chrome (header, navigation, footer) reads on every page, cached so that a page
pays for the session and the user only (issue 23).

Measured on the bare page (an InfoPage for a logged-in new hire): 11 queries, of which the chrome
took 4 (session, user, memberships for the navigation, the catalogue page behind the "Kurser"
link), and on a page that is not a Wagtail page the link cost a Site lookup as well. The two
cached reads below bring the chrome to the session and the user on a warm session.

The cache is an optimisation, never a requirement: when it is unreachable (Redis down) the chrome
reads the database as before, so no page fails because of it (its keys are declared in
core.cache.ADVISORY_PREFIXES, which answers them as misses then).
"""

import time

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import get_language
from wagtail.models import Page
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move
from wagtail.templatetags import wagtailcore_tags

from core import cache as shared_cache
from core import request_cache
from people import permissions
from people.models import Membership

# Bump the number when what is cached changes shape, so an old process's entries are ignored.
NAV_KEY = "chrome:nav:v1:{user_id}"
# A role change deletes the entry at once (below); the timeout only bounds the rare race in
# which a request that read the old roles stores them just after the change committed.
NAV_TIMEOUT = 10 * 60
PAGES_VERSION_KEY = "chrome:pages-version"
LINK_KEY = "chrome:link:v1:{version}:{host}:{language}:{slug}"
LINK_TIMEOUT = 24 * 3600


def cache_keys(user) -> list[str]:
    """What the chrome reads from the cache for this person, to be read with the request's
    other keys in one round trip (core.request_cache.prefetch; content.middleware)."""
    keys = [PAGES_VERSION_KEY]
    if user is not None and user.is_authenticated:
        keys.append(NAV_KEY.format(user_id=user.pk))
    return keys


def _cache_get(key: str, *, together: tuple[str, ...] = ()):
    """The key's value, read once per request: with `together` (other keys the chrome will
    read) in one round trip when the request has not read them yet."""
    read, value = request_cache.get(key)
    if not read:
        request_cache.prefetch([key, *together])
        read, value = request_cache.get(key)
    return value if read else cache.get(key)


def _cache_set(key: str, value, timeout: int | None) -> None:
    request_cache.remember(key, value)
    cache.set(key, value, timeout)


def _cache_delete(key: str) -> None:
    request_cache.forget(key)
    cache.delete(key)


def nav_roles_of(user) -> frozenset[str]:
    """The roles the navigation shows links for: from the memberships the page has already
    read, else from the cache, else from the database (and then cached). The navigation only
    shows links; every page still decides access from the database (people.permissions)."""
    memberships = getattr(user, "_membership_cache", None)
    if memberships is not None:
        return frozenset(m.role for m in memberships)
    key = NAV_KEY.format(user_id=user.pk)
    roles = _cache_get(key, together=(PAGES_VERSION_KEY,))
    if roles is None:
        roles = sorted(permissions.roles_of(user))
        _cache_set(key, roles, NAV_TIMEOUT)
    return frozenset(roles)


def forget_nav(user_id: int) -> None:
    """Drop the person's cached navigation now and again when the change commits, so no request
    that read the roles before the commit keeps the old links cached."""
    key = NAV_KEY.format(user_id=user_id)
    _cache_delete(key)
    transaction.on_commit(lambda: _cache_delete(key))


@receiver(post_save, sender=Membership, dispatch_uid="chrome_membership_saved")
@receiver(post_delete, sender=Membership, dispatch_uid="chrome_membership_deleted")
def _membership_changed(sender, instance, update_fields=None, **kwargs):
    # A start date moved (people.services.add_membership writes it alone) changes no role the
    # navigation shows: the cached roles stay, and nothing is asked of Redis.
    if update_fields is not None and update_fields <= {"start_date"}:
        return
    forget_nav(instance.user_id)


def page_link(context, slug: str) -> str:
    """Wagtail's {% slugurl %}, cached per site host, language and slug until a page is
    published, unpublished, moved, renamed or deleted anywhere (rare; the version key then
    retires every cached link at once)."""
    request = context.get("request")
    if request is None:
        return wagtailcore_tags.slugurl(context, slug) or ""
    together = tuple(cache_keys(getattr(request, "user", None)))
    version = _cache_get(PAGES_VERSION_KEY, together=together) or _start_pages_version()
    key = LINK_KEY.format(
        version=version, host=request.get_host(), language=get_language(), slug=slug
    )
    # A link cached under a pages version never changes (a changed page starts a new
    # version): this process keeps its copy and asks the shared cache only for a new version.
    copy = _links.get(key)
    if copy is not None and copy[1] > time.monotonic():
        return copy[0]
    url = _cache_get(key)
    if url is None:
        url = wagtailcore_tags.slugurl(context, slug) or ""
        _cache_set(key, url, LINK_TIMEOUT)
    if len(_links) >= LINK_COPIES:
        _links.clear()  # old versions' links: a handful of slugs per host and language
    _links[key] = (url, time.monotonic() + LINK_TIMEOUT)
    return url


def _start_pages_version() -> int:
    """A pages version where the shared cache has none (the first view, or after the cache was
    emptied or restarted): a new one, never 0 again, so a link this process copied under an
    earlier version is not taken for today's pages. With Redis unreachable a new one on every
    request (add answers False, get a miss): the links are read from the database."""
    version = time.time_ns()
    if not cache.add(PAGES_VERSION_KEY, version, None):
        version = cache.get(PAGES_VERSION_KEY) or version
    request_cache.remember(PAGES_VERSION_KEY, version)
    return version


# This process's copies of the links, by their key (which holds the pages version).
LINK_COPIES = 1000
_links: dict[str, tuple[str, float]] = {}


def forget_page_links(**kwargs) -> None:
    """A new pages version now and again after the commit (through the outbox while Redis is
    unreachable: core.cache.renew), so no link copied before the change outlives it."""
    _renew_pages_version()
    transaction.on_commit(_renew_pages_version)


def _renew_pages_version() -> None:
    request_cache.remember(PAGES_VERSION_KEY, shared_cache.renew(PAGES_VERSION_KEY))


for _signal in (page_published, page_unpublished, post_page_move, page_slug_changed):
    _signal.connect(forget_page_links, dispatch_uid=f"chrome_links_{id(_signal)}")
post_delete.connect(forget_page_links, sender=Page, dispatch_uid="chrome_links_page_deleted")
