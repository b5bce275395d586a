"""Real-browser journeys: Playwright drives Debian's Chromium against pytest-django's live
server, runs axe-core (from node_modules, installed from the npm registry by `make install`) on
every page a journey visits at phone width (375 px) and desk width (1280 px), checks there that
the page fits the width (no sideways scroll of the page itself), and saves a screenshot at each.

One browser for a run of consecutive browser tests in a process (see _SharedBrowser); each test
gets its own browser context, so cookies never leak between journeys. The live server needs
transactional tests, and a transactional test flushes the database, so every journey builds its
own data and asks for `serialized_rollback` to get the rows that migrations create (the Wagtail
root page, the editors' group, session topics) back.
"""

import base64
import contextlib
import functools
import json
import os
import re
import shutil
import sys
import time
import urllib.request
import weakref
from pathlib import Path

import pytest
from django.conf import settings

from tests.live_server import started

# Debian's headless shell of Chromium (package chromium-headless-shell: the same Blink and the
# same version as /usr/bin/chromium, without the desktop browser around it; what Playwright
# itself runs for headless tests): in the 14 journeys alone Chromium's processes used 69.4
# CPU-seconds with it against 97.7 with the full browser (every process of the run 90.2 against
# 119.9; 80 s against 95 s; session 36), and the pictures are the same.
# The full browser when the shell is not installed.
HEADLESS_SHELL = Path("/usr/bin/chromium-headless-shell")
CHROMIUM = Path(
    os.environ.get("CHROMIUM_PATH")
    or (HEADLESS_SHELL if HEADLESS_SHELL.exists() else "/usr/bin/chromium")
)
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"
WIDTHS = (375, 1280)
SHOT_SUFFIX = ".png"
# The WCAG 2.0 and 2.1 A and AA rules, as the law (2018:1937) and EN 301 549 require.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
E2E_DIR = Path(__file__).parent
_took_screenshots: set[str] = set()
_cleared: set[Path] = set()
_shots: dict[Path, int] = {}
_warmed: set[str] = set()


def pytest_collection_modifyitems(config, items):
    reason = None
    if not CHROMIUM.exists():
        shell = "apt-get install chromium-headless-shell; .ci/run does it"
        reason = f"needs Chromium at {CHROMIUM} ({shell})"
    elif not AXE.exists():
        reason = f"needs axe-core at {AXE} (make install runs npm ci)"
    if reason is None:
        return
    for item in items:
        if E2E_DIR in Path(item.path).parents:
            item.add_marker(pytest.mark.skip(reason=reason))


def _screenshot_note() -> str:
    folders = ", ".join(sorted(_took_screenshots))
    return f"Screenshots of the browser journeys ({folders}): {SCREENSHOTS}"


def pytest_sessionfinish(session):
    _shared_browser.stop()  # a run stopped early (-x, Ctrl+C) has not torn its last test down
    # Under pytest-xdist the controller never loads this conftest (it does not collect), so a
    # worker prints the folder itself, past pytest's output capture.
    if _took_screenshots and hasattr(session.config, "workerinput"):
        capture = session.config.pluginmanager.getplugin("capturemanager")
        with capture.global_and_fixture_disabled():
            print(f"\n{_screenshot_note()}", file=sys.stderr)  # noqa: T201


def pytest_terminal_summary(terminalreporter):
    if _took_screenshots:
        terminalreporter.write_sep("-", "browser journeys")
        terminalreporter.write_line(_screenshot_note())


class _SharedBrowser:
    """One Chromium for a run of consecutive browser tests in this process: starting Playwright
    and the browser took 1-3 s for each journey file. It is stopped as soon as the next test is
    not a browser test (see pytest_runtest_teardown), because while Playwright runs it marks an
    asyncio loop as running on this thread, and other tests must not run under that."""

    def __init__(self):
        self.playwright = None
        self.browser = None
        self.previous = None

    def get(self):
        if self.browser is not None:
            return self.browser
        from django.db import connections
        from playwright.sync_api import sync_playwright

        # Playwright's sync API marks an asyncio loop as running on this thread. Django then
        # refuses database calls (allowed again while the browser is open: the test's own calls
        # are synchronous), and asgiref hands this thread new, context-local connections: they
        # need the snapshot that serialized_rollback restores, and must be closed at the end.
        self.previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        snapshots = {
            alias: connections[alias]._test_serialized_contents
            for alias in connections
            if hasattr(connections[alias], "_test_serialized_contents")
        }
        self.playwright = sync_playwright().start()
        for alias, snapshot in snapshots.items():
            connections[alias]._test_serialized_contents = snapshot
        # A date field is formatted by the browser's own language, not the page's lang nor the
        # context's locale (mm/dd/yyyy in every screenshot): the browser runs in Swedish as a
        # municipality's staff's does. Headless Chromium reads it from LANGUAGE (it ignores
        # --lang): without it the shell shows 12/01/2026. The shell needs no locale pack for it;
        # the full browser needs Swedish's (Debian: chromium-l10n), or it stays en-US.
        self.browser = self.playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
            env={**os.environ, "LANG": "sv_SE.UTF-8", "LANGUAGE": "sv"},
        )
        return self.browser

    def stop(self) -> None:
        if self.playwright is None:
            return
        from django.db import connections

        try:
            if self.browser is not None:
                self.browser.close()
        finally:
            self.browser = None
            connections.close_all()
            self.playwright.stop()
            self.playwright = None
            if self.previous is None:
                os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
            else:
                os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = self.previous


