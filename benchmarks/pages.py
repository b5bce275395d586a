"""Page benchmark (issue 10): the pages people use every day, served the way production serves
them, under load from a separate process; prints JSON.

    DATABASE_URL=postgres://introsteg:introsteg@localhost/introsteg_scale \\
        .venv/bin/python -m benchmarks.pages [--staff 30000] [--duration 25]

1. Migrates the database and, when the scale data set is missing, builds it with
   `seed_scale --staff N`; adds the bare Wagtail page (an InfoPage with a module's body).
2. collectstatic into a temporary STATIC_ROOT, then gunicorn with 2 workers and production
   settings (DEBUG off, a generated SECRET_KEY, ALLOWED_HOSTS=127.0.0.1, no TLS redirect or
   secure cookies since it is plain HTTP on loopback).
3. Logs people in by creating their sessions directly (no password), counts the SQL queries of
   one request per page with Django's test client against the same database, then drives each
   page with locust (headless, in its own process): a warm-up, then --duration seconds.

The last line of output is one JSON object with requests/s, p50 and p95 latency (ms) and
queries per request for each page, and the module page's throughput relative to the bare page;
and the bare page (our InfoPage in our chrome) relative to the same page served as plain Wagtail
(`plain_wagtail`, a second gunicorn with benchmarks/plain_settings.py: no middleware or chrome
of ours), which is what the chrome costs.
"""

import argparse
import contextlib
import importlib
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
BARE_SLUG = "benchmark-informationssida"
PAGES = [
    "learner_dashboard",
    "module_page",
    "team_500",
    "mentor_overview",
    "bare_wagtail",
    "plain_wagtail",
    "followup_county",
    "followup_national",
    "leaver_50",
]
# Served by a second gunicorn with benchmarks.plain_settings: Wagtail without our middleware or
# chrome, for a visitor (no session).
PLAIN_PAGES = {"plain_wagtail"}


LOCAL_CACHE_URL = "locmemcache://introsteg"


def production_environment(
    static_root: str, conn_max_age: int = 60, cache_url: str = ""
) -> dict[str, str]:
    """What production differs in: environment values only (DESIGN.md). Persistent database
    connections (CONN_MAX_AGE) as production runs them; 0 opens one per request. The cache is
    each process's local memory unless `cache_url` names a shared one (production: Redis); set
    explicitly, so a REDIS_URL in the caller's environment does not choose it unasked."""
    return {
        "CACHE_URL": cache_url or LOCAL_CACHE_URL,
        "CONN_MAX_AGE": str(conn_max_age),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "False",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "False",
        "SECURE_COOKIES": "False",
        "STATIC_ROOT": static_root,
        "LOG_LEVEL": "WARNING",
    }


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--staff", type=int, default=30_000, help="seed_scale size if missing")
    parser.add_argument("--duration", type=int, default=25, help="seconds of load per page")
    parser.add_argument("--warmup", type=int, default=4, help="unmeasured seconds per page")
    parser.add_argument(
        "--rounds", type=int, default=5, help="interleaved slices the load is split into"
    )
    parser.add_argument("--users", type=int, default=2, help="concurrent locust users")
    parser.add_argument("--learners", type=int, default=50, help="distinct learners to log in")
    parser.add_argument("--pages", default=",".join(PAGES), help="comma-separated subset")
    parser.add_argument(
        "--conn-max-age", type=int, default=60, help="CONN_MAX_AGE (0: a connection per request)"
    )
    parser.add_argument(
        "--cache-url",
        default="",
        help="CACHE_URL for every process, e.g. redis://127.0.0.1:6379/0 (default: local memory)",
    )
    return parser.parse_args(argv)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- Data and people (in this process, with Django set up) ------------------------------------


def prepare_data(staff: int):
    from django.core.management import call_command

    from team.management.commands.seed_scale import scale_data_exists

    call_command("migrate", interactive=False, verbosity=0)
    if not scale_data_exists():
        log(f"Bygger skaldata: seed_scale --staff {staff} …")
        call_command("seed_scale", staff=staff, stdout=sys.stderr)


