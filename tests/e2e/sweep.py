"""Every page type at phone width (375 px) and desk width (1280 px): the width
check, the chart-text and touch-target checks and axe-core's WCAG 2.x A/AA rules of the
journeys (tests/e2e/conftest.py), and a screenshot of each in
test-artifacts/screenshots/every_page_type/ (issue 17: "screenshots of every page type at both
widths are in the test artifacts").

The list of pages is not kept here. It is derived from the declarations the access tests
already keep, so a new URL is covered as soon as it is declared there:
- every GET pattern in the access matrix (tests/test_access_matrix.py POLICIES), as a role
  that may see it, with the matrix's own objects for its arguments;
- the follow-up roles' pages (tests/followup/test_access.py FOLLOW_UP), as those roles;
- a GET pattern the matrix declares for none of its roles (the platform operator's pages) as
  a superuser;
- allauth's account pages without parameters, as a visitor or else as a new hire;
- one page of every Wagtail page type of our own apps, as the new hire;
- the 404 page.
A declared page that answers none of them with an HTML page fails the test by name, unless it
answers with a file (an export, a calendar, a PDF), which a browser downloads, not shows. The
browser's own answer says which (its status and Content-Type; the test client is asked only
about a download, which the browser answers without either, and about the account pages, to
find the role that sees each).

allauth's two-step pages (set up, turn off, recovery codes) answer only a session that has just
re-entered its password: the new hire and the mentor do so through the real reauthenticate
form in their browser before the account pages are shown.

The sweep is split into PARTS tests, in files of their own (test_every_page_type*.py), so that
`--dist loadfile` can give them to different workers: page i of the one ordered list is shown
by part i % PARTS, and keeps its number in the screenshots' names. Each part counts where its
time went (navigation, axe, screenshots, ...) in its index file beside the pictures.
"""

import collections
import contextlib
import re
import time
from dataclasses import dataclass

from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError
from wagtail.models import PageViewRestriction, get_page_models

from content.models import HomePage, InfoPage
from tests.e2e.conftest import (
    SCREENSHOTS,
    SHOT_SUFFIX,
    WIDTHS,
    _took_screenshots,
    format_violations,
    layout_problems,
    new_context,
    preload_axe,
    resize,
    run_axe,
    screenshot,
    settle,
    warm_up,
    widths_from,
)
from tests.factories import PASSWORD, UserFactory
from tests.followup.test_access import FOLLOW_UP
from tests.test_access_matrix import ACCOUNTS, ALL_PATTERNS, POLICIES, ROLES, _placeholder_path

FOLDER = "every_page_type"
# Whose view of a page to show when several roles may see it: the owner of the matrix's
# objects first (her page has her data in it), then the people around her.
PREFERENCE = ["ny", "mentor", "chef", "kommunadmin", "kursledare", "redaktor"]
PREFERENCE += [role for role in ROLES if role not in PREFERENCE]
SUPERUSER = "superanvandare"
PARTS = 2
ANONYMOUS = "anonym"


@dataclass
class Visit:
    label: str  # the URL name, or the page type
    role: str
    path: str
    status: int = 200


def _allowed_role(name, policy) -> str | None:
    if name in FOLLOW_UP:
        return sorted(FOLLOW_UP[name])[0]
    if policy.everyone_gets:
        return None
    if not policy.allowed:
        return SUPERUSER
    return next(role for role in PREFERENCE if role in policy.allowed)


def _declared_pages(objects, group) -> list[Visit]:
    visits = []
    for name, policy in POLICIES.items():
        role = _allowed_role(name, policy)
        if policy.method != "get" or role is None:
            continue
        if name in ("followup:group_edit",):
            path = reverse(name, kwargs={"group_id": group.pk})  # as the follow-up test does
        else:
            path = reverse(name, kwargs=policy.kwargs(objects) if policy.kwargs else None)
        visits.append(Visit(name, role, path))
    return visits


