"""The demo's identity provider (demo/saml_idp.py, started by `make run`) and the demo seed
that configures Lunds kommun against it (seed_sso_demo): the demo person signs in through
it over real HTTP, a newcomer is created just in time, and single logout goes through it
(SAML SLO), or stays local when the municipality has it off."""

import html
import io
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest
import requests
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from people.models import Membership, Role, User
from people.services import add_membership
from sso.models import Arrival, IdentityProvider
from tests.factories import OrganisationFactory, UnitFactory, UserFactory

if shutil.which("xmlsec1") is None:  # pragma: no cover - CI installs it (.ci/run)
    pytest.skip("xmlsec1 is not installed (apt-get install xmlsec1)", allow_module_level=True)

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
HOST = "introsteg.test"  # python3-saml refuses single-label hosts such as "testserver"


@pytest.fixture
def client(settings):
    settings.ALLOWED_HOSTS = [HOST]
    return Client(HTTP_HOST=HOST)


@pytest.fixture(scope="module")
def idp_keys(tmp_path_factory):
    """The identity provider keeps its signing key, as the demo's does across restarts
    (key_pair): made once for this module's tests (a 2048-bit key is some 30 ms of CPU)."""
    return tmp_path_factory.mktemp("keys")


@pytest.fixture
def demo_idp(idp_keys):
    # Imported here, not with the module: pysaml2 builds its XML schema validators on import,
    # ~1.9 s of CPU that every xdist worker paid while only collecting the suite.
    from demo.saml_idp import DemoIdentityProvider

    idp = DemoIdentityProvider(host="127.0.0.1", port=0, sp_base=f"http://{HOST}", key_dir=idp_keys)
    idp.serve_in_thread()
    yield idp
    idp.close()


@pytest.fixture
def lund(demo_idp, client):
    """What seed_demo leaves (Lund, its unit, its admin), then the SSO demo seed on top."""
    organisation = OrganisationFactory(name="Lunds kommun")
    UnitFactory(organisation=organisation, name="Barn och unga – utredning")
    admin = UserFactory(email="admin@example.org")
    add_membership(
        None,
        user=admin,
        role=Role.MUNICIPAL_ADMIN,
        organisation=organisation,
        start_date=timezone.localdate(),
    )
    quiet = io.StringIO()
    call_command("seed_sso_demo", idp_url=demo_idp.base, force=True, stdout=quiet)
    # Twice: the seed is idempotent.
    call_command("seed_sso_demo", idp_url=demo_idp.base, force=True, stdout=quiet)
    # The IdP would fetch our metadata from runserver; the test client has no socket, so it is
    # handed over as the IdP would have read it.
    metadata_url = reverse("saml_metadata", kwargs={"organization_slug": "lund"})
    metadata = client.get(metadata_url)
    assert metadata.status_code == 200
    demo_idp.sp_metadata[f"http://{HOST}{metadata_url}"] = metadata.content.decode()
    return IdentityProvider.objects.get(organisation=organisation)


def _fields(page: str) -> tuple[str, dict]:
    action = re.search(r'<form method="post"(?: action="([^"]*)")?', page).group(1) or ""
    fields = {
        html.unescape(name): html.unescape(value)
        for name, value in re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', page)
    }
    return html.unescape(action), fields


def sign_in_through_demo(client, demo_idp, account):
    """The browser's round trip: Lund's login button, the demo IdP's page (real HTTP) where
    `account` is chosen, and the auto-posted assertion back to our ACS (cross-site, without
    our session cookie), then allauth's finish."""
    page = client.get(reverse("sso:login", kwargs={"slug": "lund"}))
    assert page.status_code == 200
    start = client.post(reverse("saml_login", kwargs={"organization_slug": "lund"}))
    assert start.status_code == 302
    assert start["Location"].startswith(f"{demo_idp.base}/sso?")
    browser = requests.Session()
    login_page = browser.get(start["Location"], timeout=10)
    assert login_page.status_code == 200, login_page.text[:300]
    assert "Siri Sjöberg" in login_page.text
    _action, fields = _fields(login_page.text)
    posted = browser.post(f"{demo_idp.base}/sso", data={**fields, "account": account}, timeout=10)
    assert posted.status_code == 200, posted.text[:300]
    acs, fields = _fields(posted.text)
    assert urlparse(acs).path == reverse("saml_acs", kwargs={"organization_slug": "lund"})
    without_session = Client(HTTP_HOST=HOST)
    without_session.cookies = client.cookies.__class__(
        {k: v for k, v in client.cookies.items() if k != django_settings.SESSION_COOKIE_NAME}
    )
    back = without_session.post(urlparse(acs).path, fields)
    assert back.status_code == 302, back.content[:300]
    for key, morsel in back.cookies.items():
        client.cookies[key] = morsel.value
    return client.get(back["Location"])


def _user(client):
    response = client.get(reverse("people:profile"))
    return response.wsgi_request.user if response.status_code == 200 else None


def test_the_demo_person_signs_in_through_the_demo_idp(client, demo_idp, lund):
    assert lund.domains.get().domain == "lund.example"
    siri = User.objects.get(email="siri.sjoberg@lund.example")
    assert not siri.has_usable_password()
    sign_in_through_demo(client, demo_idp, "siri")
    assert _user(client) == siri
    assert Membership.objects.get(user=siri).role == Role.SOCIAL_SECRETARY


def test_a_newcomer_is_created_just_in_time_pending_the_admins_confirmation(client, demo_idp, lund):
    sign_in_through_demo(client, demo_idp, "sam")
    sam = User.objects.get(email="sam.svensson@lund.example")
    assert _user(client) == sam
    assert Membership.objects.get(user=sam).unit == lund.default_unit
    assert Arrival.objects.get(user=sam).confirmed_at is None


def test_single_logout_goes_through_the_demo_idp(client, demo_idp, lund):
    sign_in_through_demo(client, demo_idp, "siri")
    logout = client.post(reverse("account_logout"))
    assert logout.status_code == 302
    assert logout["Location"].startswith(f"{demo_idp.base}/slo?SAMLRequest=")
    assert _user(client) is None
    # The IdP ends its session and answers with a signed LogoutResponse to allauth's SLS.
    answer = requests.get(logout["Location"], allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text[:300]
    sls = urlparse(answer.headers["Location"])
    assert sls.path == reverse("saml_sls", kwargs={"organization_slug": "lund"})
    done = client.get(f"{sls.path}?{sls.query}")
    assert done.status_code == 302, done.content[:300]


def test_without_single_logout_the_logout_stays_local(client, demo_idp, lund):
    lund.single_logout = False
    lund.save()
    sign_in_through_demo(client, demo_idp, "siri")
    logout = client.post(reverse("account_logout"))
    assert logout.status_code == 302
    assert not logout["Location"].startswith(demo_idp.base)
    assert _user(client) is None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_demo_idp_runs_as_make_run_starts_it_and_says_so_when_its_port_is_busy(tmp_path):
    port = _free_port()
    command = [sys.executable, "-m", "demo.saml_idp", "--port", str(port)]
    command += ["--keys", str(tmp_path / "keys")]
    first = subprocess.Popen(  # noqa: S603
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert first.stdout.readline().strip() == f"listening http://127.0.0.1:{port}"
        metadata = requests.get(f"http://127.0.0.1:{port}/metadata", timeout=10)
        assert "SingleLogoutService" in metadata.text
        busy = subprocess.run(  # noqa: S603
            command, cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
        )
        assert busy.returncode == 1
        assert "startade inte" in busy.stderr
    finally:
        first.terminate()
        first.wait(timeout=10)
