"""Single sign-on with SAML 2.0 against a real identity provider (pysaml2's IdP, signing with
xmlsec1; demo/saml_idp.py, the one `make run` starts): allauth fetches its metadata over HTTP,
python3-saml checks the signed assertion. The known traps: several SAML apps at once, the POST
back without the session cookie (SameSite=Lax), https behind a proxy, IdP-initiated logins,
tampered and expired assertions."""

import base64
import datetime
import re
import shutil
import zlib
from urllib.parse import parse_qs, urlparse

import pytest
from allauth.socialaccount.models import SocialAccount
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from people.models import Membership, Role, User
from people.permissions import used_mfa_in_session
from sso.models import IdentityProvider, Preset, Protocol
from sso.services import save_identity_provider

if shutil.which("xmlsec1") is None:  # pragma: no cover - CI installs it (.ci/run)
    pytest.skip("xmlsec1 is not installed (apt-get install xmlsec1)", allow_module_level=True)

pytestmark = pytest.mark.django_db

MAIL = "urn:oid:0.9.2342.19200300.100.1.3"
DISPLAY_NAME = "urn:oid:2.16.840.1.113730.3.1.241"
IS_MEMBER_OF = "urn:oid:1.3.6.1.4.1.5923.1.5.1.1"
PASSWORD = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
REFEDS_MFA = "https://refeds.org/profile/mfa"

ACCOUNTS = {
    "sara": {"mail": ["sara@kommun-a.se"], "displayName": ["Sara Saml"]},
    "mats": {
        "mail": ["mats@kommun-a.se"],
        "displayName": ["Mats Mentor"],
        "isMemberOf": ["mentorer"],
    },
    "crafted": {"mail": ["bo@kommun-b.se"], "displayName": ["Bo"]},
    "bertil": {"mail": ["bertil@kommun-b.se"], "displayName": ["Bertil B"]},
}


HOST = "introsteg.test"


@pytest.fixture
def client(settings):
    # python3-saml refuses single-label hosts such as Django's "testserver" in its URLs.
    settings.ALLOWED_HOSTS = [HOST]
    return Client(HTTP_HOST=HOST)


def _browser():
    return Client(HTTP_HOST=HOST)


@pytest.fixture(scope="module")
def idp_keys(tmp_path_factory):
    """Municipality A's identity provider keeps its signing key, as the demo's does across
    restarts (demo/saml_idp.py key_pair): made once for this module's tests, each with an
    identity provider of its own (a 2048-bit key costs some 30 ms of CPU to make)."""
    return tmp_path_factory.mktemp("idp-a")


@pytest.fixture
def saml_idp(idp_keys):
    idp = _identity_provider(idp_keys)
    yield idp
    idp.close()


def _identity_provider(key_dir):
    # Imported here, not with the module: pysaml2 builds its XML schema validators on import,
    # ~1.9 s of CPU that every xdist worker paid while only collecting the suite.
    from demo.saml_idp import DemoIdentityProvider

    idp = DemoIdentityProvider(
        host="127.0.0.1", port=0, sp_base=f"http://{HOST}", key_dir=key_dir, accounts=ACCOUNTS
    )
    idp.serve_in_thread()
    return idp


def _configure(idp_server, organisation, unit, admin, slug, domain):
    idp = IdentityProvider(
        organisation=organisation,
        slug=slug,
        protocol=Protocol.SAML,
        preset=Preset.STANDARD,
        metadata_url=f"{idp_server.base}/metadata",
        default_unit=unit,
        group_roles="mentorer = mentor",
    )
    save_identity_provider(admin, idp=idp, domains=[domain])
    # The identity provider learns our service provider from our own metadata.
    metadata = _browser().get(reverse("saml_metadata", kwargs={"organization_slug": slug}))
    assert metadata.status_code == 200, metadata.content[:300]
    idp_server.sp_metadata[_sp(slug)[0]] = metadata.content.decode()
    return idp