def bare_page(module):
    """A real Wagtail page in the same tree with the module's body and nothing else."""
    from content.models import HomePage, InfoPage

    page = InfoPage.objects.filter(slug=BARE_SLUG).first()
    if page is None:
        home = HomePage.objects.live().first()
        page = InfoPage(title=module.title, slug=BARE_SLUG, body=module.body.raw_data)
        home.add_child(instance=page)
        page.save_revision().publish()
    return page


def follow_up_people():
    """A county coordinator for the first county and a national follow-up account (created
    once), with the quarter facts computed if the daily job has not run yet (issue 21: the
    national page for a quarter under 1 s p95 at 30,000 staff)."""
    from followup import services
    from followup.models import QuarterFact
    from people.models import County, FollowUpAssignment, FollowUpLevel, User

    if not QuarterFact.objects.exists():
        log("Räknar uppföljningens kvartalsuppgifter (refresh_quarter_facts) …")
        started = time.perf_counter()
        services.refresh_quarter_facts()
        log(f"… klart på {time.perf_counter() - started:.1f} s")
    county = County.objects.filter(organisations__isnull=False).order_by("pk").first()
    people = []
    for email, level, area in (
        ("benchmark-lan@example.org", FollowUpLevel.COUNTY, county),
        ("benchmark-riket@example.org", FollowUpLevel.NATIONAL, None),
    ):
        user, _created = User.objects.get_or_create(
            email=email, defaults={"full_name": "Benchmark uppföljning"}
        )
        FollowUpAssignment.objects.get_or_create(user=user, level=level, county=area)
        people.append(user)
    return people


# The leaver page (issue 23): a social secretary who is also a mentor in the big unit, with
# LEAVER_ITEMS open items of the kinds the page lists, as the municipal admin sees them.
LEAVER_ITEMS = 50
# Benchmark leavers (one per --email) are never each other's colleagues, mentees or supervisors.
LEAVER_PREFIX = "avslut."
LEAVER_EMAIL = LEAVER_PREFIX + "benchmark@{domain}"
LEAVER_ADMIN_EMAIL = "kommunadmin.benchmark@{domain}"


def leaver_split(items: int) -> dict[str, int]:
    """How the open items are spread over the kinds: half cases held, three in ten cases
    supervised, the rest mentorships as mentor (the page's three biggest kinds)."""
    held, supervised = items // 2, items * 3 // 10
    return {
        "case_held": held,
        "case_supervised": supervised,
        "mentorship": items - held - supervised,
    }


