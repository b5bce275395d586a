"""The page tree and a named cast, as in STYLE.md: ny, mentor, chef, redaktor, kommunadmin in
municipality A, kursledare (a course leader) in municipality A, and utomstaende (an outsider)
and kommunadmin_b (its municipal admin) in municipality B."""

import gc
import os
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import DatabaseError
from django.utils import timezone, translation
from wagtail.models import Page, Site

from content.models import CatalogPage, HomePage
from core import outbox
from tests import cast, clock, fast_reset, redis_dbs, replay, template_db, timing
from tests import live_server as live_server_module
from tests.factories import add_course, add_module


@pytest.fixture(scope="session")
def django_db_setup(
    request,
    django_test_environment,
    django_db_blocker,
    django_db_use_migrations,
    django_db_keepdb,
    django_db_createdb,
    django_db_modify_db_settings,
):
    """pytest-django's set-up, except that on PostgreSQL each worker copies a template database
    migrated once (tests/template_db.py) instead of running every migration itself."""
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _get_databases_for_setup

    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    verbosity = request.config.option.verbose
    keepdb = django_db_keepdb and not django_db_createdb
    use_template = (
        django_db_use_migrations
        and not keepdb
        and aliases
        and all(template_db.is_postgresql(alias) for alias in aliases)
    )
    if not use_template:
        if not django_db_use_migrations:
            from pytest_django.fixtures import _disable_migrations

            _disable_migrations()
        with django_db_blocker.unblock():
            db_cfg = setup_databases(
                verbosity=verbosity,
                interactive=False,
                aliases=aliases,
                serialized_aliases=serialized_aliases,
                keepdb=keepdb,
            )
        yield
        if not django_db_keepdb:
            with django_db_blocker.unblock():
                teardown_databases(db_cfg, verbosity=verbosity)
        return

    # The same for every xdist worker of this run (pytest-xdist's testrunuid).
    workerinput = getattr(request.config, "workerinput", None)
    run_id = workerinput["testrunuid"] if workerinput else uuid.uuid4().hex
    with django_db_blocker.unblock():
        old_names = {
            alias: template_db.setup_from_template(
                alias,
                verbosity=verbosity,
                rebuild=django_db_createdb,
                serialize=alias in serialized_aliases,
                run_id=run_id,
            )
            for alias in aliases
        }
    yield
    if django_db_keepdb:  # --create-db --reuse-db: keep the new worker database for later runs
        return
    with django_db_blocker.unblock():
        for alias, old_name in old_names.items():
            template_db.teardown(alias, old_name, verbosity=verbosity)


@pytest.fixture(scope="session", autouse=True)
def _transactional_tests_reset_quickly():
    """A transactional test's flush and the restore of the migrations' rows, by DELETE and one
    INSERT per table (tests/fast_reset.py): 3-5 s less for each such test under load.
    FAST_RESET=0 uses Django's own (to compare)."""
    if os.environ.get("FAST_RESET", "1") == "0":
        yield
        return
    fast_reset.install()
    yield
    fast_reset.uninstall()


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, without the wait on kept-open connections
    (tests/live_server.py); the browser journeys' own adds cacheable static files."""
    server = live_server_module.started(request)
    yield server
    server.stop()


@pytest.fixture(scope="session", autouse=True)
def _a_cache_of_its_own():
    """With Redis as the cache, each xdist worker gets a Redis database of its own: every test
    starts with `cache.clear()`, which is FLUSHDB, and on one shared database a worker's clear
    emptied the cache under the other worker's running test (an outline test failed so)."""
    from django.test.utils import override_settings

    cache_settings = dict(django_settings.CACHES["default"])
    if redis_dbs.worker_number() is None or "redis" not in cache_settings["BACKEND"].lower():
        yield
        return
    cache_settings["LOCATION"] = redis_dbs.url(cache_settings["LOCATION"], redis_dbs.CACHE)
    with override_settings(CACHES={**django_settings.CACHES, "default": cache_settings}):
        yield


# The local day when this process collected the tests: modules keep dates computed then
# (`TODAY = timezone.localdate()`).
COLLECTED_ON = timezone.localdate()


@pytest.fixture(autouse=True)
def _the_day_the_run_began(request):
    """A run that goes past midnight in Stockholm would compare a module's TODAY with the next
    day (two tests failed so at 23:00 UTC): each test runs on the day the run began. Not the
    tests whose peers keep the real clock (tests/clock.py)."""
    if clock.has_real_clock_peer(request.node):
        yield
        return
    with clock.on_the_day(COLLECTED_ON):
        yield