@pytest.fixture
def saml_a(saml_idp, kommun_a, enhet_a, kommunadmin):
    return _configure(saml_idp, kommun_a, enhet_a, kommunadmin, "saml-a", "kommun-a.se")


def _sp(slug):
    return (
        f"http://{HOST}{reverse('saml_metadata', kwargs={'organization_slug': slug})}",
        f"http://{HOST}{reverse('saml_acs', kwargs={'organization_slug': slug})}",
    )


def _start(client, slug) -> dict:
    response = client.post(reverse("saml_login", kwargs={"organization_slug": slug}))
    assert response.status_code == 302, response.content[:300]
    return {k: v[0] for k, v in parse_qs(urlparse(response["Location"]).query).items()}


def _post_back(client, slug, saml_response, relay_state=""):
    """The browser's POST to our ACS, as a cross-site POST: without our session cookie
    (SameSite=Lax keeps it back), then the redirect to finish it, with the cookies again."""
    browser_without_session = _browser()
    browser_without_session.cookies = client.cookies.__class__(
        {k: v for k, v in client.cookies.items() if k != django_settings.SESSION_COOKIE_NAME}
    )
    acs = browser_without_session.post(
        reverse("saml_acs", kwargs={"organization_slug": slug}),
        {"SAMLResponse": saml_response, "RelayState": relay_state},
    )
    assert acs.status_code == 302
    for key, morsel in acs.cookies.items():
        client.cookies[key] = morsel.value
    return client.get(acs["Location"])


def sign_in(client, idp_server, slug, account, *, authn=PASSWORD):
    request = _start(client, slug)
    entity_id, acs_url = _sp(slug)
    _acs, saml_response = idp_server.respond(
        account=account,
        authn_context=authn,
        saml_request=request["SAMLRequest"],
        sp_entity_id=entity_id,
        acs_url=acs_url,
    )
    return _post_back(client, slug, saml_response, request.get("RelayState", ""))


def _user(client):
    response = client.get(reverse("people:profile"))
    return response.wsgi_request.user if response.status_code == 200 else None


def test_a_saml_login_creates_the_person_just_in_time(client, saml_idp, saml_a, enhet_a):
    response = sign_in(client, saml_idp, "saml-a", "sara")
    assert response.status_code == 302, response.content[:600]
    sara = User.objects.get(email="sara@kommun-a.se")
    assert _user(client) == sara
    assert sara.full_name == "Sara Saml"
    assert Membership.objects.get(user=sara).unit == enhet_a
    assert SocialAccount.objects.get(user=sara).provider == "saml-saml-a"


def test_a_mapped_group_gives_its_role(client, saml_idp, saml_a):
    sign_in(client, saml_idp, "saml-a", "mats")
    assert Membership.objects.get(user__email="mats@kommun-a.se").role == Role.MENTOR


def test_an_address_of_another_municipality_is_refused(client, saml_idp, saml_a):
    response = sign_in(client, saml_idp, "saml-a", "crafted")
    assert response.status_code == 403
    assert _user(client) is None


def test_the_asserted_authentication_context_satisfies_two_step_verification(
    client, saml_idp, saml_a, settings
):
    settings.MFA_REQUIRED = True
    sign_in(client, saml_idp, "saml-a", "mats", authn=REFEDS_MFA)
    response = client.get(reverse("people:profile"))
    assert response.status_code == 200
    assert used_mfa_in_session(response.wsgi_request)


