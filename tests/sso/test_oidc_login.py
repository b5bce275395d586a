"""Single sign-on with OpenID Connect, end to end against a real provider on 127.0.0.1
(tests/sso/oidc_op.mjs): the code is exchanged and the ID token checked by allauth over HTTP."""

import pytest
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse

from people.models import Membership, Role, User
from people.permissions import used_mfa_in_session
from sso.adapters import LOGIN_ONLY, NO_EMAIL, NOT_THIS_MUNICIPALITY, UNVERIFIED, WRONG_DOMAIN
from sso.models import Arrival
from tests.sso.conftest import sign_in, staff_member

pytestmark = pytest.mark.django_db


def _logged_in_user(client):
    response = client.get(reverse("people:profile"))
    return response.wsgi_request.user if response.status_code == 200 else None


def test_a_new_person_is_created_just_in_time_as_a_new_hire_pending_confirmation(
    client, idp_a, enhet_a
):
    response = sign_in(client, idp_a, "anna")
    assert response.status_code == 302, response.content[:500]
    user = User.objects.get(email="anna@kommun-a.se")
    assert _logged_in_user(client) == user
    assert user.full_name == "Anna Ny"
    assert not user.has_usable_password()
    membership = Membership.objects.get(user=user)
    assert (membership.role, membership.unit, membership.organisation_id) == (
        Role.NEW_HIRE,
        enhet_a,
        idp_a.organisation_id,
    )
    assert Arrival.objects.get(user=user).confirmed_at is None
    # The same person again: the same account, found by the provider's subject.
    client.logout()
    sign_in(client, idp_a, "anna")
    assert User.objects.filter(email="anna@kommun-a.se").count() == 1
    assert SocialAccount.objects.get(user=user).provider == "oidc-kommun-a"


def test_a_mapped_group_gives_its_role(client, idp_a, enhet_a):
    sign_in(client, idp_a, "mira")
    user = User.objects.get(email="mira@kommun-a.se")
    assert list(Membership.objects.filter(user=user).values_list("role", "unit")) == [
        (Role.MENTOR, enhet_a.pk)
    ]
    assert Arrival.objects.get(user=user).confirmed_at is not None


def test_an_invited_account_is_matched_by_its_email(client, idp_a, enhet_a):
    invited = staff_member("Inbjuden@kommun-a.se".lower(), Role.NEW_HIRE, unit=enhet_a)
    invited.set_unusable_password()
    invited.save()
    sign_in(client, idp_a, "invited")
    assert _logged_in_user(client) == invited
    assert User.objects.filter(email__iexact="inbjuden@kommun-a.se").count() == 1
    assert not Arrival.objects.filter(user=invited).exists()


def test_an_address_of_another_municipality_is_refused(client, idp_a, enhet_b):
    bo = staff_member("bo@kommun-b.se", Role.NEW_HIRE, unit=enhet_b)
    response = sign_in(client, idp_a, "crafted")
    assert response.status_code == 403
    assert response.context["message"] == WRONG_DOMAIN
    assert _logged_in_user(client) is None
    assert not SocialAccount.objects.filter(user=bo).exists()
    assert not User.objects.filter(email="bo@kommun-b.se").exclude(pk=bo.pk).exists()


def test_an_account_elsewhere_is_never_reached_even_in_the_providers_domain(
    client, idp_a, enhet_b, kommun_b
):
    # B's staff member whose address happens to be in A's domain (say, she moved), and a
    # national editor: A's directory may not sign either of them in.
    moved = staff_member("anna@kommun-a.se", Role.NEW_HIRE, unit=enhet_b)
    response = sign_in(client, idp_a, "anna")
    assert response.status_code == 403
    assert response.context["message"] == NOT_THIS_MUNICIPALITY
    assert _logged_in_user(client) is None
    assert Membership.objects.filter(user=moved).get().organisation == kommun_b
    assert not SocialAccount.objects.exists()


