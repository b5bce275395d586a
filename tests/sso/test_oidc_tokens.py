"""The ID token from the municipality's OpenID Connect provider is believed only when it is
intact and current (sso/oidc.py): against the real provider on 127.0.0.1, a token altered
after signing and a token that has expired are both refused, and nobody is signed in."""

import datetime
from urllib.parse import urljoin

import pytest
import requests
import time_machine
from django.urls import reverse
from django.utils import timezone

from people.models import User
from tests.sso.conftest import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider_mode(openid_provider):
    def set_mode(mode: str):
        answer = requests.get(
            f"{openid_provider.issuer}/__test_mode", params={"mode": mode}, timeout=10
        )
        assert answer.json() == {"mode": mode}

    yield set_mode
    set_mode("")


def _until_callback(client, idp, account: str) -> str:
    """The round trip of sign_in, stopping before our callback: its path."""
    start = client.post(
        reverse("openid_connect_login", kwargs={"provider_id": idp.provider_id}),
        {"process": "login"},
    )
    browser = requests.Session()
    url = start["Location"]
    for _hop in range(6):
        if url.startswith("http://testserver/"):
            return url.removeprefix("http://testserver")
        if "/interaction/" in url:
            url += f"?account={account}"
        answer = browser.get(url, allow_redirects=False, timeout=10)
        url = urljoin(url, answer.headers["Location"])
    raise AssertionError("the provider never sent the browser back")


def _signed_in(client) -> bool:
    return client.get(reverse("people:profile")).status_code == 200


def test_the_honest_token_signs_in(client, idp_a, provider_mode):
    provider_mode("")
    sign_in(client, idp_a, "anna")
    assert _signed_in(client)


def test_a_token_altered_after_signing_is_refused(client, idp_a, provider_mode):
    # allauth would skip the signature for a token from the token endpoint and believe the
    # altered "amr" (a second factor the person never used); sso/oidc.py checks it.
    provider_mode("tamper")
    response = sign_in(client, idp_a, "anna")
    assert response.status_code == 401  # allauth's "login failed" page
    assert not _signed_in(client)
    assert not User.objects.filter(email="anna@kommun-a.se").exists()


def test_an_expired_token_is_refused(client, idp_a, provider_mode):
    provider_mode("short")  # valid for 60 seconds from when the provider signs it
    callback = _until_callback(client, idp_a, "anna")
    # Five minutes on: past the token's expiry, well within allauth's state (10 minutes).
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=5), tick=True):
        response = client.get(callback)
    assert response.status_code == 401  # allauth's "login failed" page
    assert not _signed_in(client)
    assert not User.objects.filter(email="anna@kommun-a.se").exists()
