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

import secrets

from django.core.cache import cache
from django.db.models import Q
from wagtail.fields import StreamField
from wagtail.models import Page

from content.models import CoursePage, ModulePage

GENERATION_KEY = "content:curriculum-generation"
OUTLINE_TIMEOUT = 300  # seconds

# What module lists (the dashboard, the course page, the module page's navigation) read:
# titles and links only, so no module's body or knowledge check is parsed for a list.
MODULE_LIST_FIELDS = (
    "title",
    "slug",
    "path",
    "depth",
    "url_path",
    "live",
    "translation_key",
    "locale",
)


def forget_outlines() -> None:
    """Start a new curriculum generation: every cached outline is read again when next needed."""
    cache.set(GENERATION_KEY, secrets.token_hex(8), timeout=None)


def _modules_key(course: CoursePage) -> str:
    return f"content:outline:modules:{course.pk}:{course.path}"


def _prerequisites_key(course_id: int) -> str:
    return f"content:outline:prerequisites:{course_id}"


# This process's unpickled copies of the outlines, by cache key, with their generation: reading
# them back from the cache on every page view (unpickling 65 modules) cost more than the rest of
# the outline. Valid only while the shared generation is unchanged, so never stale beyond it.
# Callers must not change what they get (learning copies a page before translating its title).
_unpickled: dict[str, tuple[str, object]] = {}


def _generation() -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = secrets.token_hex(8)
        # add(): when two processes start a generation at once, the first one wins.
        if not cache.add(GENERATION_KEY, generation, timeout=None):
            generation = cache.get(GENERATION_KEY, generation)
    return generation


def _cached(keys: list[str]) -> tuple[str, dict]:
    """The current generation and the outlines cached under `keys` in that generation."""
    generation = _generation()
    found = {}
    for key in keys:
        copy = _unpickled.get(key)
        if copy is not None and copy[0] == generation:
            found[key] = copy[1]
    wanted = [key for key in keys if key not in found]
    if wanted:
        for key, (stored_generation, value) in cache.get_many(wanted).items():
            if stored_generation == generation:
                found[key] = value
                _unpickled[key] = (generation, value)
    return generation, found


def _store(generation: str, values: dict[str, object]) -> None:
    cache.set_many(
        {key: (generation, value) for key, value in values.items()}, timeout=OUTLINE_TIMEOUT
    )
    _unpickled.update({key: (generation, value) for key, value in values.items()})


def live_modules_by_course(courses: list[CoursePage]) -> dict[str, list[ModulePage]]:
    """Live modules of the given courses in tree order, keyed by course path; each module has
    `list_url`, its link. Cached: at most one query, for the courses not in the cache."""
    if not courses:
        return {}
    keys = {course.path: _modules_key(course) for course in courses}
    generation, found = _cached(list(keys.values()))
    result = {path: found[key] for path, key in keys.items() if key in found}
    missing = [course for course in courses if course.path not in result]
    if missing:
        read = _read_modules(missing)
        _store(generation, {keys[path]: modules for path, modules in read.items()})
        result.update(read)
    return result


def _read_modules(courses: list[CoursePage]) -> dict[str, list[ModulePage]]:
    condition = Q()
    for course in courses:
        condition |= Q(path__startswith=course.path)
    modules = (
        ModulePage.objects.live()
        .filter(condition, depth=courses[0].depth + 1)
        .only(*MODULE_LIST_FIELDS)
        .order_by("path")
    )
    result: dict[str, list[ModulePage]] = {course.path: [] for course in courses}
    for module in modules:
        # The link is the same for every reader (one site; originals link without a language
        # prefix): computing it once saves a URL reversal per module and page view.
        module.list_url = module.get_url()
        result.setdefault(module.path[: -module.steplen], []).append(module)
    return result


def prerequisites_by_course(course_ids: list[int]) -> dict[int, list[tuple[int, str]]]:
    """Per course, its prerequisite courses as (id, title). Cached: at most one query."""
    keys = {course_id: _prerequisites_key(course_id) for course_id in course_ids}
    generation, found = _cached(list(keys.values()))
    result = {course_id: found[key] for course_id, key in keys.items() if key in found}
    missing = [course_id for course_id in course_ids if course_id not in result]
    if missing:
        read: dict[int, list[tuple[int, str]]] = {course_id: [] for course_id in missing}
        rows = CoursePage.prerequisites.through.objects.filter(
            from_coursepage__in=missing
        ).values_list("from_coursepage_id", "to_coursepage_id", "to_coursepage__title")
        rows = rows.order_by("pk")
        for course_id, required_id, title in rows:
            read[course_id].append((required_id, title))
        _store(generation, {keys[course_id]: value for course_id, value in read.items()})
        result.update(read)
    return result


def child_for_routing(parent: Page, model, slug: str) -> Page | None:
    """The parent's child of type `model` with this slug, to route through on the way to a page
    below it (the catalogue and a course, on the way to a module). Cached with all of the
    parent's children of that type, without their StreamFields (a course's learning outcomes),
    which pages passed through do not show."""
    key = f"content:outline:children:{parent.pk}:{parent.path}:{model._meta.label_lower}"
    generation, found = _cached([key])
    children = found.get(key)
    if children is None:
        streams = [f.name for f in model._meta.concrete_fields if isinstance(f, StreamField)]
        children = {page.slug: page for page in model.objects.child_of(parent).defer(*streams)}
        _store(generation, {key: children})
    return children.get(slug)