@pytest.fixture(autouse=True)
def _each_test_in_the_default_language():
    """Django's LocaleMiddleware activates the request's language in the test's thread and
    never takes it back: after a test whose last request was in English, the next test on
    the same worker read English labels (two failed so once the order of files changed)."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CELERY_TASK_ALWAYS_EAGER = True
    # Login rate limits count in the cache: each test starts with a clean slate.
    cache.clear()
    # A broker outage in an earlier test must not keep this one's outbox from handing off.
    outbox._broker_down_until = 0.0


@pytest.fixture
def home(db):
    def build():
        root = Page.get_first_root_node()
        home = HomePage(title="Introsteg", slug="introsteg-test", intro="<p>Välkommen.</p>")
        root.add_child(instance=home)
        home.save_revision().publish()
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "T"},
        )
        return home

    return replay.build_once("home", build, after_replay=replay.page_tree_replayed)


@pytest.fixture
def catalog(home):
    def build():
        catalog = CatalogPage(title="Kurser", slug="kurser")
        home.add_child(instance=catalog)
        catalog.save_revision().publish()
        return catalog

    catalog = replay.build_once("catalog", build, after_replay=replay.page_tree_replayed)
    home.refresh_from_db()  # its child count, as add_child leaves it in memory
    return catalog


@pytest.fixture
def course(catalog):
    def build():
        course = add_course(catalog, title="Yrkesintroduktion")
        for number in range(1, 4):
            add_module(course, title=f"Modul {number}")
        return course

    course = replay.build_once("course", build, after_replay=replay.page_tree_replayed)
    catalog.refresh_from_db()
    return course


# The cast: built once per test process and replayed after (tests/cast.py `replayed`).
@pytest.fixture
def kommun_a(db):
    return cast.replayed("kommun_a")


@pytest.fixture
def kommun_b(db):
    return cast.replayed("kommun_b")


@pytest.fixture
def enhet_a(kommun_a):
    return cast.replayed("enhet_a", organisation=kommun_a)


@pytest.fixture
def enhet_b(kommun_b):
    return cast.replayed("enhet_b", organisation=kommun_b)


@pytest.fixture
def ny(enhet_a):
    return cast.replayed("ny", unit=enhet_a)


@pytest.fixture
def mentor(enhet_a):
    return cast.replayed("mentor", unit=enhet_a)


@pytest.fixture
def chef(enhet_a):
    return cast.replayed("chef", unit=enhet_a)


@pytest.fixture
def redaktor(kommun_a):
    return cast.replayed("redaktor", organisation=kommun_a)


@pytest.fixture
def kommunadmin(kommun_a):
    return cast.replayed("kommunadmin", organisation=kommun_a)


@pytest.fixture
def kursledare(kommun_a):
    return cast.replayed("kursledare", organisation=kommun_a)


@pytest.fixture
def utomstaende(enhet_b):
    return cast.replayed("utomstaende", unit=enhet_b)


@pytest.fixture
def kommunadmin_b(kommun_b):
    return cast.replayed("kommunadmin_b", organisation=kommun_b)


E2E = Path(__file__).parent / "e2e"
# The files that take longest: seconds of fixtures and bodies in a clean run of session 35
# (tests/timing.py prints them as "slowest files"). A file missing here only starts later.
LONGEST_FILES = {
    "tests/e2e/test_every_page_type_2.py": 29,
    "tests/e2e/test_every_page_type.py": 27,
    "tests/test_access_matrix_admin.py": 13,
    "tests/e2e/test_follow_up.py": 13,
    "tests/test_access_matrix.py": 12,
    "tests/test_fuzz.py": 12,
    "tests/e2e/test_safety_check.py": 10,
    "tests/e2e/test_new_hire_module.py": 10,
    "tests/e2e/test_editor_publishes_module.py": 8,
    "tests/e2e/test_public_pages.py": 8,
    "tests/test_query_budgets.py": 7,
    "tests/e2e/test_admin_leaver.py": 7,
    "tests/e2e/test_mentorship_lifecycle.py": 6,
    "tests/e2e/test_mentor_session.py": 6,
    "tests/followup/test_seed.py": 6,
    "tests/team/test_seed_overdue_history.py": 5,
    "tests/config/test_production.py": 5,
    "tests/followup/test_pages.py": 5,
}


# A file that mostly waits: a deliberately slow mail server, a worker killed and its task handed
# out again after the broker's visibility timeout (7.6 of its 12.7 s alone, session 34). It goes
# first, beside the first browser journey, which then has the other core to itself; where the
# longest-first order put it, beside the production-settings file, the machine stood 40 % idle
# for those seconds.
WAITS_MOSTLY = "tests/learning/test_worker_kill.py"


def _longest_first(item) -> tuple[bool, bool, int]:
    # The browser journeys together: after one, the next needs no restore of the migrated rows
    # (pytest_runtest_teardown below).
    path = item.nodeid.split("::")[0]
    return (path != WAITS_MOSTLY, E2E not in Path(item.path).parents, -LONGEST_FILES.get(path, 0))


def pytest_collection_finish(session):
    """The collected suite's objects (Django, Wagtail, every test module: ~300,000) kept out of
    the garbage collector's passes, and a young generation of 20,000 objects instead of 700:
    the collector ran ~2,400 times in a run of tests/people and its passes over the growing
    heap took 10-17 % of the process's CPU (user time 27.8-31.1 s against 23.1-28.2 s, load
    4-5, alternating). Cycles are still collected, less often; config/wsgi.py freezes the web
    processes' start-up heap the same way."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)


