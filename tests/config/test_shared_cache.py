"""The cache that every web process shares (Redis whenever CACHE_URL or REDIS_URL is set), the
deployment check that refuses a process-local one, and the proxy settings read from the
environment."""

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


def _in_a_new_process(code: str, **env: str) -> dict:
    """Run `code` with the project's settings in a fresh interpreter (as a web process would
    start) and return the JSON it prints."""
    environment = {k: v for k, v in os.environ.items() if k not in _CLEAN}
    environment.update(env, DJANGO_SETTINGS_MODULE="config.settings")
    script = "import django, json\ndjango.setup()\n" + code
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


_SHOW_SETTINGS = """
from django.conf import settings
print(json.dumps({
    "cache": settings.CACHES["default"],
    "proxies": settings.ALLAUTH_TRUSTED_PROXY_COUNT,
    "header": settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER,
}))
"""


def test_redis_is_the_cache_whenever_an_url_says_so():
    redis = "django.core.cache.backends.redis.RedisCache"
    plain = _in_a_new_process(_SHOW_SETTINGS)
    assert plain["cache"]["BACKEND"].endswith("LocMemCache")
    assert plain["proxies"] == 0 and plain["header"] is None
    by_redis_url = _in_a_new_process(_SHOW_SETTINGS, REDIS_URL="redis://127.0.0.1:6379/3")
    assert by_redis_url["cache"] == {"BACKEND": redis, "LOCATION": "redis://127.0.0.1:6379/3"}
    both = _in_a_new_process(
        _SHOW_SETTINGS, REDIS_URL="redis://127.0.0.1:6379/3", CACHE_URL="redis://cache:6379/4"
    )
    assert both["cache"] == {"BACKEND": redis, "LOCATION": "redis://cache:6379/4"}
    behind_proxy = _in_a_new_process(
        _SHOW_SETTINGS, TRUSTED_PROXY_COUNT="1", TRUSTED_CLIENT_IP_HEADER="X-Real-IP"
    )
    assert behind_proxy["proxies"] == 1 and behind_proxy["header"] == "X-Real-IP"


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


def test_manage_py_check_deploy_fails_without_a_shared_cache():
    environment = {k: v for k, v in os.environ.items() if k not in _CLEAN}
    environment.update(
        DEBUG="False", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="introsteg.example.se"
    )
    command = [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    local = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True)  # noqa: S603
    assert local.returncode != 0 and "people.E001" in local.stderr
    environment["CACHE_URL"] = "redis://127.0.0.1:6379/1"
    shared = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True)  # noqa: S603
    assert shared.returncode == 0, shared.stderr


# Two web processes check the same two-step code: allauth marks a used code in the cache.
# (A window of +-2 periods, so a slow machine's start-up does not let the code expire between
# the two processes.)
_CHECK_CODE = """
import sys
from django.conf import settings
settings.MFA_TOTP_TOLERANCE = 2
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from allauth.mfa.utils import encrypt
user_id, secret, code = sys.argv[1:4]
authenticator = Authenticator(
    user_id=int(user_id), type=Authenticator.Type.TOTP, data={"secret": encrypt(secret)}
)
print(json.dumps({"accepted": TOTP(authenticator).validate_code(code)}))
"""


def _code_accepted_in_a_new_process(user_id, secret, code, **env) -> bool:
    script = _CHECK_CODE.replace("sys.argv[1:4]", repr([str(user_id), secret, code]))
    return _in_a_new_process(script, SECRET_KEY="x" * 50, **env)["accepted"]


@pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL not set (CI sets it)")
def test_a_totp_code_is_accepted_once_across_processes():
    from allauth.mfa.totp.internal.auth import (
        format_hotp_value,
        generate_totp_secret,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    secret = generate_totp_secret()
    code = format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))
    user_id = 10**9 + secrets.randbelow(10**9)  # a key no other test or run touches
    # With Redis, the second process sees the first one's mark and refuses the code.
    assert _code_accepted_in_a_new_process(user_id, secret, code, REDIS_URL=REDIS_URL)
    assert not _code_accepted_in_a_new_process(user_id, secret, code, REDIS_URL=REDIS_URL)
    # What the deploy check prevents: each process with its own cache accepts it again.
    assert _code_accepted_in_a_new_process(user_id + 1, secret, code)
    assert _code_accepted_in_a_new_process(user_id + 1, secret, code)