def test_a_password_only_context_leaves_our_second_factor(client, saml_idp, saml_a, settings):
    settings.MFA_REQUIRED = True
    sign_in(client, saml_idp, "saml-a", "mats", authn=PASSWORD)
    response = client.get(reverse("people:profile"))
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_a_tampered_assertion_is_refused(client, saml_idp, saml_a):
    request = _start(client, "saml-a")
    entity_id, acs_url = _sp("saml-a")
    xml = base64.b64decode(
        saml_idp.respond(
            account="sara",
            authn_context=PASSWORD,
            saml_request=request["SAMLRequest"],
            sp_entity_id=entity_id,
            acs_url=acs_url,
        )[1]
    ).decode()
    assert "sara@kommun-a.se" in xml
    forged = base64.b64encode(xml.replace("sara@kommun-a.se", "eva@kommun-a.se").encode())
    response = _post_back(client, "saml-a", forged.decode(), request.get("RelayState", ""))
    assert response.status_code != 302 or _user(client) is None
    assert not User.objects.filter(email__in=["eva@kommun-a.se", "sara@kommun-a.se"]).exists()


def test_an_expired_assertion_is_refused(client, saml_idp, saml_a, time_machine):
    request = _start(client, "saml-a")
    entity_id, acs_url = _sp("saml-a")
    _acs, saml_response = saml_idp.respond(
        account="sara",
        authn_context=PASSWORD,
        saml_request=request["SAMLRequest"],
        sp_entity_id=entity_id,
        acs_url=acs_url,
    )
    time_machine.move_to(datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=1))
    _post_back(client, "saml-a", saml_response, request.get("RelayState", ""))
    assert _user(client) is None
    assert not User.objects.filter(email="sara@kommun-a.se").exists()


def test_an_idp_initiated_login_is_refused_unless_allowed(client, saml_idp, saml_a):
    entity_id, acs_url = _sp("saml-a")

    def unsolicited():
        return saml_idp.respond(
            account="sara",
            authn_context=PASSWORD,
            saml_request=None,
            sp_entity_id=entity_id,
            acs_url=acs_url,
        )[1]

    _post_back(client, "saml-a", unsolicited())
    assert _user(client) is None
    saml_a.allow_idp_initiated = True
    save_identity_provider(
        saml_a.organisation.memberships.get(role=Role.MUNICIPAL_ADMIN).user,
        idp=saml_a,
        domains=["kommun-a.se"],
    )
    _post_back(client, "saml-a", unsolicited())
    assert _user(client) == User.objects.get(email="sara@kommun-a.se")


def test_two_municipalities_with_saml_keep_their_people_apart(
    client, saml_idp, saml_a, tmp_path, kommun_b, enhet_b, kommunadmin_b
):
    other_idp = _identity_provider(tmp_path / "idp-b")
    try:
        _configure(other_idp, kommun_b, enhet_b, kommunadmin_b, "saml-b", "kommun-b.se")
        sign_in(client, other_idp, "saml-b", "bertil")
        bertil = User.objects.get(email="bertil@kommun-b.se")
        assert Membership.objects.get(user=bertil).organisation == kommun_b
        client.logout()
        # A's identity provider's assertion posted to B's endpoint: B does not trust A's key.
        request = _start(client, "saml-b")
        entity_id, acs_url = _sp("saml-b")
        saml_idp.sp_metadata[entity_id] = _browser().get(entity_id).content.decode()
        authn_request = zlib.decompress(base64.b64decode(request["SAMLRequest"]), -15).decode()
        _acs, forged = saml_idp.respond(
            account="bertil",
            authn_context=PASSWORD,
            saml_request=None,
            in_response_to=re.search(r'ID="([^"]+)"', authn_request).group(1),
            sp_entity_id=entity_id,
            acs_url=acs_url,
        )
        _post_back(client, "saml-b", forged, request.get("RelayState", ""))
        assert _user(client) is None
        assert set(SocialAccount.objects.values_list("provider", flat=True)) == {"saml-saml-b"}
    finally:
        other_idp.close()


def test_behind_a_proxy_the_acs_address_is_https(client, saml_a, settings):
    url = reverse("saml_metadata", kwargs={"organization_slug": "saml-a"})
    metadata = client.get(url, HTTP_X_FORWARDED_PROTO="https", secure=False).content.decode()
    assert f'Location="https://{HOST}/accounts/saml/saml-a/acs/"' in metadata