def _account_pages() -> list[Visit]:
    """allauth's pages without parameters (those with one are reached only from a link in an
    email); the unnamed ones are allauth's old aliases of named ones."""
    visits = []
    for route, name, pattern in ALL_PATTERNS:
        if not route.startswith(ACCOUNTS) or "<" in route or name == "?":
            continue
        path = _placeholder_path(route, pattern)
        if path is not None:
            visits.append(Visit(name, ANONYMOUS, path))
    return visits


# An account page is shown to the first of these it answers: a visitor, the new hire, the
# mentor (who has an authenticator and recovery codes, for the two-step pages).
ACCOUNT_ROLES = (ANONYMOUS, "ny", "mentor")
# The two-step pages a person sees after re-entering the password (issue 17); before the
# sweep re-entered it they were only reached mid-login, so never shown.
TWO_STEP_PAGES = {
    "mfa_index",
    "mfa_reauthenticate",
    "mfa_activate_totp",
    "mfa_deactivate_totp",
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "account_reauthenticate",
}


def _wagtail_pages() -> tuple[list[Visit], list[str]]:
    visits, missing = [], []
    ours = [model for model in get_page_models() if not model._meta.app_label.startswith("wagtail")]
    for model in ours:
        page = model.objects.live().order_by("path").first()
        if page is None:
            missing.append(model.__name__)
            continue
        visits.append(Visit(f"sidtyp {model.__name__}", "ny", page.url))
    return visits, missing


def _is_html(response) -> bool:
    return response.get("Content-Type", "").startswith("text/html")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


# What the screenshots showed that the journeys' checks let through: a page outside our layout
# (Wagtail's bare page-privacy login), Django's "---------" in a select, and allauth's
# "tvåfaktorsautentisering" beside our one term, tvåstegsverifiering (issue 17).
_HOUSE_STYLE_JS = """() => {
    const problems = [];
    if (/tvåfaktor/i.test(document.body.innerText)) problems.push('says "tvåfaktor..."');
    if (!document.querySelector('header.site-header')) problems.push('not in our layout');
    if (document.documentElement.lang !== 'sv') {
        problems.push(`lang is "${document.documentElement.lang}", not sv`);
    }
    for (const option of document.querySelectorAll('option')) {
        if (/^-{3,}$/.test(option.textContent.trim())) {
            const select = option.closest('select');
            problems.push(`"${option.textContent.trim()}" in the select ${select && select.name}`);
        }
    }
    return problems;
}"""


class Stopwatch:
    """Seconds spent in each phase of the sweep, for its index file."""

    def __init__(self):
        self.seconds = collections.defaultdict(float)
        self.calls = collections.Counter()

    @contextlib.contextmanager
    def __call__(self, phase: str):
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[phase] += time.perf_counter() - started
            self.calls[phase] += 1

    def lines(self) -> list[str]:
        return [
            f"  {phase}: {seconds:.1f} s in {self.calls[phase]} calls"
            f" ({1000 * seconds / self.calls[phase]:.0f} ms each)"
            for phase, seconds in sorted(self.seconds.items(), key=lambda item: -item[1])
        ]


def _check(page, folder, number, visit, clock) -> list[str]:
    problems = []
    with clock("settle (load state, animations)"):
        settle(page)
    # The width the page loaded at first: one resize a page (the next page loads at the last).
    for width in widths_from(page.viewport_size["width"]):
        with clock("resize and repaint"):
            resize(page, width)
        where = f"{visit.label} ({visit.role}, {visit.path}) at {width} px"
        with clock("width, text size, targets, house style"):
            found = layout_problems(page, width, more_js=_HOUSE_STYLE_JS)
            problems += [f"{where}: {problem}" for problem in found]
        # The Wagtail admin's own markup is Wagtail's; our pages have no excuse.
        with clock("axe (injection once per page, run per width)"):
            violations = run_axe(page)
        if violations:
            problems.append(f"{where}: axe\n{format_violations(violations)}")
        name = f"{number:03d}-{visit.role}-{_slug(visit.label)}-{width}{SHOT_SUFFIX}"
        with clock("full-page screenshot"):
            screenshot(page, folder / name)
    return problems


