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


_SHOW_DATABASE_OPTIONS = """
import json
from django.conf import settings as s
print(json.dumps(s.DATABASES["default"].get("OPTIONS", {})))
"""
_POSTGRES = "postgres://introsteg:introsteg@127.0.0.1:5432/introsteg?application_name=web"


def test_prepared_statements_are_on_with_postgresql_unless_switched_off():
    """core.compiled prepares its SQL where OPTIONS has prepare_threshold: on by default with
    PostgreSQL, off with DATABASE_PREPARED_STATEMENTS=false (a pooler that cannot keep
    prepared statements), and never for SQLite; other OPTIONS from the URL are kept."""
    on = _in_a_new_process(_SHOW_DATABASE_OPTIONS, DATABASE_URL=_POSTGRES)
    off = _in_a_new_process(
        _SHOW_DATABASE_OPTIONS, DATABASE_URL=_POSTGRES, DATABASE_PREPARED_STATEMENTS="false"
    )
    sqlite = _in_a_new_process(_SHOW_DATABASE_OPTIONS, DATABASE_URL="sqlite:///x.sqlite3")
    assert on == {"application_name": "web", "prepare_threshold": 5}
    assert off == {"application_name": "web"}
    assert "prepare_threshold" not in sqlite