_shared_browser = _SharedBrowser()


def _is_browser_test(item) -> bool:
    return item is not None and E2E_DIR in Path(item.path).parents


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    # After the test's own teardown (the flush, and the rows put back): the browser stays for
    # the next test only if that is a browser test too.
    yield
    if not _is_browser_test(nextitem):
        _shared_browser.stop()


@pytest.fixture(scope="session", autouse=True)
def _browser_stopped_before_the_database_goes(django_db_setup):
    """When the run ends on a browser test, pytest finalises the session's fixtures inside that
    test's teardown, before the hook above stops the browser: the browser's context-local
    database connections were still open when django_db_setup dropped the test database
    ("being accessed by other users"). Set up after django_db_setup, this runs before it."""
    yield
    _shared_browser.stop()


def _cached_static_files_handler():
    from django.contrib.staticfiles.handlers import StaticFilesHandler

    class CachedStaticFilesHandler(StaticFilesHandler):
        """The live server's static files with a lifetime, so that a browser context fetches
        each once, as a browser does in production, where WhiteNoise serves the hashed names
        as immutable. Without one (Django's development serve()) every page fetched its three
        stylesheets, its script and its icon again, through this process: 5 of a page's 6
        requests, 300 of 363 in a part of the sweep; with it, 40."""

        def serve(self, request):
            response = super().serve(request)
            response["Cache-Control"] = "max-age=3600"
            return response

    return CachedStaticFilesHandler


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server without the wait on kept-open connections
    (tests/live_server.py), with static files the browser may cache (see
    _cached_static_files_handler)."""
    server = started(request, static_handler=_cached_static_files_handler())
    yield server
    server.stop()


@pytest.fixture
def browser():
    """The process's Chromium (each test makes its own contexts, so nothing leaks)."""
    return _shared_browser.get()