def _reauthenticate(page, base_url: str) -> None:
    """Re-enter the password through allauth's reauthenticate form, as a person does before
    changing their two-step verification: allauth sends her there from the two-step page with
    `next` (without it the form led to the start page and on to the role's dashboard, two more
    requests and a heavy page, for nothing the sweep looks at)."""
    page.goto(base_url + "/accounts/reauthenticate/?next=/accounts/2fa/")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("^Bekräfta")).click()
    page.wait_for_load_state()
    assert page.url == base_url + "/accounts/2fa/", page.content()


def sweep(browser, live_server, world, follow_up_people, *, part: int) -> None:
    """Show this part's share of every page type (see the module's docstring)."""
    started = time.monotonic()
    clock = Stopwatch()
    follow_up_users, group = follow_up_people
    users = dict(world.users)
    users.update(follow_up_users)
    users[SUPERUSER] = UserFactory(
        email="drift@example.org", full_name="Drift Driftsson", is_superuser=True, is_staff=True
    )
    info = InfoPage(title="Om Introsteg", slug="om-introsteg", body=[])
    HomePage.objects.get().add_child(instance=info)
    info.save_revision().publish()
    # A page an editor protected with a password: Wagtail answers with its password page
    # (templates/wagtailcore/password_required.html), a page of its own to show.
    protected = InfoPage(title="Skyddad sida", slug="skyddad-sida", body=[])
    HomePage.objects.get().add_child(instance=protected)
    protected.save_revision().publish()
    PageViewRestriction.objects.create(
        page=protected, restriction_type=PageViewRestriction.PASSWORD, password="hemligt"
    )

    TOTP.activate(users["mentor"], generate_totp_secret())
    RecoveryCodes.activate(users["mentor"])

    wagtail_visits, no_page = _wagtail_pages()
    assert not no_page, f"page types with no page to show: {no_page}"
    # The account pages first: the two-step pages among them need a password typed less than
    # ACCOUNT_REAUTHENTICATION_TIMEOUT (5 minutes) before, and a loaded machine takes longer
    # than that for the whole list.
    visits = [
        *(account_visits := _account_pages()),
        *_declared_pages(world, group),
        *wagtail_visits,
        Visit("lösenordsskyddad sida", "ny", protected.url),
        Visit("sidan finns inte", "ny", "/finns-inte/", status=404),
    ]
    numbered = [(n, v) for n, v in enumerate(visits, start=1) if (n - 1) % PARTS == part - 1]

    # One logged-in Django client per role: it says whether a page is HTML, and its session
    # cookie logs the role in, in the browser (no login form per role).
    clients = {}
    for role in {visit.role for _, visit in numbered} | set(ACCOUNT_ROLES):
        clients[role] = Client(raise_request_exception=False)
        if users.get(role) is not None:
            clients[role].force_login(users[role])
            # As if the password had just been typed: allauth's e-mail pages ask for it again
            # otherwise, and would only be seen as the password prompt.
            session = clients[role].session
            session["account_authentication_methods"] = [
                {"method": "password", "at": time.time(), "email": users[role].email}
            ]
            session.save()

    # One tab for every role, each with its own cookies: the tab's cookies are put away when
    # another role takes it and put back when the role comes back, so no request carries another
    # role's session. A tab of its own for each role (7 or 8 a part) cost 0.3-0.8 s each to open
    # (a renderer process and Playwright's set-up of the page, load 9 on 2 cores).
    context = new_context(browser)
    preload_axe(context)
    tab = context.new_page()
    jars: dict[str, list] = {}
    as_role = [None]

    def page_of(role):
        if as_role[0] != role:
            if as_role[0] is not None:
                jars[as_role[0]] = context.cookies()
            context.clear_cookies()
            if role not in jars:
                cookie = clients[role].cookies.get(settings.SESSION_COOKIE_NAME)
                jars[role] = (
                    []
                    if cookie is None
                    else [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
                )
            if jars[role]:
                context.add_cookies(jars[role])
            as_role[0] = role
        return tab

    try:
        warm_up(live_server)
        with clock("reauthenticate through the form"):
            for role in ACCOUNT_ROLES:
                if users.get(role) is not None:
                    _reauthenticate(page_of(role), live_server.url)

        folder = SCREENSHOTS / FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "index.txt").unlink(missing_ok=True)  # the single sweep's, before the split
        for old in folder.glob("*.*g"):  # last run's pictures of this part's numbers
            if old.name[:3].isdigit() and (int(old.name[:3]) - 1) % PARTS == part - 1:
                old.unlink()

        not_pages, files = [], []
        to_show = []
        mid_flow = []
        # Only an account page is rendered here: the role that sees it is the first of
        # ACCOUNT_ROLES it answers. Every other page is classified by the browser's own answer
        # below (it rendered each page a second time here before, ~100 ms a page).
        with clock("server render (Django test client, account pages' role)"):
            for number, visit in numbered:
                if visit not in account_visits:
                    to_show.append((number, visit))
                    continue
                # Asked in order until one sees the page (all three were asked before: 39
                # requests where 13 to 22 say the same, ~0.7 s a part).
                answers = {}
                for role in ACCOUNT_ROLES:
                    answers[role] = clients[role].get(visit.path)
                    if answers[role].status_code == 200:
                        break
                shown = [role for role in answers if answers[role].status_code == 200]
                # Else the page as it answers (a failed single sign-on is a 401 page).
                shown = shown or [
                    r for r in ACCOUNT_ROLES if answers[r].status_code not in (302, 404)
                ]
                if not shown:
                    mid_flow.append(visit.label)  # only reached in the middle of a login
                    continue
                visit.role = shown[0]
                visit.status = answers[visit.role].status_code
                to_show.append((number, visit))

        problems = []
        shown_pages = []
        for number, visit in to_show:
            page = page_of(visit.role)
            with clock("navigation (server render + load event)"):
                try:
                    response = page.goto(live_server.url + visit.path)
                except PlaywrightError as error:
                    if "Download is starting" not in error.message:
                        raise
                    response = None
            if response is None:
                # A file (an export, a calendar, a PDF): the browser downloads it and shows no
                # answer, so the test client says what it is.
                answer = clients[visit.role].get(visit.path, follow=True)
                if answer.status_code == visit.status and not _is_html(answer):
                    files.append(f"{visit.label}: {answer.get('Content-Type')}")
                else:
                    not_pages.append(f"{visit.label} as {visit.role}: {answer.status_code}")
                continue
            if response.status != visit.status:
                not_pages.append(f"{visit.label} as {visit.role}: {response.status}")
                continue
            content_type = response.header_value("content-type") or ""
            if not content_type.startswith("text/html"):
                files.append(f"{visit.label}: {content_type}")
                continue
            shown_pages.append((number, visit))
            problems += _check(page, folder, number, visit, clock)
    finally:
        context.close()
    _took_screenshots.add(FOLDER)
    took = time.monotonic() - started
    # The list of what was shown, as whom, and how long it took, beside the pictures.
    index = [f"part {part} of {PARTS}: {len(shown_pages)} pages at {WIDTHS} px in {took:.1f} s"]
    index += clock.lines()
    index += [f"{n:03d} {v.role} {v.label} {v.path} ({v.status})" for n, v in shown_pages]
    index += [f"Files, not pages: {', '.join(files)}", f"Only mid-login: {', '.join(mid_flow)}"]
    (folder / f"index-{part}.txt").write_text("\n".join(index) + "\n", encoding="utf-8")
    # Before the split, one test showed 107 pages; a part that shows half of 60 lost some.
    assert not not_pages, "declared pages that show nothing to the role:\n" + "\n".join(not_pages)
    assert len(shown_pages) > 60 // PARTS
    assert not TWO_STEP_PAGES & set(mid_flow), f"two-step pages not shown: {mid_flow}"
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