def leaver_with_open_items(items: int = LEAVER_ITEMS, *, email: str = LEAVER_EMAIL):
    """(the municipal admin, the leaver) in the municipality of the scale data set's big unit,
    the leaver with exactly `items` open items (leaver_split): found or created, idempotently
    (rows added only up to the counts; benchmark-only rows, no migration). Dates from today.
    The leaver works in an ordinary unit of that municipality and their mentees come from
    outside the big unit, so the other pages' people (the big unit's) are not touched."""
    import datetime

    from django.db import transaction
    from django.utils import timezone

    from mentoring.models import OPEN_STATUSES, CaseStage, CaseType, Mentorship, SupervisedCase
    from people.models import Membership, Role, Unit, User
    from team.management.commands.seed_scale import BIG_UNIT, EMAIL_DOMAIN

    big = Unit.objects.select_related("organisation").get(name=BIG_UNIT)
    organisation = big.organisation
    unit = Unit.objects.filter(organisation=organisation).exclude(pk=big.pk).order_by("pk")[0]
    today = timezone.localdate()
    started = today - datetime.timedelta(days=3 * 365)
    want = leaver_split(items)
    with transaction.atomic():
        admin, _created = User.objects.get_or_create(
            email=LEAVER_ADMIN_EMAIL.format(domain=EMAIL_DOMAIN),
            defaults={"full_name": "Benchmark kommunadministratör"},
        )
        Membership.objects.get_or_create(
            user=admin,
            organisation=organisation,
            role=Role.MUNICIPAL_ADMIN,
            unit=None,
            defaults={"start_date": started},
        )
        leaver, _created = User.objects.get_or_create(
            email=email.format(domain=EMAIL_DOMAIN),
            defaults={"full_name": "Benchmark Avslutas"},
        )
        for role in (Role.SOCIAL_SECRETARY, Role.MENTOR):
            Membership.objects.get_or_create(
                user=leaver,
                unit=unit,
                role=role,
                defaults={"organisation": organisation, "start_date": started},
            )
        staff = (
            User.objects.filter(
                memberships__organisation=organisation,
                memberships__role__in=(Role.NEW_HIRE, Role.SOCIAL_SECRETARY),
                is_active=True,
            )
            .exclude(memberships__unit=big)
            .exclude(email__startswith=LEAVER_PREFIX)
            .order_by("pk")
            .distinct()
        )
        colleagues = list(staff.filter(memberships__unit=unit).values_list("pk", flat=True))
        municipality = list(staff.values_list("pk", flat=True)[:200])
        mentors = list(
            User.objects.filter(memberships__unit=unit, memberships__role=Role.MENTOR)
            .exclude(email__startswith=LEAVER_PREFIX)
            .order_by("pk")
            .values_list("pk", flat=True)[:5]
        )
        case_type = CaseType.objects.filter(organisation=organisation).order_by("pk").first()
        open_cases = SupervisedCase.objects.exclude(stage=CaseStage.CLOSED)
        held = open_cases.filter(holder=leaver).count()
        supervised = open_cases.filter(supervisor=leaver).count()
        new_cases = []
        for number in range(held, want["case_held"]):
            supervisor = mentors[0] if mentors else None
            new_cases.append((f"AVSLUT-BENCH-{leaver.pk}-H{number:03d}", leaver.pk, supervisor))
        for number in range(supervised, want["case_supervised"]):
            holder = colleagues[number % len(colleagues)]
            new_cases.append((f"AVSLUT-BENCH-{leaver.pk}-S{number:03d}", holder, leaver.pk))
        for reference, holder, supervisor in new_cases:
            case = SupervisedCase(
                organisation=organisation,
                unit=unit,
                holder_id=holder,
                supervisor_id=supervisor,
                case_type=case_type,
                reference=reference,
                stage=CaseStage.INVESTIGATION,
                opened_on=today - datetime.timedelta(days=30),
                created_by_id=holder,
            )
            case.full_clean()
            case.save()
        mentoring = Mentorship.objects.filter(mentor=leaver, status__in=OPEN_STATUSES).count()
        matched = set(
            Mentorship.objects.filter(
                status__in=OPEN_STATUSES, mentee_id__in=municipality
            ).values_list("mentee_id", flat=True)
        )
        free = [pk for pk in municipality if pk not in matched]
        for mentee in free[: max(0, want["mentorship"] - mentoring)]:
            mentorship = Mentorship(
                mentor=leaver,
                mentee_id=mentee,
                organisation=organisation,
                status=Mentorship.Status.ACTIVE,
                start_date=today - datetime.timedelta(days=60),
            )
            mentorship.full_clean()
            mentorship.save()
    if len(open_work_of(leaver)) != items:
        raise SystemExit(f"{leaver.email}: {len(open_work_of(leaver))} öppna poster, inte {items}")
    return admin, leaver


def open_work_of(person) -> list:
    """The person's open items as the leaver page lists them."""
    from people import open_work

    return [item for group in open_work.open_work_for(person) for item in group.items]


def learners_and_mentor(learners: int):
    """The benchmark's learners (dashboard and module paths, at most `learners`) and the mentor
    with the longest list, from the scale data set; benchmarks.inprocess asks for the same."""
    from django.db.models import Count, Q
    from django.urls import reverse

    from learning import selectors
    from mentoring.models import OPEN_STATUSES
    from people.models import Role, User
    from team.management.commands.seed_scale import EMAIL_DOMAIN

    scale = User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}")
    candidates = (
        scale.filter(memberships__role=Role.NEW_HIRE, memberships__unit__name__contains="stor")
        .order_by("pk")
        .distinct()
    )
    dashboard, modules = [], []
    for user in candidates:
        if len(modules) == learners:
            break
        # The module each learner reads next in an in-depth course (not locked).
        for item in selectors.dashboard_for(user):
            status = item.next_status
            if item.total > 20 and status is not None and not status.locked_reason:
                dashboard.append((user, reverse("learning:dashboard")))
                modules.append((user, status.module.url))
                break
    mentor = (
        scale.annotate(
            mentees=Count(
                "mentorships_as_mentor",
                filter=Q(mentorships_as_mentor__status__in=OPEN_STATUSES),
            )
        )
        .order_by("-mentees", "pk")
        .first()
    )
    return dashboard, modules, mentor


