"""Settings read from the environment: the mail server from EMAIL_URL, Celery's limits."""

import json
import subprocess
import sys

from django.conf import settings

from tests.config.test_production import ROOT, _production_env

READ = (
    "import django, json, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings'; "
    "django.setup(); from django.conf import settings as s; "
    "print(json.dumps({k: getattr(s, k) for k in ("
    "'EMAIL_HOST', 'EMAIL_PORT', 'EMAIL_HOST_USER', 'EMAIL_HOST_PASSWORD', 'EMAIL_USE_TLS', "
    "'EMAIL_USE_SSL', 'EMAIL_BACKEND')}))"
)


def _settings_with(**extra) -> dict:
    env = _production_env(**extra)
    env.pop("EMAIL_BACKEND", None)  # it overrides EMAIL_URL
    result = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", READ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_mail_server_comes_from_email_url():
    values = _settings_with(EMAIL_URL="smtp+tls://relay%40kommun.se:hemligt@smtp.kommun.se:587")
    assert values["EMAIL_HOST"] == "smtp.kommun.se"
    assert values["EMAIL_PORT"] == 587
    assert values["EMAIL_HOST_USER"] == "relay@kommun.se"
    assert values["EMAIL_HOST_PASSWORD"] == "hemligt"
    assert values["EMAIL_USE_TLS"] is True
    assert values["EMAIL_USE_SSL"] is False
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"


def test_celery_takes_json_only_and_limits_every_task():
    assert settings.CELERY_ACCEPT_CONTENT == ["json"]
    assert settings.CELERY_TASK_SERIALIZER == "json"
    assert 0 < settings.CELERY_TASK_SOFT_TIME_LIMIT < settings.CELERY_TASK_TIME_LIMIT
