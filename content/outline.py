"""Course outlines (kursupplägg): the live modules of each course in tree order, with their
links, and the prerequisite courses. They are the same for every learner, so they are cached
(STYLE.md: cache what is the same for everyone) and read on every module page, course page and
dashboard without a query.

Invalidation: every cached outline carries the curriculum's generation, a value in the cache
that changes whenever a page is saved, published, unpublished, moved or deleted
(content/signals.py); an outline of another generation is read again from the database. With
several web processes the cache must be shared (CACHE_URL, Redis in production): a
process-local cache only sees its own changes, and other processes' outlines then expire after
OUTLINE_TIMEOUT at the latest.
"""

import functools
import secrets
import time
from collections.abc import Sequence
from typing import NamedTuple

from django.core.cache import cache
from django.db import router
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.db.models.functions import Substr
from django.http.request import split_domain_port
from wagtail.fields import StreamField
from wagtail.models import Page, Site

from content.models import CoursePage, ModulePage
from core import cache as shared_cache
from core import request_cache
from core.compiled import CompiledQuery

GENERATION_KEY = "content:curriculum-generation"
OUTLINE_TIMEOUT = 300  # seconds

# A page's title, link, place in the tree and translations: what a list of pages shows.
LISTED_PAGE_FIELDS = (
    "title",
    "slug",
    "path",
    "depth",
    "url_path",
    "live",
    "translation_key",
    "locale",
)
# What module lists (the dashboard, the course page, the module page's navigation) read:
# titles and links only, so no module's body or knowledge check is parsed for a list.
MODULE_LIST_FIELDS = LISTED_PAGE_FIELDS


def forget_outlines() -> None:
    """Start a new curriculum generation: every cached outline is read again when next needed.
    With Redis unreachable the outbox starts it once Redis answers (core.cache.renew)."""
    generation = shared_cache.renew(GENERATION_KEY, value=secrets.token_hex(8))
    request_cache.remember(GENERATION_KEY, generation)  # this request sees its own change


# This process's unpickled copies of the outlines, by cache key, with their generation: reading
# them back from the cache on every page view (unpickling 65 modules) cost more than the rest of
# the outline. Valid while the shared generation is unchanged, and for OUTLINE_TIMEOUT at most,
# as the cache's own copies: a new generation that could not be written (Redis unreachable when
# an editor published; core.cache) cannot keep an old copy here for longer than that.
# Callers must not change what they get (learning copies a page before translating its title).
_unpickled: dict[str, tuple[str, object, float]] = {}


def _generation() -> str:
    """The curriculum generation, read once per request (core.request_cache). A module page
    asks for it five times (the site, the catalogue and the course routed through, the
    modules, the prerequisites): with a shared cache each was a round trip to Redis
    (benchmarks/README.md, "Shared Redis cache"). One reading per request is as fresh as the
    request needs: another process's change reaches the next request, and this process's own
    at once (forget_outlines). Outside a request every call reads the cache."""
    request_cache.prefetch([GENERATION_KEY])
    read, generation = request_cache.get(GENERATION_KEY)
    if not read:
        generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = secrets.token_hex(8)
        # add(): when two processes start a generation at once, the first one wins.
        if not cache.add(GENERATION_KEY, generation, timeout=None):
            generation = cache.get(GENERATION_KEY, generation)
        request_cache.remember(GENERATION_KEY, generation)
    return generation


def per_generation(keys: dict, read) -> dict:
    """The outline of each item in `keys` (item -> cache key): from this process's copies or
    the cache when they are of the current generation, otherwise `read(missing items)` (one
    query for all of them), which is then stored for the others."""
    if not keys:
        return {}
    generation = _generation()
    now = time.monotonic()
    result = {}
    for item, key in keys.items():
        copy = _unpickled.get(key)
        if copy is not None and copy[0] == generation and copy[2] > now:
            result[item] = copy[1]
    wanted = {key: item for item, key in keys.items() if item not in result}
    stored = cache.get_many(list(wanted)) if wanted else {}
    for key, (stored_generation, value) in stored.items():
        if stored_generation == generation:
            result[wanted[key]] = value
            _unpickled[key] = (generation, value, now + OUTLINE_TIMEOUT)
    missing = [item for item in keys if item not in result]
    if missing:
        fresh = {keys[item]: (generation, value) for item, value in read(missing).items()}
        cache.set_many(fresh, timeout=OUTLINE_TIMEOUT)
        _unpickled.update(
            {key: (gen, value, now + OUTLINE_TIMEOUT) for key, (gen, value) in fresh.items()}
        )
        result.update({item: fresh[keys[item]][1] for item in missing})
    return result


class CourseRef(NamedTuple):
    """What an outline needs of a course, for callers that read courses as plain values."""

    pk: int
    path: str
    depth: int


def live_modules_by_course(
    courses: Sequence[CoursePage | CourseRef],
) -> dict[str, list[ModulePage]]:
    """Live modules of the given courses in tree order, keyed by course path; each module has
    `list_url`, its link. Cached: at most one query, for the courses not in the cache."""
    by_course = per_generation(
        {course: f"content:outline:modules:{course.pk}:{course.path}" for course in courses},
        _read_modules,
    )
    return {course.path: modules for course, modules in by_course.items()}


def _read_modules(courses: list) -> dict:
    condition = Q()
    for course in courses:
        condition |= Q(path__startswith=course.path)
    modules = (
        ModulePage.objects.live()
        .filter(condition, depth__in={course.depth + 1 for course in courses})
        .only(*MODULE_LIST_FIELDS)
        .order_by("path")
    )
    by_path: dict[str, list[ModulePage]] = {course.path: [] for course in courses}
    for module in modules:
        # The link is the same for every reader (one site; originals link without a language
        # prefix): computing it once saves a URL reversal per module and page view.
        module.list_url = module.get_url()
        by_path[module.path[: -module.steplen]].append(module)
    return {course: by_path[course.path] for course in courses}