class Journey:
    """A browser tab on the live server that checks every page it is asked to look at."""

    def __init__(self, page, *, base_url: str, name: str):
        self.page = page
        self.base_url = base_url
        self.name = name
        self.folder = SCREENSHOTS / name

    def url(self, path: str) -> str:
        return self.base_url + path

    def goto(self, path: str, *, check: str | None = None, status: int = 200):
        response = self.page.goto(self.url(path))
        assert response is not None
        assert response.status == status, f"{path} answered {response.status}"
        if check:
            self.check(check)
        return response

    def login(self, email: str, password: str) -> None:
        """Log in through the login form, as a person does (the journeys that test the login
        itself; the others use log_in_as)."""
        self.goto("/accounts/login/", check="login")
        self.page.get_by_label("E-post", exact=True).fill(email)
        self.page.get_by_label("Lösenord").fill(password)
        self.page.get_by_role("button", name="Logga in").click()
        self.page.wait_for_load_state()
        assert "/accounts/login/" not in self.page.url, self.page.content()

    def log_in_as(self, user) -> None:
        """Be logged in as `user` on the page the login form leads to, without the form: a
        session made by Django's own login() (its signals run, as for the form) in this
        context's cookie, then the login page, which sends a logged-in person where the form
        would have. The form and its page are tested in test_public_pages and the keyboard
        journey, and shown in the sweep; here they were the same page checked again before
        every role's part of a journey."""
        self.page.context.add_cookies([session_cookie(user, url=self.base_url)])
        self.goto("/accounts/login/")
        assert "/accounts/login/" not in self.page.url, self.page.content()

    def check(self, label: str, *, exclude: list[str] | None = None) -> None:
        """At phone width (375 px) and at desk width (1280 px): the page fits the width with no
        sideways scroll of its own, its chart labels are at least 12 px, our controls are at
        least 44 px high on the phone, axe-core's WCAG 2.x A/AA rules find nothing; then a
        screenshot at that width."""
        settle(self.page)
        size = self.page.viewport_size
        self.folder.mkdir(parents=True, exist_ok=True)
        number = _shots[self.folder] = _shots.get(self.folder, 0) + 1
        try:
            for width in widths_from(size["width"]):
                resize(self.page, width)
                problems = layout_problems(self.page, width)
                assert problems == [], f"{self.page.url} at {width} px:\n" + "\n".join(problems)
                violations = run_axe(self.page, exclude=exclude)
                assert violations == [], (
                    f"axe on {self.page.url} at {width} px:\n{format_violations(violations)}"
                )
                screenshot(self.page, self._path(number, label, width))
        finally:
            resize(self.page, size["width"], size["height"])
        _took_screenshots.add(self.name)

    def _path(self, number: int, label: str, width: int) -> Path:
        ascii_label = label.lower().translate(str.maketrans("åäöé", "aaoe"))
        slug = re.sub(r"[^a-z0-9]+", "-", ascii_label).strip("-")
        return self.folder / f"{number:02d}-{slug}-{width}{SHOT_SUFFIX}"

    def screenshot(self, label: str) -> None:
        """Screenshots at both widths without the checks (a page mid-way through a step)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        number = _shots[self.folder] = _shots.get(self.folder, 0) + 1
        size = self.page.viewport_size
        for width in widths_from(size["width"]):
            resize(self.page, width)
            screenshot(self.page, self._path(number, label, width))
        resize(self.page, size["width"], size["height"])
        _took_screenshots.add(self.name)


def widths_from(current: int) -> list[int]:
    """WIDTHS, the one the page is at first: it is checked as it loaded, and one resize fewer
    (each is a relayout and a repaint) is needed for the other."""
    return sorted(WIDTHS, key=lambda width: width != current)


# Until no animation runs (5 s at most), checked in the page in one round trip: Playwright's
# wait_for_function took two or more (it polls on animation frames), 53 ms a page in the sweep
# when nothing ran (its index file, load 8 on 2 cores).
_SETTLE_JS = """async (timeout) => {
    const deadline = performance.now() + timeout;
    while (document.getAnimations().some(a => a.playState === 'running')) {
        if (performance.now() > deadline) return false;
        await new Promise(r => requestAnimationFrame(() => r()));
    }
    return true;
}"""
SETTLE_MS = 5_000


def settle(page) -> None:
    """The page loaded, and a fading message checked once it has faded in, not halfway (Wagtail
    animates)."""
    page.wait_for_load_state()
    assert page.evaluate(_SETTLE_JS, SETTLE_MS), f"{page.url}: still animating after {SETTLE_MS} ms"


def resize(page, width: int, height: int = 800) -> None:
    if page.viewport_size == {"width": width, "height": height}:
        return
    page.set_viewport_size({"width": width, "height": height})
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => r()))")


# Before a screenshot, in one round trip: the text caret hidden in the page (it blinks: the same
# page would give different pictures) and the fonts loaded, as Playwright's page.screenshot does
# them, and the page's full size as Playwright measures it, so the picture is the one it takes.
_SHOT_PREPARE_JS = """async () => {
    const roots = [document];
    for (let i = 0; i < roots.length; i++) {
        for (const el of roots[i].querySelectorAll('*')) {
            if (el.shadowRoot) roots.push(el.shadowRoot);
        }
    }
    const carets = new Map();
    for (const root of roots) {
        for (const el of root.querySelectorAll('input,textarea,[contenteditable]')) {
            carets.set(el, [el.style.getPropertyValue('caret-color'),
                            el.style.getPropertyPriority('caret-color')]);
            el.style.setProperty('caret-color', 'transparent', 'important');
        }
    }
    window.__shotCleanup = () => {
        for (const [el, [value, priority]] of carets) {
            el.style.setProperty('caret-color', value, priority);
        }
        delete window.__shotCleanup;
    };
    await document.fonts.ready;
    const body = document.body, doc = document.documentElement;
    return {
        width: Math.max(body.scrollWidth, doc.scrollWidth, body.offsetWidth, doc.offsetWidth,
                        body.clientWidth, doc.clientWidth),
        height: Math.max(body.scrollHeight, doc.scrollHeight, body.offsetHeight, doc.offsetHeight,
                         body.clientHeight, doc.clientHeight),
    };
}"""
_cdp_sessions: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def screenshot(page, path: Path) -> None:
    """The full page as a PNG: the picture Playwright's page.screenshot(full_page=True) takes
    (the same size, caret hidden, fonts loaded), asked of Chromium directly with
    optimizeForSpeed, which encodes the PNG with a faster zlib setting (a third larger, the same
    pixels: 393 of 394 pictures of a run were identical, the other showed other data). In the
    sweep Playwright's call took 128 and 100 ms a picture in its two parts, this one 63 and 61
    (112 pictures a part, load 8-9 on 2 cores); on a long page at 1280 px, 1049 and 515 ms."""
    from playwright.sync_api import Error as PlaywrightError

    if page not in _cdp_sessions:
        _cdp_sessions[page] = page.context.new_cdp_session(page)
    cdp = _cdp_sessions[page]
    size = page.evaluate(_SHOT_PREPARE_JS)
    viewport = page.viewport_size
    fits = size["width"] <= viewport["width"] and size["height"] <= viewport["height"]
    request = {
        "format": "png",
        "clip": {"x": 0, "y": 0, **size, "scale": 1},
        # As Playwright: the viewport is stretched to the page only when it is taller.
        "captureBeyondViewport": not fits,
        "optimizeForSpeed": True,
    }
    try:
        try:
            shot = cdp.send("Page.captureScreenshot", request)
        except PlaywrightError as error:
            # Chromium answers so when its compositor had no frame to give at that moment (once
            # in a full run, at load 2-3, session 35): the next frame, and once more.
            if "Unable to capture screenshot" not in str(error):
                raise
            page.evaluate("() => new Promise(r => requestAnimationFrame(() => r()))")
            shot = cdp.send("Page.captureScreenshot", request)
    finally:
        page.evaluate("() => window.__shotCleanup && window.__shotCleanup()")
    path.write_bytes(base64.b64decode(shot["data"]))


# What a phone shows wrongly that axe does not test: a page wider than the screen (named by
# its widest elements), chart text drawn below 12 px, and our own buttons and form controls
# below 44 px (WCAG 2.5.5's target size; links inside running text are exempt, as the rule says).
# The Wagtail admin is Wagtail's design, not ours: there only the width is checked.
_LAYOUT_JS = """([width, minText, minTarget]) => {
    const problems = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > width) {
        const wide = [...document.querySelectorAll('body *')]
            .filter(el => el.getBoundingClientRect().right > width + 1)
            .filter(el => ![...el.children].some(c => c.getBoundingClientRect().right > width + 1))
            .slice(0, 5)
            .map(el => el.tagName.toLowerCase() + (el.className && typeof el.className === 'string'
                ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
                + ' "' + (el.textContent || '').trim().slice(0, 40) + '"');
        problems.push(`the page is ${doc.scrollWidth} px wide: ${wide.join('; ')}`);
    }
    for (const text of document.querySelectorAll('svg text')) {
        const box = text.getBoundingClientRect();
        if (!box.width) continue;
        const matrix = text.getScreenCTM();
        const scale = matrix ? Math.abs(matrix.a) : 1;
        const size = parseFloat(getComputedStyle(text).fontSize) * scale;
        if (size < minText) {
            problems.push(`chart text "${text.textContent.trim()}" is ${size.toFixed(1)} px`);
        }
    }
    if (width < 600 && document.querySelector('.site-header')) {
        const controls = document.querySelectorAll(
            '.button, button, input[type=submit], select, textarea, .site-menu > summary, '
            + 'input:not([type=hidden]):not([type=checkbox]):not([type=radio])');
        for (const el of controls) {
            const box = el.getBoundingClientRect();
            if (!box.width || el.closest('.visually-hidden, [hidden]')) continue;
            if (box.height < minTarget - 0.5) {
                const name = (el.textContent || el.name || '').trim().slice(0, 40);
                const tag = el.tagName.toLowerCase();
                problems.push(`${tag} "${name}" is ${Math.round(box.height)} px high`);
            }
        }
    }
    return problems;
}"""
MIN_CHART_TEXT_PX = 12
MIN_TARGET_PX = 44


def layout_problems(page, width: int, *, more_js: str | None = None) -> list[str]:
    """The problems _LAYOUT_JS finds at `width`, and those of `more_js` (a function of no
    arguments that returns a list of problems) in the same round trip to the browser."""
    if more_js is None:
        return page.evaluate(_LAYOUT_JS, [width, MIN_CHART_TEXT_PX, MIN_TARGET_PX])
    both = f"(args) => [...({_LAYOUT_JS})(args), ...({more_js})()]"
    return page.evaluate(both, [width, MIN_CHART_TEXT_PX, MIN_TARGET_PX])


@functools.cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def preload_axe(context) -> None:
    """Have axe-core in every top-level document of the context from its start, for a context
    whose every page is checked (the sweep): sending the 550 kB script through the DevTools
    protocol for each page took 460 ms a page there under load. Like `run_axe`'s own injection
    it goes through the protocol, not a <script> element, so the page's Content-Security-Policy
    stays in force; frames do not get it, as they do not from `run_axe`, so axe tests the
    same."""
    context.add_init_script(script="if (window === window.top) {\n" + _axe_source() + "\n}")


# null when the page has no axe yet (a context without preload_axe): one round trip to the
# browser a run instead of two where it has.
_AXE_RUN_JS = """async ([context, tags]) => {
    if (typeof window.axe !== 'object') return null;
    const result = await window.axe.run(
        context, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]},
    );
    return result.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary})),
    }));
}"""


def run_axe(page, *, exclude: list[str] | None = None) -> list[dict]:
    """Run axe-core in the page. It is evaluated through the DevTools protocol rather than
    added as a <script> element, so the page's Content-Security-Policy stays in force."""
    context = {"include": [["html"]], "exclude": [[selector] for selector in exclude or []]}
    violations = page.evaluate(_AXE_RUN_JS, [context, AXE_TAGS])
    if violations is None:
        page.evaluate(_axe_source() + "\n;undefined")
        violations = page.evaluate(_AXE_RUN_JS, [context, AXE_TAGS])
    assert violations is not None, "axe-core did not load in the page"
    return violations


