"""Single logout with OpenID Connect against the real local provider (node-oidc-provider):
with the municipality's setting on, logging out here sends the browser to the provider's
end_session_endpoint (RP-initiated logout), which ends its session and sends it back to our
login page; off, the logout stays local. (SAML SLO: tests/sso/test_demo_idp.py.)"""

import html
import re

import pytest
import requests
from django.urls import reverse

from sso.services import save_identity_provider
from tests.sso.conftest import LOGGED_OUT_A, sign_in

pytestmark = pytest.mark.django_db


def _user(client):
    response = client.get(reverse("people:profile"))
    return response.wsgi_request.user if response.status_code == 200 else None


def _switch(idp, admin, on: bool):
    idp.single_logout = on
    return save_identity_provider(admin, idp=idp, domains=["kommun-a.se"])


def test_logging_out_also_logs_out_at_the_provider_when_switched_on(
    client, idp_a, kommunadmin, openid_provider
):
    # Off (the default): the logout stays here.
    assert not idp_a.single_logout
    sign_in(client, idp_a, "anna")
    local = client.post(reverse("account_logout"))
    assert local.status_code == 302
    assert not local["Location"].startswith(openid_provider.issuer)
    assert _user(client) is None
    _switch(idp_a, kommunadmin, True)
    browser = requests.Session()
    sign_in(client, idp_a, "anna", browser=browser)
    assert _user(client) is not None
    # While the provider's session lasts, it sends a new login straight back to us.
    assert _authorise(client, idp_a, browser).startswith("http://testserver/")
    logout = client.post(reverse("account_logout"))
    assert logout.status_code == 302
    location = logout["Location"]
    assert location.startswith(f"{openid_provider.issuer}/session/end?")
    assert _user(client) is None
    # The provider asks the browser to confirm (its own page), then ends its session and
    # sends it to the address registered for us.
    confirm = browser.get(location, timeout=10)
    assert confirm.status_code == 200, confirm.text[:300]
    action = html.unescape(re.search(r'action="([^"]+)"', confirm.text).group(1))
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', confirm.text))
    ended = browser.post(
        requests.compat.urljoin(location, action),
        data={**fields, "logout": "yes"},
        allow_redirects=False,
        timeout=10,
    )
    assert ended.status_code in (302, 303), ended.text[:300]
    assert ended.headers["Location"] == LOGGED_OUT_A
    # The provider's session is gone: a new login asks who is signing in again.
    assert "/interaction/" in _authorise(client, idp_a, browser)


def _authorise(client, idp, browser) -> str:
    """Where the provider sends a new authorisation request of this browser."""
    start = client.post(
        reverse("openid_connect_login", kwargs={"provider_id": idp.provider_id}),
        {"process": "login"},
    )
    answer = browser.get(start["Location"], allow_redirects=False, timeout=10)
    return answer.headers["Location"]


def _authorise(client, idp, browser) -> str:
    """Where the provider sends a new authorisation request of this browser."""
    start = client.post(
        reverse("openid_connect_login", kwargs={"provider_id": idp.provider_id}),
        {"process": "login"},
    )
    answer = browser.get(start["Location"], allow_redirects=False, timeout=10)
    return answer.headers["Location"]


def test_with_single_logout_off_the_logout_stays_local(client, idp_a, openid_provider):
    sign_in(client, idp_a, "anna")
    logout = client.post(reverse("account_logout"))
    assert logout.status_code == 302
    assert not logout["Location"].startswith(openid_provider.issuer)
    assert _user(client) is None