def prerequisites_by_course(course_ids: list[int]) -> dict[int, list[tuple[int, str]]]:
    """Per course, its prerequisite courses as (id, title). Cached: at most one query."""
    return per_generation(
        {course_id: f"content:outline:prerequisites:{course_id}" for course_id in course_ids},
        _read_prerequisites,
    )


def _read_prerequisites(course_ids: list[int]) -> dict[int, list[tuple[int, str]]]:
    result: dict[int, list[tuple[int, str]]] = {course_id: [] for course_id in course_ids}
    rows = (
        CoursePage.prerequisites.through.objects.filter(from_coursepage__in=course_ids)
        .order_by("pk")
        .values_list("from_coursepage_id", "to_coursepage_id", "to_coursepage__title")
    )
    for course_id, required_id, title in rows:
        result[course_id].append((required_id, title))
    return result


def child_for_routing(parent: Page, model, slug: str) -> Page | None:
    """The parent's child of type `model` with this slug, to route through on the way to a page
    below it (the catalogue and a course, on the way to a module). Cached with all of the
    parent's children of that type, without their StreamFields (a course's learning outcomes),
    which pages passed through do not show."""
    streams = _stream_fields(model)
    children = per_generation(
        {parent: f"content:outline:children:{parent.pk}:{parent.path}:{model._meta.label_lower}"},
        lambda parents: {parents[0]: _children_with_links(model, parents[0], streams)},
    )[parent]
    return children.get(slug)


@functools.cache
def _stream_fields(model) -> list[str]:
    """The model's StreamFields, listed once per process: a module page routes through three
    levels, and looking through ModulePage's 41 fields each time cost ~15 µs a view."""
    return [f.name for f in model._meta.concrete_fields if isinstance(f, StreamField)]


def _children_with_links(model, parent: Page, streams: list[str]) -> dict[str, Page]:
    children = {p.slug: p for p in model.objects.child_of(parent).defer(*streams)}
    for child in children.values():
        # As a module's list_url: a module page links to its course, the same for everyone.
        child.list_url = child.get_url()
    return children


def _page_row(model, pk: int):
    columns = [field.attname for field in model._meta.concrete_fields]
    # Whether a page on the way to it, itself included, carries a view restriction or is an
    # alias (whose source's restrictions apply): with neither, Wagtail's check has nothing to
    # find. Read in the same row, so never stale. The pages on the way are those whose path is
    # a prefix of its own, one treebeard step a level, asked as `path IN (prefixes)`: an index
    # lookup (0.012 ms). Asked as "a prefix of its path" it read every page in a sequential
    # scan, 0.115 ms at 415 pages and growing with the curriculum. A page deeper than
    # CHAIN_LEVELS is always checked by Wagtail itself.
    prefixes = [Substr(OuterRef("path"), 1, Page.steplen * n) for n in range(1, CHAIN_LEVELS + 1)]
    on_the_way = Page.objects.filter(path__in=prefixes)
    restricted = on_the_way.filter(Q(alias_of__isnull=False) | Q(view_restrictions__isnull=False))
    guarded = ExpressionWrapper(
        Q(depth__gt=CHAIN_LEVELS) | Exists(restricted), output_field=BooleanField()
    )
    return (
        model.objects.filter(pk=pk)
        .order_by()
        .annotate(chain_guarded=guarded)
        .values_list(*columns, "chain_guarded")
    )


# The levels _page_row looks at: root, home, catalogue, course and module are 1-5.
CHAIN_LEVELS = 8

_PAGE_ROW = CompiledQuery(
    "content: the page served, by id", _page_row, probes={"pk": (-9_200_001, -9_200_003)}
)


def page_to_serve(parent: Page, model, slug: str) -> Page | None:
    """The parent's child of type `model` with this slug, as Wagtail serves it: found among the
    parent's children in the outline (child_for_routing), then read fresh by its id, every
    column, in a query compiled once per process (core.compiled). The lookup by path and
    slug was built by the ORM on every view and PostgreSQL planned it for 0.25 ms, by id
    0.07 ms: 0.29 -> 0.18 ms a view at 30,000 staff (benchmarks/README.md, "Module page,
    session 32"). None when there is no such child (or it was deleted since)."""
    known = child_for_routing(parent, model, slug)
    if known is None:
        return None
    rows = _PAGE_ROW.rows(model=model, pk=known.pk)
    if not rows:
        return None
    columns = [field.attname for field in model._meta.concrete_fields]
    *values, guarded = rows[0]
    page = model.from_db(router.db_for_read(model), columns, values)
    page.view_restrictions_absent = not guarded
    return page


def site_for_request(request) -> Site | None:
    """Wagtail's Site.find_for_request, from the outline: the site for the request's host and
    port with its root page as its own type, read once per generation (a site or any page
    changed starts a new one). Wagtail looked the site up with a query on every page view and
    then the home page's own type with another; shared with other requests, never changed."""
    # get_host() checks ALLOWED_HOSTS (as CommonMiddleware already has): no cache entry for a
    # host the site does not serve.
    hostname = split_domain_port(request.get_host())[0]
    port = request.get_port()
    found = per_generation(
        {(hostname, port): f"content:outline:site:{hostname}:{port}"},
        lambda keys: {keys[0]: _read_site(request)},
    )
    return found[(hostname, port)]


def _read_site(request) -> Site | None:
    site = Site._find_for_request(request)
    if site is not None:
        # Routing asks for `site.root_page.localized.specific`: the home page as a HomePage
        # is its own `specific`, so no request reads it again.
        site.root_page = site.root_page.specific
    return site