def targets(learners: int):
    """Who requests what: (page name -> list of (user, path)) from the scale data set, with at
    most `learners` learners."""
    from django.urls import reverse

    from people.models import User
    from team.management.commands.seed_scale import BIG_UNIT_MANAGER

    dashboard, modules, mentor = learners_and_mentor(learners)
    manager = User.objects.get(email=BIG_UNIT_MANAGER)
    module = modules[0][1]
    from content.models import ModulePage

    page = bare_page(ModulePage.objects.get(url_path__endswith=module.split("/", 2)[2]))
    coordinator, national = follow_up_people()
    leaver_admin, leaver = leaver_with_open_items()
    return {
        "learner_dashboard": dashboard,
        "module_page": modules,
        "team_500": [(manager, reverse("team:overview"))],
        "mentor_overview": [(mentor, reverse("mentoring:my_mentees"))],
        "bare_wagtail": [(dashboard[0][0], page.url)],
        "plain_wagtail": [(None, page.url)],
        "followup_county": [(coordinator, reverse("followup:overview"))],
        "followup_national": [(national, reverse("followup:overview"))],
        "leaver_50": [(leaver_admin, reverse("people:leaver", args=[leaver.pk]))],
    }


def session_for(user) -> str:
    """A logged-in session as the login view leaves it: two-step verification done."""
    from allauth.account.internal.flows.login import (
        _AUTHENTICATION_METHODS_USER_SESSION_KEY,
        AUTHENTICATION_METHODS_SESSION_KEY,
    )
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from people.middleware import SessionLifetimeMiddleware

    session = importlib.import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    SessionLifetimeMiddleware.start(session)
    # allauth's record of the login's steps: the password and the second factor.
    now = time.time()
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": now, "email": user.email},
        {"method": "mfa", "at": now, "type": "totp"},
    ]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()
    return session.session_key


