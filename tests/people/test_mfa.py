"""Two-step verification (TOTP) for the roles that see case data."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.urls import reverse

from tests.factories import PASSWORD


@pytest.fixture
def mfa_required(settings):
    settings.MFA_REQUIRED = True


def _current_code(secret):
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


@pytest.mark.django_db
@pytest.mark.parametrize("cast", ["mentor", "chef", "kommunadmin"])
@pytest.mark.parametrize("path", ["/mentorskap/", "/mitt-team/", "/personal/", "/admin/"])
def test_case_data_roles_must_set_up_totp_first(client, request, mfa_required, cast, path):
    user = request.getfixturevalue(cast)
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))
    # allauth asks for the password once more before a new authenticator is set up.
    response = client.get(response["Location"])
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    response = client.post(response["Location"], {"password": PASSWORD}, follow=True)
    body = response.content.decode()
    assert "Aktivera autentiseringsapp" in body, body
    assert "data:image/svg+xml" in body  # the QR code, drawn on the server


@pytest.mark.django_db
def test_it_is_optional_for_a_new_hire(client, mfa_required, ny, home):
    client.force_login(ny)
    assert client.get(reverse("mentoring:home")).status_code == 200
    assert client.get(reverse("learning:dashboard")).status_code == 200


@pytest.mark.django_db
def test_with_totp_the_login_asks_for_the_code_and_the_page_opens(client, mfa_required, mentor):
    secret = generate_totp_secret()
    TOTP.activate(mentor, secret)
    response = client.post(reverse("account_login"), {"login": mentor.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("mentoring:home")).status_code == 302  # not logged in yet
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert response.status_code == 200  # wrong code: the form again, with an error
    response = client.post(reverse("mfa_authenticate"), {"code": _current_code(secret)})
    assert response.status_code == 302
    assert client.get(reverse("mentoring:home")).status_code == 200


@pytest.mark.django_db
def test_a_required_role_cannot_remove_their_authenticator(client, mfa_required, chef):
    TOTP.activate(chef, generate_totp_secret())
    client.force_login(chef)
    client.post(reverse("mfa_deactivate_totp"))
    assert Authenticator.objects.filter(user=chef, type=Authenticator.Type.TOTP).exists()
