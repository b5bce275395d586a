"""A real OpenID Connect provider (node-oidc-provider) on 127.0.0.1 for the single sign-on
tests, and municipality A's identity provider configured against it."""

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests
from django.urls import reverse

from people.models import Role
from sso.models import IdentityProvider, Preset, Protocol
from sso.services import save_identity_provider
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
OP_SCRIPT = Path(__file__).with_name("oidc_op.mjs")
SECRET = "test-only-client-secret-a"
CLIENT_A = "introsteg-kommun-a"
CALLBACK_A = "http://testserver/accounts/oidc/oidc-kommun-a/login/callback/"
# Where the provider sends the browser back after single logout (RP-initiated logout).
LOGGED_OUT_A = "http://testserver/accounts/login/"

# The people the provider knows. Municipality A's domain is kommun-a.se, B's kommun-b.se.
ACCOUNTS = {
    "anna": {"email": "anna@kommun-a.se", "email_verified": True, "name": "Anna Ny"},
    "mira": {
        "email": "mira@kommun-a.se",
        "email_verified": True,
        "name": "Mira Mentor",
        "groups": ["grp-mentorer"],
    },
    "invited": {"email": "inbjuden@kommun-a.se", "email_verified": True, "name": "Inbjuden"},
    # A's directory asserting an address of B's domain, and an address B's staff already use.
    "crafted": {"email": "bo@kommun-b.se", "email_verified": True, "name": "Bo"},
    "unverified": {"email": "ove@kommun-a.se", "email_verified": False, "name": "Ove"},
    "noemail": {"name": "Utan Adress"},
    "pnr": {"email": "per@kommun-a.se", "email_verified": True, "name": "Per 121212-1212"},
}


@dataclass
class OpenIDProvider:
    issuer: str
    process: subprocess.Popen


def _node_ready() -> str | None:
    if shutil.which("node") is None:
        return "Node.js is not installed (CI installs it; see README)"
    if not (ROOT / "node_modules" / "oidc-provider").is_dir():
        return "node_modules/oidc-provider is missing: run `npm ci` (make install does)"
    return None


@pytest.fixture(scope="session")
def openid_provider():
    reason = _node_ready()
    if reason:
        pytest.skip(reason)
    config = {
        "clients": [
            {
                "client_id": CLIENT_A,
                "client_secret": SECRET,
                "redirect_uris": [CALLBACK_A],
                "post_logout_redirect_uris": [LOGGED_OUT_A],
            }
        ],
        "accounts": ACCOUNTS,
    }
    process = subprocess.Popen(  # noqa: S603
        ["node", str(OP_SCRIPT)],  # noqa: S607
        cwd=ROOT,
        env={"OP_CONFIG": json.dumps(config), "PATH": shutil.os.environ["PATH"]},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    line = process.stdout.readline()
    if not line.startswith("listening "):
        process.kill()
        pytest.fail(f"the OpenID provider did not start: {line!r}")
    port = int(line.split()[1])
    yield OpenIDProvider(issuer=f"http://127.0.0.1:{port}", process=process)
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def idp_a(openid_provider, kommun_a, enhet_a, kommunadmin):
    idp = IdentityProvider(
        organisation=kommun_a,
        slug="kommun-a",
        protocol=Protocol.OIDC,
        preset=Preset.STANDARD,
        issuer=openid_provider.issuer,
        client_id=CLIENT_A,
        default_unit=enhet_a,
        group_roles="grp-mentorer = mentor",
    )
    return save_identity_provider(
        kommunadmin, idp=idp, domains=["kommun-a.se"], client_secret=SECRET
    )


def sign_in(client, idp, account: str, *, amr: str = "", process: str = "login", browser=None):
    """A browser's round trip: our login button, the provider's authorisation and
    interaction (where `account` signs in, with `amr` as the methods used), and back to our
    callback, which exchanges the code with the provider over HTTP."""
    start = client.post(
        reverse("openid_connect_login", kwargs={"provider_id": idp.provider_id}),
        {"process": process},
    )
    assert start.status_code == 302, start
    browser = browser if browser is not None else requests.Session()
    url = start["Location"]
    for _hop in range(6):
        if url.startswith("http://testserver/"):
            return client.get(url.removeprefix("http://testserver"))
        if "/interaction/" in url:
            url += f"?account={account}" + (f"&amr={amr}" if amr else "")
        answer = browser.get(url, allow_redirects=False, timeout=10)
        assert answer.status_code in (302, 303), (answer.status_code, answer.text[:300])
        url = urljoin(url, answer.headers["Location"])
    raise AssertionError("the provider never sent the browser back")


def staff_member(email, role, *, unit=None, organisation=None):
    from django.utils import timezone

    from people.services import add_membership

    user = UserFactory(email=email, full_name="Testperson")
    add_membership(
        None,
        user=user,
        role=role,
        unit=unit,
        organisation=organisation,
        start_date=timezone.localdate(),
    )
    return user


__all__ = ["Role", "sign_in", "staff_member"]
