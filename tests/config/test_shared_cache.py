"""The cache that every web process shares (Redis whenever CACHE_URL or REDIS_URL is set), the
deployment check that refuses a process-local one, and the proxy settings read from the
environment."""

import contextlib
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.checks import run_checks

from people.checks import shared_cache_in_production

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("REDIS_URL")
_CLEAN = {"DEBUG", "CACHE_URL", "REDIS_URL", "TRUSTED_PROXY_COUNT", "TRUSTED_CLIENT_IP_HEADER"}


def _environment(**env: str) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if k not in _CLEAN}
    environment.update(env, DJANGO_SETTINGS_MODULE="config.settings")
    return environment


def _in_a_new_process(code: str, **env: str) -> dict:
    """Run `code` with the project's settings in a fresh interpreter and return the JSON it
    prints last."""
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=_environment(**env),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


# The settings module as a web process imports it at start, once per environment, in one fresh
# interpreter: reading the environment is all that differs, and django.setup() (3-4 s of CPU for
# the apps and URLs) has nothing to do with it.
_SHOW_SETTINGS = """
import importlib, json, os, sys
base = dict(os.environ)
shown = []
for variant in json.loads(sys.argv[1]):
    os.environ.clear()
    os.environ.update(base, **variant)
    sys.modules.pop("config.settings", None)
    settings = importlib.import_module("config.settings")
    shown.append({
        "cache": settings.CACHES["default"],
        "proxies": settings.ALLAUTH_TRUSTED_PROXY_COUNT,
        "header": settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER,
    })
print(json.dumps(shown))
"""


def _settings_under(*variants: dict[str, str]) -> list[dict]:
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", _SHOW_SETTINGS, json.dumps(variants)],
        cwd=ROOT,
        env=_environment(),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    shown = json.loads(result.stdout.strip().splitlines()[-1])
    assert len(shown) == len(variants)
    return shown


def test_redis_is_the_cache_whenever_an_url_says_so():
    # Django's RedisCache, with the declared fall-backs for keys that copy the database.
    redis = "core.cache.SharedRedisCache"
    plain, by_redis_url, both, behind_proxy = _settings_under(
        {},
        {"REDIS_URL": "redis://127.0.0.1:6379/3"},
        {"REDIS_URL": "redis://127.0.0.1:6379/3", "CACHE_URL": "redis://cache:6379/4"},
        {"TRUSTED_PROXY_COUNT": "1", "TRUSTED_CLIENT_IP_HEADER": "X-Real-IP"},
    )
    assert plain["cache"]["BACKEND"].endswith("LocMemCache")
    assert plain["proxies"] == 0 and plain["header"] is None
    assert by_redis_url["cache"] == {"BACKEND": redis, "LOCATION": "redis://127.0.0.1:6379/3"}
    assert by_redis_url["proxies"] == 0 and by_redis_url["header"] is None
    assert both["cache"] == {"BACKEND": redis, "LOCATION": "redis://cache:6379/4"}
    assert behind_proxy["proxies"] == 1 and behind_proxy["header"] == "X-Real-IP"
    assert behind_proxy["cache"]["BACKEND"].endswith("LocMemCache")


@pytest.mark.parametrize(
    "backend",
    [
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.dummy.DummyCache",
        "django.core.cache.backends.filebased.FileBasedCache",
    ],
)
def test_the_deploy_check_refuses_a_process_local_cache(settings, backend):
    settings.DEBUG = False
    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": "/tmp/introsteg-cache"}}  # noqa: S108
    errors = shared_cache_in_production(None)
    assert [error.id for error in errors] == ["people.E001"]
    assert errors[0].is_serious()
    found = run_checks(include_deployment_checks=True, tags=["caches"])
    assert "people.E001" in [error.id for error in found]
    settings.DEBUG = True  # development: one process, nothing to share
    assert shared_cache_in_production(None) == []


def test_the_deploy_check_accepts_redis(settings):
    settings.DEBUG = False
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/1",
        }
    }
    assert shared_cache_in_production(None) == []


# `manage.py check --deploy --fail-level WARNING` is call_command("check", ...) after
# django.setup(): one production-mode process runs it as started (no cache URL: process-local)
# and again with the Redis cache that CACHE_URL gives (test_redis_is_the_cache_whenever_...).
_CHECK_DEPLOY = """
import gc, io, json, os
# A process that checks and ends: the garbage collector never runs (its passes over the heap
# while Django and the checks load every app and URL module cost 0.4-0.5 s of CPU).
gc.disable()
import django
django.setup()
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test.utils import override_settings

def check():
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("check", deploy=True, fail_level="WARNING", stdout=out, stderr=err)
    except SystemCheckError as error:
        return {"failed": True, "output": str(error) + err.getvalue()}
    return {"failed": False, "output": out.getvalue() + err.getvalue()}

local = check()
redis = {"BACKEND": "core.cache.SharedRedisCache", "LOCATION": "redis://127.0.0.1:6379/1"}
with override_settings(CACHES={"default": redis}):
    shared = check()
print(json.dumps({"local": local, "shared": shared}), flush=True)
# Ends here without the interpreter's finalization: its full collections over everything Django
# loaded cost 0.9 s of CPU (a third of the process), and nothing is left to write.
os._exit(0)
"""


