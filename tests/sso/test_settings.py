"""The municipal admin's settings page and the service behind it: allauth's SocialApp kept in
step, a domain claimed once, another municipality's people out of reach."""

import pytest
from allauth.socialaccount.models import SocialApp
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from people.models import Role
from sso.models import Arrival, IdentityProvider, Protocol
from sso.services import DOMAIN_TAKEN, DOMAIN_USED_ELSEWHERE, save_identity_provider
from tests.queries import exact_queries
from tests.sso.conftest import staff_member

pytestmark = pytest.mark.django_db

FORM = {
    "protocol": "oidc",
    "preset": "entra",
    "slug": "kommun-a",
    "issuer": "https://login.microsoftonline.com/tenant/v2.0",
    "client_id": "abc",
    "client_secret": "s3cr3t-x9",
    "domains": "kommun-a.se\nsoc.kommun-a.se",
    "group_roles": "g1 = mentor",
    "create_accounts": "on",
    "enabled": "on",
}


def test_the_municipal_admin_sets_up_oidc_and_allauths_app_follows(client, kommunadmin, enhet_a):
    client.force_login(kommunadmin)
    response = client.post(reverse("sso:settings"), {**FORM, "default_unit": enhet_a.pk})
    assert response.status_code == 302, response.context["form"].errors
    idp = IdentityProvider.objects.get()
    app = SocialApp.objects.get()
    assert idp.app == app
    assert (app.provider, app.provider_id, app.client_id, app.secret) == (
        "openid_connect",
        "oidc-kommun-a",
        "abc",
        "s3cr3t-x9",
    )
    assert app.settings["server_url"] == FORM["issuer"]
    assert sorted(idp.domains.values_list("domain", flat=True)) == [
        "kommun-a.se",
        "soc.kommun-a.se",
    ]
    # The secret is never shown again and an empty field keeps it.
    page = client.get(reverse("sso:settings")).content.decode()
    assert "s3cr3t-x9" not in page
    client.post(reverse("sso:settings"), {**FORM, "client_secret": "", "default_unit": enhet_a.pk})
    assert SocialApp.objects.get().secret == "s3cr3t-x9"


def test_bad_input_is_a_clear_form_error(client, kommunadmin, enhet_a):
    client.force_login(kommunadmin)
    response = client.post(
        reverse("sso:settings"),
        {**FORM, "group_roles": "g1 = redaktör", "domains": "", "default_unit": enhet_a.pk},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "group_roles" in errors and "domains" in errors
    assert not IdentityProvider.objects.exists() and not SocialApp.objects.exists()


def test_a_domain_belongs_to_one_municipality(kommunadmin, kommunadmin_b, kommun_a, kommun_b):
    save_identity_provider(
        kommunadmin,
        idp=IdentityProvider(
            organisation=kommun_a,
            slug="a",
            protocol=Protocol.OIDC,
            issuer="https://idp.example/a",
            client_id="a",
            create_accounts=False,
        ),
        domains=["kommun-a.se"],
        client_secret="s",
    )
    b = IdentityProvider(
        organisation=kommun_b,
        slug="b",
        protocol=Protocol.OIDC,
        issuer="https://idp.example/b",
        client_id="b",
        create_accounts=False,
    )
    with pytest.raises(ValidationError) as taken:
        save_identity_provider(kommunadmin_b, idp=b, domains=["kommun-a.se"], client_secret="s")
    assert DOMAIN_TAKEN % {"domain": "kommun-a.se"} in taken.value.message_dict["domains"]


def test_a_domain_already_used_by_another_municipalitys_staff_cannot_be_claimed(
    kommunadmin, kommun_a, enhet_b
):
    staff_member("bo@kommun-b.se", Role.NEW_HIRE, unit=enhet_b)
    idp = IdentityProvider(
        organisation=kommun_a,
        slug="a",
        protocol=Protocol.OIDC,
        issuer="https://idp.example/a",
        client_id="a",
        create_accounts=False,
    )
    with pytest.raises(ValidationError) as error:
        save_identity_provider(kommunadmin, idp=idp, domains=["kommun-b.se"], client_secret="s")
    assert DOMAIN_USED_ELSEWHERE % {"domain": "kommun-b.se"} in error.value.messages


def test_only_the_municipalitys_own_admin_may_configure_it(kommunadmin_b, kommun_a):
    idp = IdentityProvider(organisation=kommun_a, slug="a", protocol=Protocol.OIDC)
    with pytest.raises(PermissionDenied):
        save_identity_provider(kommunadmin_b, idp=idp, domains=["kommun-a.se"])


def test_arrivals_are_confirmed_only_by_their_own_municipality(
    client, kommunadmin, kommunadmin_b, kommun_a, enhet_a
):
    idp = save_identity_provider(
        kommunadmin,
        idp=IdentityProvider(
            organisation=kommun_a,
            slug="a",
            protocol=Protocol.OIDC,
            issuer="https://idp.example/a",
            client_id="a",
            default_unit=enhet_a,
        ),
        domains=["kommun-a.se"],
        client_secret="s",
    )
    anna = staff_member("anna@kommun-a.se", Role.NEW_HIRE, unit=enhet_a)
    arrival = Arrival.objects.create(user=anna, identity_provider=idp)
    url = reverse("sso:confirm_arrival", kwargs={"arrival_id": arrival.pk})
    client.force_login(kommunadmin_b)
    assert client.post(url).status_code == 404
    client.force_login(kommunadmin)
    assert "anna@kommun-a.se" in client.get(reverse("sso:settings")).content.decode()
    assert client.post(url).status_code == 302
    arrival.refresh_from_db()
    assert arrival.confirmed_at is not None


def test_the_settings_page_runs_the_same_queries_for_one_and_many_arrivals(
    client, kommunadmin, kommun_a, enhet_a
):
    idp = save_identity_provider(
        kommunadmin,
        idp=IdentityProvider(
            organisation=kommun_a,
            slug="a",
            protocol=Protocol.OIDC,
            issuer="https://idp.example/a",
            client_id="a",
            default_unit=enhet_a,
        ),
        domains=["kommun-a.se"],
        client_secret="s",
    )
    client.force_login(kommunadmin)
    url = reverse("sso:settings")

    def arrive(count):
        start = Arrival.objects.count()
        for n in range(start, start + count):
            user = staff_member(f"p{n}@kommun-a.se", Role.NEW_HIRE, unit=enhet_a)
            Arrival.objects.create(user=user, identity_provider=idp)

    arrive(1)
    client.get(url)
    with exact_queries(SETTINGS_QUERIES):
        assert client.get(url).status_code == 200
    arrive(20)
    with exact_queries(SETTINGS_QUERIES):
        assert client.get(url).status_code == 200


# Session, user, memberships, the municipality, the identity provider and its domains, the
# site and two page lookups of the base template's menu, the unit choices, the arrivals.
SETTINGS_QUERIES = 8