def test_a_national_editor_is_not_signed_in_by_a_municipality(client, idp_a, kommun_a):
    staff_member("anna@kommun-a.se", Role.EDITOR, organisation=kommun_a)
    assert sign_in(client, idp_a, "anna").status_code == 403
    assert _logged_in_user(client) is None


@pytest.mark.parametrize(
    ("account", "message"),
    [
        ("unverified", UNVERIFIED),
        ("noemail", NO_EMAIL),
    ],
)
def test_unusable_claims_are_refused_with_a_clear_message(client, idp_a, account, message):
    response = sign_in(client, idp_a, account)
    assert response.status_code == 403
    assert response.context["message"] == message
    assert User.objects.count() == 1  # the municipal admin who set it up


def test_a_name_with_a_personal_identity_number_is_not_stored(client, idp_a):
    sign_in(client, idp_a, "pnr")
    user = User.objects.get(email="per@kommun-a.se")
    assert user.full_name == ""


def test_without_just_in_time_accounts_only_invited_people_get_in(client, idp_a):
    idp_a.create_accounts = False
    idp_a.save()
    response = sign_in(client, idp_a, "anna")
    assert response.status_code == 403
    assert not User.objects.filter(email="anna@kommun-a.se").exists()


def test_a_switched_off_provider_is_a_404(client, idp_a):
    idp_a.enabled = False
    idp_a.save()
    url = reverse("openid_connect_login", kwargs={"provider_id": idp_a.provider_id})
    assert client.post(url).status_code == 404
    assert client.get(reverse("sso:login", kwargs={"slug": "kommun-a"})).status_code == 404


# Two-step verification ------------------------------------------------------------------------
def test_a_login_whose_provider_asserts_mfa_satisfies_our_requirement(client, idp_a, settings):
    settings.MFA_REQUIRED = True
    sign_in(client, idp_a, "mira", amr="pwd,mfa")
    response = client.get(reverse("people:profile"))
    assert response.status_code == 200
    assert used_mfa_in_session(response.wsgi_request)


def test_without_the_providers_mfa_our_second_factor_still_applies(client, idp_a, settings):
    settings.MFA_REQUIRED = True
    sign_in(client, idp_a, "mira", amr="pwd")
    response = client.get(reverse("people:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_an_own_authenticator_is_asked_for_unless_the_provider_asserted_mfa(
    client, idp_a, enhet_a, settings
):
    from allauth.mfa.models import Authenticator

    settings.MFA_REQUIRED = True
    mira = staff_member("mira@kommun-a.se", Role.MENTOR, unit=enhet_a)
    Authenticator.objects.create(
        user=mira, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    response = sign_in(client, idp_a, "mira", amr="pwd")
    assert response["Location"] == reverse("mfa_authenticate")
    assert _logged_in_user(client) is None
    client.get(reverse("account_logout"))
    response = sign_in(client, idp_a, "mira", amr="mfa")
    assert response["Location"] != reverse("mfa_authenticate")
    assert _logged_in_user(client) == mira


# The pages ------------------------------------------------------------------------------------
def test_the_login_page_offers_the_municipality_when_the_domain_matches(client, idp_a):
    response = client.get(reverse("sso:find"), {"email": "Anna@Kommun-A.se"})
    assert response["Location"] == reverse("sso:login", kwargs={"slug": "kommun-a"})
    page = client.get(response["Location"]).content.decode()
    assert "Logga in med Kommun A" in page
    other = client.get(reverse("sso:find"), {"email": "x@annan.se"}, follow=True)
    assert "ingen egen inloggning" in other.content.decode()


def test_connecting_the_providers_account_to_whoever_is_logged_in_is_refused(
    client, idp_a, utomstaende
):
    # B's staff member, logged in, tries to attach A's directory account "anna" to herself.
    client.force_login(utomstaende)
    response = sign_in(client, idp_a, "anna", process="connect")
    assert response.status_code == 403
    assert response.context["message"] == LOGIN_ONLY
    assert not SocialAccount.objects.exists()
