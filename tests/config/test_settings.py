"""Settings read from the environment: the mail server from EMAIL_URL, Celery's limits."""

from django.conf import settings

from tests.config.test_shared_cache import _in_a_new_process

_SHOW_EMAIL = """
import json
from django.conf import settings as s
print(json.dumps({k: getattr(s, k) for k in (
    "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD", "EMAIL_USE_TLS",
    "EMAIL_USE_SSL", "EMAIL_BACKEND")}))
"""


def test_the_mail_server_comes_from_email_url(monkeypatch):
    monkeypatch.delenv("EMAIL_BACKEND", raising=False)  # it overrides EMAIL_URL
    values = _in_a_new_process(
        _SHOW_EMAIL, EMAIL_URL="smtp+tls://relay%40kommun.se:hemligt@smtp.kommun.se:587"
    )
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
