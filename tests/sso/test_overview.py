"""The platform operator's overview of every municipality's sign-in: identity provider,
domains, active SCIM tokens, the directory's last call and the last login through the
identity provider; for the operator (a superuser) only, in a constant number of queries."""

import datetime

import pytest
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.urls import reverse
from django.utils import timezone

from people.models import Organisation
from sso.models import EmailDomain, IdentityProvider, Protocol
from sso.scim.services import create_scim_token, revoke_scim_token
from tests.factories import OrganisationFactory, UserFactory
from tests.queries import exact_queries

pytestmark = pytest.mark.django_db
URL = reverse("sso:overview")


@pytest.fixture
def operator(settings):
    settings.MFA_REQUIRED = False
    return UserFactory(email="drift@example.org", is_superuser=True, is_staff=True)


def _idp(organisation, slug, domain, admin=None):
    app = SocialApp.objects.create(provider="openid_connect", provider_id=f"oidc-{slug}", name=slug)
    idp = IdentityProvider.objects.create(
        organisation=organisation, slug=slug, protocol=Protocol.OIDC, app=app
    )
    EmailDomain.objects.create(identity_provider=idp, domain=domain)
    return idp


def test_the_operator_sees_every_municipalitys_sign_in(
    client, operator, kommun_a, kommun_b, kommunadmin, ny
):
    _idp(kommun_a, "kommun-a", "kommun-a.se")
    token, _raw = create_scim_token(kommunadmin, organisation_id=kommun_a.pk, label="Entra ID")
    revoked, _raw = create_scim_token(kommunadmin, organisation_id=kommun_a.pk, label="Gammal")
    revoke_scim_token(kommunadmin, token=revoked)
    called = timezone.make_aware(
        datetime.datetime.combine(
            timezone.localdate() - datetime.timedelta(days=2), datetime.time(12)
        )
    )
    token.last_used_at = called
    token.save()
    logged_in = called + datetime.timedelta(hours=1)
    account = SocialAccount.objects.create(user=ny, provider="oidc-kommun-a", uid="x")
    # last_login is auto_now on save; the login is set as it was two days ago.
    SocialAccount.objects.filter(pk=account.pk).update(last_login=logged_in)
    client.force_login(operator)
    response = client.get(URL)
    assert response.status_code == 200
    rows = {row.organisation: row for row in response.context["rows"]}
    a, b = rows[kommun_a], rows[kommun_b]
    assert a.has_idp and a.idp.protocol == Protocol.OIDC
    assert a.domains == ("kommun-a.se",)
    assert a.active_tokens == 1
    assert a.last_scim_call == called
    assert a.last_sso_login == logged_in
    assert not b.has_idp and b.active_tokens == 0 and b.last_scim_call is None
    assert b.last_sso_login is None
    page = response.content.decode()
    assert "kommun-a.se" in page and kommun_b.name in page


@pytest.mark.parametrize("who", ["kommunadmin", "kommunadmin_b", "ny", "redaktor"])
def test_nobody_but_the_operator_sees_it(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(URL).status_code == 404


def test_the_overview_runs_the_same_queries_for_one_and_many_municipalities(client, operator):
    client.force_login(operator)
    client.get(URL)
    _idp(OrganisationFactory(), "forsta", "forsta.se")
    with exact_queries(5) as one:
        client.get(URL)
    for n in range(10):
        _idp(OrganisationFactory(), f"kommun-{n}", f"kommun-{n}.se")
    with exact_queries(len(one)):
        client.get(URL)
    assert Organisation.objects.count() >= 11


def test_the_overview_is_in_the_operators_menu_and_in_nobody_elses(
    client, operator, kommunadmin, redaktor, ny
):
    client.force_login(operator)
    menu = client.get(reverse("people:profile")).content.decode().split('id="site-nav"')[1]
    assert f'href="{URL}"' in menu.split("</nav>")[0]
    for person in (kommunadmin, redaktor, ny):
        client.force_login(person)
        page = client.get(reverse("people:profile"))
        assert page.status_code == 200
        assert URL not in page.content.decode()
