"""The site refuses to start with an allauth feature whose emails are not written in our words
(people.checks.allauth_emails_in_our_words): they would go out in allauth's stock text, outside
the outbox."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from people.checks import allauth_emails_in_our_words


def test_our_settings_pass():
    assert allauth_emails_in_our_words(None) == []


@pytest.mark.parametrize(
    ("setting", "value", "named"),
    [
        ("ACCOUNT_LOGIN_BY_CODE_ENABLED", True, "ACCOUNT_LOGIN_BY_CODE_ENABLED"),
        ("ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED", True, "PASSWORD_RESET_BY_CODE"),
        ("ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED", True, "EMAIL_VERIFICATION_BY_CODE"),
        ("MFA_SUPPORTED_TYPES", ["totp", "recovery_codes", "webauthn"], "webauthn"),
    ],
)
def test_a_feature_with_allauth_s_emails_stops_the_site(settings, setting, value, named):
    setattr(settings, setting, value)
    [error] = allauth_emails_in_our_words(None)
    assert error.id == "people.E002"
    assert named in error.msg


def test_the_check_is_registered(settings):
    settings.ACCOUNT_LOGIN_BY_CODE_ENABLED = True
    with pytest.raises(SystemCheckError, match=r"people\.E002"):
        call_command("check", "--tag", "security", verbosity=0)