def test_manage_py_check_deploy_fails_without_a_shared_cache():
    result = _in_a_new_process(
        _CHECK_DEPLOY,
        DEBUG="False",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="introsteg.example.se",
    )
    local, shared = result["local"], result["shared"]
    assert local["failed"] and "people.E001" in local["output"], local
    assert not shared["failed"], shared
    assert "no issues" in shared["output"] and "people.E001" not in shared["output"], shared


# Two web processes check the same two-step code: allauth marks a used code in the cache.
# The first process starts (the slow part) and the second is a fork of it once loaded: a
# process of its own, with its own memory, cache and Redis connection (nothing is connected
# before the fork), as a server's workers are forks of one loaded app; a second load cost
# 1.2 s of CPU. Each then answers questions on its own pipes; the code is made only when both
# are ready, so a slow start cannot let it expire between the two answers. (A window of +-2
# periods all the same.) "local" asks with a cache of the process's own, as a process started
# without CACHE_URL/REDIS_URL has (test_redis_is_the_cache_whenever_...). The garbage collector
# waits while Django loads (its passes over the growing heap were 0.4 of a start's 1.6 s of
# CPU), then leaves what was loaded out of its passes, as config/wsgi.py does.
_CHECK_CODES = """
import gc, json, os, sys
gc.disable()
import django
django.setup()
from django.conf import settings
from django.test.utils import override_settings
settings.MFA_TOTP_TOLERANCE = 2
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from allauth.mfa.utils import encrypt
from django.core.cache import caches
gc.freeze()
gc.enable()
own = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
to_second, from_second = int(sys.argv[1]), int(sys.argv[2])
second = os.fork()
if second == 0:  # the second process answers on the pipes the test gave it
    os.dup2(to_second, 0)
    os.dup2(from_second, 1)
os.close(to_second)
os.close(from_second)
print(json.dumps({"ready": True}), flush=True)
for line in sys.stdin:
    question = json.loads(line)
    authenticator = Authenticator(
        user_id=question["user_id"],
        type=Authenticator.Type.TOTP,
        data={"secret": encrypt(question["secret"])},
    )
    with override_settings(**({"CACHES": own} if question["cache"] == "local" else {})):
        answer = {
            "accepted": TOTP(authenticator).validate_code(question["code"]),
            "backend": type(caches["default"]).__name__,
        }
    print(json.dumps(answer), flush=True)
# Asked everything: end without the interpreter's finalization (its full collections over
# everything Django loaded cost 0.9 s of CPU), the first once the second has ended.
if second:
    os.waitpid(second, 0)
os._exit(0)
"""


class _WebProcess:
    def __init__(self, stdin, stdout):
        self.stdin, self.stdout = stdin, stdout

    def _answer(self) -> dict:
        line = self.stdout.readline()
        assert line, "the process ended"
        return json.loads(line)

    def ready(self) -> None:
        assert self._answer()["ready"]

    def accepts(self, *, user_id: int, secret: str, code: str, cache: str) -> bool:
        question = {"user_id": user_id, "secret": secret, "code": code, "cache": cache}
        self.stdin.write(json.dumps(question) + "\n")
        self.stdin.flush()
        answer = self._answer()
        assert answer["backend"] == ("LocMemCache" if cache == "local" else "SharedRedisCache")
        return answer["accepted"]


@contextlib.contextmanager
def _two_web_processes(**env: str):
    to_second_read, to_second = os.pipe()
    from_second, from_second_write = os.pipe()
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", _CHECK_CODES, str(to_second_read), str(from_second_write)],
        cwd=ROOT,
        env=_environment(**env),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        pass_fds=(to_second_read, from_second_write),
    )
    os.close(to_second_read)
    os.close(from_second_write)
    first = _WebProcess(process.stdin, process.stdout)
    second = _WebProcess(os.fdopen(to_second, "w"), os.fdopen(from_second))
    try:
        yield first, second
    finally:
        # End of questions: each process ends, the first after the second.
        for web_process in (second, first):
            web_process.stdin.close()
        process.wait(timeout=30)
        second.stdout.close()


@pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL not set (CI sets it)")
def test_a_totp_code_is_accepted_once_across_processes():
    from allauth.mfa.totp.internal.auth import generate_totp_secret

    from tests.totp import current_code

    with _two_web_processes(REDIS_URL=REDIS_URL, SECRET_KEY="x" * 50) as (first, second):
        first.ready()
        second.ready()
        secret = generate_totp_secret()
        # Both processes accept +-2 periods (MFA_TOTP_TOLERANCE above), so the code stays valid
        # for at least 60 s: no need to wait for a fresh window (up to 15 s, 3.75 s on average).
        code = current_code(secret, valid_for=0)
        user_id = 10**9 + secrets.randbelow(10**9)  # a key no other test or run touches
        # With Redis, the second process sees the first one's mark and refuses the code.
        shared = {"secret": secret, "code": code, "cache": "shared"}
        assert first.accepts(user_id=user_id, **shared)
        assert not second.accepts(user_id=user_id, **shared)
        assert not first.accepts(user_id=user_id, **shared)
        # What the deploy check prevents: each process with its own cache accepts it again.
        local = {"secret": secret, "code": code, "cache": "local"}
        assert first.accepts(user_id=user_id + 1, **local)
        assert second.accepts(user_id=user_id + 1, **local)
        # ... once per process, all the same.
        assert not first.accepts(user_id=user_id + 1, **local)
