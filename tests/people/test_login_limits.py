"""Failed-login limits per client address behind a reverse proxy (allauth's trusted-proxy
settings): two people behind one proxy are limited separately, and without the setting a
forged X-Forwarded-For changes nothing."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD

PROXY = "10.0.0.5"  # every request reaches Django from the proxy


def _client(forwarded_for):
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)


def _fail_ten_times(client):
    # Ten different (unknown) accounts: the per-address limit is 10 a minute, and the
    # per-account limit (5) is never reached.
    for number in range(10):
        client.post(
            reverse("account_login"), {"login": f"x{number}@example.org", "password": "fel"}
        )


def _logs_in(client, user):
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    return client.session.get("_auth_user_id") == str(user.pk)


@pytest.mark.django_db
def test_two_people_behind_one_proxy_are_limited_separately(settings, ny, mentor):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    guesser = _client("203.0.113.7")
    colleague = _client("198.51.100.20")
    _fail_ten_times(guesser)
    assert not _logs_in(guesser, ny)  # the guesser's address is blocked, even with the password
    assert _logs_in(colleague, mentor)  # the colleague behind the same proxy is not


@pytest.mark.django_db
def test_a_proxy_header_set_by_the_proxy_is_used_when_configured(settings, ny, mentor):
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    guesser = Client(REMOTE_ADDR=PROXY, HTTP_X_REAL_IP="203.0.113.7")
    _fail_ten_times(guesser)
    assert not _logs_in(guesser, ny)
    assert _logs_in(Client(REMOTE_ADDR=PROXY, HTTP_X_REAL_IP="198.51.100.20"), mentor)


@pytest.mark.django_db
def test_without_the_setting_a_forged_header_is_ignored(ny):
    guesser = _client("203.0.113.7")
    _fail_ten_times(guesser)
    # A new X-Forwarded-For per attempt does not reset the count: the address is REMOTE_ADDR.
    assert not _logs_in(_client("198.51.100.99"), ny)


@pytest.mark.django_db
def test_only_the_entry_the_proxy_added_counts(settings, ny):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    # The client forges the first entry; the proxy appends the real address last.
    for forged in range(10):
        _client(f"192.0.2.{forged}, 203.0.113.7").post(
            reverse("account_login"), {"login": f"x{forged}@example.org", "password": "fel"}
        )
    assert not _logs_in(_client("192.0.2.200, 203.0.113.7"), ny)
