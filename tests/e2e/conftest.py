"""Real-browser journeys: Playwright drives Debian's Chromium against pytest-django's live
server, runs axe-core (from node_modules, installed from the npm registry by `make install`) on
every page a journey visits at phone width (375 px) and desk width (1280 px), checks there that
the page fits the width (no sideways scroll of the page itself), and saves a screenshot at each.

One browser per journey file (module-scoped fixture); each test gets its own browser context,
so cookies never leak between journeys. The live server needs transactional tests, and a
transactional test flushes the database, so every journey builds its own data and asks for
`serialized_rollback` to get the rows that migrations create (the Wagtail root page, the
editors' group, session topics) back.
"""

import contextlib
import functools
import json
import os
import re
import shutil
import sys
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"
WIDTHS = (375, 1280)
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
        reason = f"needs Chromium at {CHROMIUM} (apt-get install chromium; .ci/run does it)"
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


@pytest.fixture(scope="module")
def browser():
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright's sync API marks an asyncio loop as running on this thread. Django then
    # refuses database calls (allowed again while the browser is open: the test's own calls
    # are synchronous), and asgiref hands this thread new, context-local connections: they
    # need the snapshot that serialized_rollback restores, and must be closed at the end.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    snapshots = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    playwright = sync_playwright().start()
    for alias, snapshot in snapshots.items():
        connections[alias]._test_serialized_contents = snapshot
    # A date field is formatted by the browser's own language, not the page's lang nor the
    # context's locale (mm/dd/yyyy in every screenshot): the browser runs in Swedish as a
    # municipality's staff's does. Headless Chromium reads it from LANGUAGE (it ignores
    # --lang) and needs the Swedish locale pack (Debian: chromium-l10n); without the pack it
    # stays en-US.
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM),
        args=CHROMIUM_ARGS,
        env={**os.environ, "LANG": "sv_SE.UTF-8", "LANGUAGE": "sv"},
    )
    try:
        yield browser
    finally:
        browser.close()
        connections.close_all()
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


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
        self.goto("/accounts/login/", check="login")
        self.page.get_by_label("E-post", exact=True).fill(email)
        self.page.get_by_label("Lösenord").fill(password)
        self.page.get_by_role("button", name="Logga in").click()
        self.page.wait_for_load_state()
        assert "/accounts/login/" not in self.page.url, self.page.content()

    def check(self, label: str, *, exclude: list[str] | None = None) -> None:
        """At phone width (375 px) and at desk width (1280 px): the page fits the width with no
        sideways scroll of its own, its chart labels are at least 12 px, our controls are at
        least 44 px high on the phone, axe-core's WCAG 2.x A/AA rules find nothing; then a
        screenshot at that width."""
        self.page.wait_for_load_state()
        # A fading message is checked once it has faded in, not halfway (Wagtail animates).
        self.page.wait_for_function(
            "() => document.getAnimations().every(a => a.playState !== 'running')",
            timeout=5_000,
        )
        size = self.page.viewport_size
        self.folder.mkdir(parents=True, exist_ok=True)
        number = _shots[self.folder] = _shots.get(self.folder, 0) + 1
        try:
            for width in WIDTHS:
                self.page.set_viewport_size({"width": width, "height": 800})
                self.page.evaluate("() => new Promise(r => requestAnimationFrame(() => r()))")
                problems = layout_problems(self.page, width)
                assert problems == [], f"{self.page.url} at {width} px:\n" + "\n".join(problems)
                violations = run_axe(self.page, exclude=exclude)
                assert violations == [], (
                    f"axe on {self.page.url} at {width} px:\n{format_violations(violations)}"
                )
                self.page.screenshot(path=str(self._path(number, label, width)), full_page=True)
        finally:
            self.page.set_viewport_size(size)
        _took_screenshots.add(self.name)

    def _path(self, number: int, label: str, width: int) -> Path:
        ascii_label = label.lower().translate(str.maketrans("åäöé", "aaoe"))
        slug = re.sub(r"[^a-z0-9]+", "-", ascii_label).strip("-")
        return self.folder / f"{number:02d}-{slug}-{width}.png"

    def screenshot(self, label: str) -> None:
        """Screenshots at both widths without the checks (a page mid-way through a step)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        number = _shots[self.folder] = _shots.get(self.folder, 0) + 1
        size = self.page.viewport_size
        for width in WIDTHS:
            self.page.set_viewport_size({"width": width, "height": 800})
            self.page.screenshot(path=str(self._path(number, label, width)), full_page=True)
        self.page.set_viewport_size(size)
        _took_screenshots.add(self.name)


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


def layout_problems(page, width: int) -> list[str]:
    return page.evaluate(_LAYOUT_JS, [width, MIN_CHART_TEXT_PX, MIN_TARGET_PX])


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


def run_axe(page, *, exclude: list[str] | None = None) -> list[dict]:
    """Run axe-core in the page. It is evaluated through the DevTools protocol rather than
    added as a <script> element, so the page's Content-Security-Policy stays in force."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source() + "\n;undefined")
    context = {"include": [["html"]], "exclude": [[selector] for selector in exclude or []]}
    return page.evaluate(
        """async ([context, tags]) => {
            const result = await window.axe.run(
                context, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]},
            );
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary})),
            }));
        }""",
        [context, AXE_TAGS],
    )


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
    page = context.new_page()
    try:
        yield Journey(page, base_url=live_server.url, name=name)
    finally:
        # Let the page's last requests finish before the database is flushed under them.
        with contextlib.suppress(Exception):
            page.wait_for_load_state("networkidle", timeout=3_000)
        context.close()