def format_violations(violations: list[dict]) -> str:
    return json.dumps(violations, indent=2, ensure_ascii=False)


def new_context(browser):
    """A browser context as a Swedish user in Stockholm sees the site, at desktop width."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 800},
        locale="sv-SE",
        timezone_id="Europe/Stockholm",
        reduced_motion="reduce",
    )
    context.set_default_timeout(10_000)
    return context


def warm_up(live_server) -> None:
    """The first request to a fresh live server imports the views and compiles the templates
    (and its static files are read for the first time): on a loaded machine that took more than
    the 10 s a navigation may take, and failed the journeys' first page. Once per process."""
    if live_server.url in _warmed:
        return
    assert live_server.url.startswith("http://")  # urlopen only ever sees the live server
    with urllib.request.urlopen(live_server.url + "/accounts/login/", timeout=120) as answer:  # noqa: S310
        html = answer.read().decode()
    for asset in re.findall(r'(?:href|src)="(/static/[^"]+)"', html):
        with urllib.request.urlopen(live_server.url + asset, timeout=120) as answer:  # noqa: S310
            answer.read()
    _warmed.add(live_server.url)


def session_cookie(user, *, url: str) -> dict:
    """A logged-in session for `user`, as Playwright's cookie for the live server at `url`: as
    if the password had just been typed (allauth's e-mail pages ask for it again otherwise)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    session = client.session
    session["account_authentication_methods"] = [
        {"method": "password", "at": time.time(), "email": user.email}
    ]
    session.save()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    return {"name": cookie.key, "value": cookie.value, "url": url}


class _InFlight:
    """The context's requests not yet answered, to end a test only when the server is done
    with them: the database is flushed after the test, under any request still running."""

    def __init__(self, context):
        self.pending = set()
        context.on("request", lambda request: self.pending.add(request))
        context.on("requestfinished", lambda request: self.pending.discard(request))
        context.on("requestfailed", lambda request: self.pending.discard(request))

    def wait(self, page, timeout_ms: int = 3_000) -> None:
        waited = 0
        while self.pending and waited < timeout_ms:
            page.wait_for_timeout(25)  # lets Playwright deliver the events
            waited += 25


@pytest.fixture
def journey(request, browser, live_server):
    """A fresh browser context (no cookies) at desktop width; screenshots go to
    test-artifacts/screenshots/<journey>/, where <journey> is the test file's name."""
    name = Path(request.node.path).stem.removeprefix("test_")
    folder = SCREENSHOTS / name
    if folder not in _cleared:  # last run's pictures go; this run's other tests' stay
        shutil.rmtree(folder, ignore_errors=True)
        _cleared.add(folder)
    warm_up(live_server)
    context = new_context(browser)
    # Nearly every page a journey opens is checked, so axe comes with every page (see
    # preload_axe) instead of through the protocol for each check.
    preload_axe(context)
    in_flight = _InFlight(context)
    page = context.new_page()
    try:
        yield Journey(page, base_url=live_server.url, name=name)
    finally:
        # Let the page's last requests finish before the database is flushed under them.
        with contextlib.suppress(Exception):
            page.wait_for_load_state(timeout=3_000)
            in_flight.wait(page)
        context.close()
