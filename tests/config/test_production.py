"""Production posture: the deploy checklist, the CSP header, session expiry, rate limits and
a plain 503 page while the database is unreachable."""

import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db.utils import OperationalError
from django.test import RequestFactory
from django.urls import reverse

from people.middleware import SessionLifetimeMiddleware, server_error

ROOT = Path(__file__).resolve().parents[2]


def _production_env(**extra):
    env = {
        **os.environ,
        "DEBUG": "False",
        "SECRET_KEY": "x" * 20 + "-production-like-secret-key-for-the-deploy-check-0123456789",
        "ALLOWED_HOSTS": "introsteg.example.se,127.0.0.1",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(extra)
    return env


# One production-mode process, started as the web process starts (config.wsgi), tells three
# tests what they need: what the start left frozen, the deploy check's verdict (as
# `manage.py check --deploy --fail-level WARNING` runs it, call_command after django.setup()),
# and the tables of the SQLite file the gunicorn test serves. Each process start costs 4-6 s of
# CPU (apps, Wagtail, the URLs); three starts were the bulk of this module's time.
# The garbage collector waits while the process loads (its passes over the growing heap were
# 0.4 of config.wsgi's 1.6 s of CPU); config.wsgi freezes what it loaded all the same.
_START_A_WEB_PROCESS = """
import gc, io, json, sys
gc.disable()
import config.wsgi
frozen = gc.get_freeze_count()
gc.enable()
urls_loaded = "content.models" in sys.modules
from django.core.management import call_command
from django.core.management.base import SystemCheckError
out, err = io.StringIO(), io.StringIO()
try:
    call_command("check", deploy=True, fail_level="WARNING", stdout=out, stderr=err)
    check = {"failed": False, "output": out.getvalue() + err.getvalue()}
except SystemCheckError as error:
    check = {"failed": True, "output": str(error) + out.getvalue() + err.getvalue()}
# The tables straight from the models, as Django's test runner builds them with MIGRATE off:
# the gunicorn test is about the 503, not the migrations (which other tests run), and replaying
# 250 migrations on SQLite cost it 25 of its 32 seconds.
from django.apps import apps
from django.conf import settings
settings.MIGRATION_MODULES = {a.label: None for a in apps.get_app_configs()}
call_command("migrate", run_syncdb=True, verbosity=0)
print(json.dumps({"frozen": frozen, "urls_loaded": urls_loaded, "check": check}))
"""


@pytest.fixture(scope="module")
def sqlite_file(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("gunicorn") / "db.sqlite3"


@pytest.fixture(scope="module")
def started_web_process(sqlite_file) -> dict:
    # Production names a shared cache (the check reads the setting; it does not connect).
    cache = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL") or "redis://127.0.0.1/1"
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", _START_A_WEB_PROCESS],
        cwd=ROOT,
        env=_production_env(CACHE_URL=cache, DATABASE_URL=f"sqlite:///{sqlite_file}"),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_web_process_keeps_what_it_loaded_at_start_out_of_full_collections(
    started_web_process,
):
    """config/wsgi.py loads the URLs (views, Wagtail) and freezes what is loaded: the garbage
    collector's full passes then skip it (benchmarks/README.md)."""
    assert started_web_process["frozen"] > 100_000
    assert started_web_process["urls_loaded"] is True


def test_deploy_check_reports_nothing_in_production_mode(started_web_process):
    check = started_web_process["check"]
    assert not check["failed"], check["output"]
    assert "no issues" in check["output"]


def test_production_refuses_to_start_without_a_secret_key():
    env = _production_env()
    env.pop("SECRET_KEY")
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']="
            "'config.settings'; django.setup()",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(client, home, ny):
    client.force_login(ny)
    policy = client.get(reverse("learning:dashboard"))["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "object-src 'none'" in policy
    admin_policy = client.get("/admin/login/")["Content-Security-Policy"]
    assert "'unsafe-inline'" in admin_policy  # Wagtail's admin only (wagtail/wagtail#1288)


@pytest.mark.django_db
def test_the_wagtail_admin_loads_nothing_from_other_hosts(client, home, redaktor):
    """Gravatar would send a hash of the editor's email address to a third party."""
    client.force_login(redaktor)
    body = client.get("/admin/").content.decode()
    assert "gravatar.com" not in body
    # Nothing the page loads (images, scripts, stylesheets) comes from another host; plain
    # links to Wagtail's user guide are fine.
    assert re.findall(r'src="https?://|<link[^>]+href="https?://', body) == []


@pytest.mark.django_db
def test_a_session_ends_after_its_absolute_lifetime(client, settings, home, ny):
    settings.SESSION_ABSOLUTE_AGE = 60
    client.force_login(ny)
    assert client.get(reverse("learning:dashboard")).status_code == 200
    session = client.session
    session[SessionLifetimeMiddleware.KEY] = int(time.time()) - 61
    session.save()
    response = client.get(reverse("learning:dashboard"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert client.get(reverse("learning:dashboard")).status_code == 302  # logged out for good


@pytest.mark.django_db
def test_an_active_session_is_renewed_and_an_idle_one_expires(client, settings, home, ny):
    client.force_login(ny)
    client.get(reverse("learning:dashboard"))
    session = client.session
    first_expiry = session.get_expiry_date()
    session[SessionLifetimeMiddleware.SEEN_KEY] = int(time.time()) - 301
    session.save()
    client.get(reverse("learning:dashboard"))
    assert client.session[SessionLifetimeMiddleware.SEEN_KEY] > int(time.time()) - 5
    assert client.session.get_expiry_date() >= first_expiry
    assert settings.SESSION_COOKIE_AGE <= 4 * 3600


@pytest.mark.django_db
def test_repeated_failed_logins_are_rate_limited(client, home, ny):
    too_many = "För många misslyckade inloggningsförsök. Försök igen senare."
    for _attempt in range(5):
        response = client.post(reverse("account_login"), {"login": ny.email, "password": "fel"})
        assert too_many not in response.content.decode()
    response = client.post(reverse("account_login"), {"login": ny.email, "password": "fel"})
    assert too_many in response.content.decode()
    # Even the right password waits until the window has passed.
    from tests.factories import PASSWORD

    response = client.post(reverse("account_login"), {"login": ny.email, "password": PASSWORD})
    assert too_many in response.content.decode()


def test_an_unreachable_database_gives_a_503_page_not_a_traceback():
    request = RequestFactory().get("/min-introduktion/")
    try:
        raise OperationalError("connection refused")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "tillfälligt otillgänglig" in response.content.decode()
    try:
        raise ValueError("something else")
    except ValueError:
        assert server_error(request).status_code == 500


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@contextlib.contextmanager
def _gunicorn(env: dict[str, str]):
    """gunicorn with one worker on a free port, serving once /halsa/ answers; its base URL."""
    port = _free_port()
    # tests/config/gunicorn_start.py: the worker loads the app with the garbage collector
    # waiting (0.4 s of CPU less a start).
    server = subprocess.Popen(  # noqa: S603
        [
            *(sys.executable, "-m", "gunicorn", "config.wsgi", "-w", "1"),
            *("-b", f"127.0.0.1:{port}", "-c", "python:tests.config.gunicorn_start"),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                status, _body = _get(f"{base}/halsa/")
                break
            # A busy machine: the socket accepts before the worker has loaded the app, and
            # the read can time out (TimeoutError) before the first answer.
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        assert status == 200
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_a_real_server_answers_503_without_its_database_and_recovers(
    tmp_path, started_web_process, sqlite_file
):
    """gunicorn in production mode on an SQLite file: move the file away, then back."""
    database = sqlite_file
    env = _production_env(
        DATABASE_URL=f"sqlite:///{database}",
        SECURE_SSL_REDIRECT="False",
        SECURE_COOKIES="False",
        CELERY_BROKER_URL="",
    )
    assert sqlite_file.exists()  # its tables, made by started_web_process
    with _gunicorn(env) as base:
        # The database disappears: SQLite then finds an empty file with no tables.
        shutil.move(database, tmp_path / "away.sqlite3")
        for path in ("/", "/halsa/", "/kurser/"):
            status, body = _get(f"{base}{path}")
            assert status == 503, path
            assert "tillfälligt otillgänglig" in body
            assert "Traceback" not in body
        shutil.move(tmp_path / "away.sqlite3", database)
        status, _body = _get(f"{base}/halsa/")
        assert status == 200


@pytest.mark.django_db
def test_a_connection_the_database_dropped_is_replaced_not_an_error(settings):
    """Persistent connections (CONN_MAX_AGE, PostgreSQL): when the database ends a kept
    connection (a restart, a failover), the next request opens a new one instead of failing."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("needs PostgreSQL (CI): SQLite keeps no connections between requests")
    name = f"introsteg-conn-test-{os.getpid()}"
    env = _production_env(
        DATABASE_URL=(
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or 'localhost'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}?application_name={name}"
        ),
        CONN_MAX_AGE="60",
        SECURE_SSL_REDIRECT="False",
        SECURE_COOKIES="False",
        CELERY_BROKER_URL="",
    )
    with _gunicorn(env) as base:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE application_name = %s",
                [name],
            )
            assert cursor.fetchone()[0] == 1  # the one connection the worker kept
        for _ in range(3):
            status, _body = _get(f"{base}/halsa/")
            assert status == 200