def count_queries(session_key: str, path: str, *, plain: bool = False) -> int:
    """SQL queries of one warm request, through the whole middleware stack (or, for the plain
    baseline, the plain settings' stack)."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    overrides = {}
    if plain:
        from benchmarks import plain_settings

        overrides = {
            name: getattr(plain_settings, name)
            for name in ("ROOT_URLCONF", "MIDDLEWARE", "TEMPLATES")
        }
    with override_settings(**overrides):
        client = Client(HTTP_HOST="127.0.0.1")
        if session_key:
            client.cookies[settings.SESSION_COOKIE_NAME] = session_key
        assert client.get(path).status_code == 200, path  # noqa: S101 - warms the caches
        with CaptureQueriesContext(connection) as queries:
            status = client.get(path).status_code
    if status != 200:
        raise SystemExit(f"{path}: HTTP {status}")
    return len(queries)


# --- Server and load (separate processes) -----------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def gunicorn(port: int, settings_module: str = "config.settings"):
    process = subprocess.Popen(  # noqa: S603 - our own executable and arguments
        [
            str(BIN / "gunicorn"),
            "config.wsgi:application",
            "--workers=2",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": settings_module},
    )
    try:
        # 85 s to answer at load 15-20 on this machine (2026-11-30); 60 s gave up.
        deadline = time.monotonic() + 240
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/halsa/", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise SystemExit("gunicorn startade inte") from None
                time.sleep(0.3)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


def load(host: str, pairs: list[tuple[str, str]], *, seconds: int, users: int):
    """Run locust headless against the pages: every response's own time (ms, exact rather than
    locust's rounded buckets, from the locustfile's log) and the seconds from the first request
    to the last response."""
    from django.conf import settings

    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        env = {
            **os.environ,
            "BENCH_TARGETS": json.dumps(pairs),
            "BENCH_COOKIE": settings.SESSION_COOKIE_NAME,
            "BENCH_OUT": out.name,
        }
        subprocess.run(  # noqa: S603 - our own executable and arguments
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "benchmarks" / "locustfile.py"),
                "--headless",
                f"--users={users}",
                f"--spawn-rate={users}",
                f"--run-time={seconds}s",
                f"--host={host}",
                "--only-summary",
                "--loglevel=ERROR",
                "--stop-timeout=10",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        result = json.loads(Path(out.name).read_text() or "{}")
    times = result.get("times_ms", [])
    if result.get("failures") or not times:
        raise SystemExit(f"Fel under lasttestet: {result.get('failures') or 'inga svar'}")
    return times, result["last"] - result["first"]


def summarise(times: list[float], seconds: float) -> dict:
    return {
        "rps": round(len(times) / seconds, 1),
        "p50_ms": round(percentile(times, 0.50), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
        "requests": len(times),
    }


def measure(hosts: dict, sessions: dict, *, seconds: int, rounds: int, users: int) -> dict:
    """Each page's figures over `rounds` interleaved slices of seconds/rounds: the pages take
    turns, so load from outside the benchmark (other processes on the machine) falls on all of
    them alike instead of on whichever page happened to run at the time."""
    times: dict[str, list[float]] = {name: [] for name in sessions}
    elapsed = dict.fromkeys(sessions, 0.0)
    for _round in range(rounds):
        for name, pairs in sessions.items():
            slice_times, slice_seconds = load(
                hosts[name], pairs, seconds=max(1, round(seconds / rounds)), users=users
            )
            times[name] += slice_times
            elapsed[name] += slice_seconds
    return {name: summarise(times[name], elapsed[name]) for name in sessions}


def main(argv=None) -> dict:
    args = parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        raise SystemExit("Sätt DATABASE_URL till en PostgreSQL-databas för benchmarken.")
    static_root = tempfile.mkdtemp(prefix="introsteg-static-")
    os.environ.update(production_environment(static_root, args.conn_max_age, args.cache_url))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.sessions.models import Session
    from django.core.management import call_command

    prepare_data(args.staff)
    call_command("collectstatic", interactive=False, verbosity=0)
    wanted = [name for name in args.pages.split(",") if name]
    plan = {name: pairs for name, pairs in targets(args.learners).items() if name in wanted}
    keys = {}  # user pk -> session key: one session per person, deleted at the end
    for user, _path in [pair for pairs in plan.values() for pair in pairs]:
        if user is not None and user.pk not in keys:
            keys[user.pk] = session_for(user)
    sessions = {
        name: [(keys[user.pk] if user else "", path) for user, path in pairs]
        for name, pairs in plan.items()
    }
    result = {}
    try:
        queries = {
            name: count_queries(*pairs[0], plain=name in PLAIN_PAGES)
            for name, pairs in sessions.items()
        }
        with (
            gunicorn(free_port()) as host,
            gunicorn(free_port(), "benchmarks.plain_settings") as plain_host,
        ):
            hosts = {name: plain_host if name in PLAIN_PAGES else host for name in sessions}
            for name, pairs in sessions.items():
                load(hosts[name], pairs, seconds=args.warmup, users=args.users)
            figures = measure(
                hosts, sessions, seconds=args.duration, rounds=args.rounds, users=args.users
            )
            for name, pairs in sessions.items():
                result[name] = {**figures[name], "queries": queries[name]}
                log(f"{name:18} {json.dumps(result[name])}  ({pairs[0][1]})")
    finally:
        Session.objects.filter(session_key__in=keys.values()).delete()
    if "module_page" in result and "bare_wagtail" in result:
        ratio = result["module_page"]["rps"] / result["bare_wagtail"]["rps"]
        result["module_vs_bare_wagtail_ratio"] = round(ratio, 2)
    if "bare_wagtail" in result and "plain_wagtail" in result:
        # What our middleware and chrome cost on the same page.
        ratio = result["bare_wagtail"]["rps"] / result["plain_wagtail"]["rps"]
        result["bare_vs_plain_wagtail_ratio"] = round(ratio, 2)
    result["cache"] = os.environ["CACHE_URL"].split(":", 1)[0]
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