def pytest_collection_modifyitems(items):
    """The file that mostly waits first (WAITS_MOSTLY), then the longest files: the browser
    journeys (the sweep's two halves first), then the
    other long files, then the rest in the order collected. With `--dist loadfile
    --no-loadscope-reorder` (Makefile) xdist hands the files out in this order as workers come
    free. Its default put files with most tests first, so the one-test browser files came last,
    and collected order put the top-level files (the access matrix, the fuzz test) last: one
    worker ran them while the other had finished (12-14 s apart in clean runs)."""
    items.sort(key=_longest_first)


def pytest_runtest_setup(item):
    """A transactional test (a live server, a real worker) ends with a flush that takes the rows
    migrations created from every later test on its worker; only with serialized_rollback are
    they put back (below). Fail such a test at once instead of 260 others later."""
    marker = item.get_closest_marker("django_db")
    transactional = "live_server" in getattr(item, "fixturenames", ()) or (
        marker is not None and marker.kwargs.get("transaction")
    )
    if transactional and not (marker is not None and marker.kwargs.get("serialized_rollback")):
        pytest.fail(
            "a transactional test needs @pytest.mark.django_db(transaction=True, "
            "serialized_rollback=True): its flush would empty Wagtail's tree for later tests",
            pytrace=False,
        )


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item, nextitem):
    """Tests with serialized_rollback (browser journeys, the seat race) end with a flush that also
    removes the rows migrations created: the Wagtail root page, the locales, the role groups.
    Under xdist such a test can run before ordinary tests on the same worker, so put those rows
    back from Django's snapshot once the test's own teardown (the flush) is done."""
    marker = item.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("serialized_rollback"):
        return
    following = nextitem.get_closest_marker("django_db") if nextitem is not None else None
    if following is not None and following.kwargs.get("serialized_rollback"):
        # The next test (a browser journey after a browser journey) puts the rows back in its
        # own set-up; restoring them here as well cost 1-1.7 s a test under load.
        return
    from django.db import connection
    from pytest_django.plugin import blocking_manager_key

    contents = getattr(connection, "_test_serialized_contents", None)
    if not contents:
        return
    with item.config.stash[blocking_manager_key].unblock():
        try:
            if not Page.objects.filter(depth=1).exists():
                connection.creation.deserialize_db_from_string(contents)
        except DatabaseError:
            connection.close()  # the test itself has passed or failed already; report that


_timings = timing.Timings()


def pytest_runtest_logreport(report):
    _timings.add(report)


def pytest_terminal_summary(terminalreporter):
    lines = _timings.lines()
    if lines:
        terminalreporter.write_sep("-", "where the time went (tests/timing.py)")
        for line in lines:
            terminalreporter.write_line(line)
    # Without xdist only (the controller runs no fixtures): how often each recording was replayed.
    if replay.stats["built"] or replay.stats["replayed"]:
        terminalreporter.write_line(
            "replayed fixtures: {built} built, {replayed} replayed (tests/replay.py): ".format(
                **replay.stats
            )
            + ", ".join(
                f"{key} {counts['built']}/{counts['replayed']}"
                for key, counts in sorted(replay.stats_by_key.items())
            )
        )
