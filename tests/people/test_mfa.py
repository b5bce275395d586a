"""Two-step verification (TOTP) for the roles that see case data: fail closed, and asked for in
the login itself."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    TOTP,
    generate_totp_secret,
)
from django.test import Client
from django.urls import reverse

from people.models import AuditEvent
from tests.factories import PASSWORD
from tests.totp import current_code


@pytest.fixture
def mfa_required(settings):
    settings.MFA_REQUIRED = True


def _log_in(client, user):
    return client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})


def _sent_to(response, urlname):
    return response.status_code == 302 and response["Location"].startswith(reverse(urlname))


@pytest.mark.django_db
@pytest.mark.parametrize("cast", ["mentor", "chef", "kommunadmin"])
@pytest.mark.parametrize("path", ["/mentorskap/", "/mitt-team/", "/personal/", "/admin/"])
def test_case_data_roles_must_set_up_totp_first(client, request, mfa_required, cast, path):
    user = request.getfixturevalue(cast)
    _log_in(client, user)
    response = client.get(path)
    assert _sent_to(response, "mfa_activate_totp")
    # Straight after the login the set-up page opens without asking for the password again.
    response = client.get(response["Location"])
    assert response.status_code == 200
    body = response.content.decode()
    assert "Koppla en app för tvåstegsverifiering" in body, body
    assert "data:image/svg+xml" in body  # the QR code, drawn on the server


@pytest.mark.django_db
def test_the_login_itself_leads_to_the_set_up(client, mfa_required, mentor):
    response = _log_in(client, mentor)
    response = client.get(response["Location"])  # the landing page after the login
    assert _sent_to(response, "mfa_activate_totp")
    response = client.get(response["Location"])
    assert response.status_code == 200  # no password prompt (account_reauthenticate)
    assert "Koppla en app för tvåstegsverifiering" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/profil/mina-uppgifter.zip",  # the personal data export: supervision notes, cases
        "/profil/",
        "/start/",
        "/min-introduktion/",
        "/min-introduktion/kalender/",
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/2fa/recovery-codes/",
        "/django-admin/",
    ],
)
def test_every_page_waits_for_the_second_factor(client, mfa_required, mentor, path):
    _log_in(client, mentor)
    response = client.get(path)
    assert _sent_to(response, "mfa_activate_totp"), (path, response.status_code)
    assert response["Location"].endswith("?next=" + path.replace("/", "%2F"))
    assert not AuditEvent.objects.filter(action="export").exists()


@pytest.mark.django_db
def test_private_pages_of_the_page_tree_wait_too(client, mfa_required, mentor, course):
    _log_in(client, mentor)
    module = course.get_children().first()
    assert _sent_to(client.get(module.url), "mfa_activate_totp")
    # The public pages of the tree stay open: the home page, the catalogue, a course.
    assert client.get(course.get_parent().get_parent().url).status_code == 200
    assert client.get(course.get_parent().url).status_code == 200
    assert client.get(course.url).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/tillganglighet/", "/halsa/", "/accounts/2fa/", "/accounts/logout/"],
)
def test_the_open_pages_stay_open(client, mfa_required, mentor, path):
    _log_in(client, mentor)
    assert client.get(path).status_code == 200


@pytest.mark.django_db
def test_it_is_optional_for_a_new_hire(client, mfa_required, ny, home):
    _log_in(client, ny)
    assert client.get(reverse("mentoring:home")).status_code == 200
    assert client.get(reverse("learning:dashboard")).status_code == 200
    assert client.get(reverse("people:my_data")).status_code == 200


@pytest.mark.django_db
def test_with_totp_the_login_asks_for_the_code_and_the_page_opens(client, mfa_required, mentor):
    secret = generate_totp_secret()
    TOTP.activate(mentor, secret)
    response = _log_in(client, mentor)
    # The second factor is the login's next step, right after the password.
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("mentoring:home")).status_code == 302  # not logged in yet
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert response.status_code == 200  # wrong code: the form again, with an error
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert response["Location"] == reverse("people:start")  # no password typed again
    assert client.session["_auth_user_id"] == str(mentor.pk)
    assert client.get(reverse("mentoring:home")).status_code == 200
    assert client.get(reverse("people:my_data")).status_code == 200


@pytest.mark.django_db
def test_a_wrong_code_never_logs_in(client, mfa_required, mentor):
    TOTP.activate(mentor, generate_totp_secret())
    _log_in(client, mentor)
    for code in ("000000", "123456", ""):
        client.post(reverse("mfa_authenticate"), {"code": code})
    assert "_auth_user_id" not in client.session
    response = client.get(reverse("people:my_data"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_a_session_from_before_the_authenticator_does_not_count(mfa_required, mentor):
    """Logged in with the password alone, then an authenticator is added (on another device):
    the old session must still enter a code before it reaches case data."""
    old = Client()
    _log_in(old, mentor)
    secret = generate_totp_secret()
    TOTP.activate(mentor, secret)
    response = old.get("/profil/mina-uppgifter.zip")
    assert _sent_to(response, "mfa_reauthenticate")
    assert response["Location"].endswith("?next=%2Fprofil%2Fmina-uppgifter.zip")
    assert _sent_to(old.get(reverse("mentoring:home")), "mfa_reauthenticate")
    response = old.post(response["Location"], {"code": current_code(secret)})
    assert response.status_code == 302 and response["Location"] == "/profil/mina-uppgifter.zip"
    assert old.get(reverse("mentoring:home")).status_code == 200


@pytest.mark.django_db
def test_a_forced_or_password_only_login_of_a_totp_user_does_not_count(mfa_required, chef):
    TOTP.activate(chef, generate_totp_secret())
    client = Client()
    client.force_login(chef)  # a session without allauth's record of a second factor
    assert _sent_to(client.get(reverse("team:overview")), "mfa_reauthenticate")


# Real commits: allauth announces the new authenticator after its transaction commits.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_setting_up_counts_as_using_it(client, mfa_required, mentor):
    _log_in(client, mentor)
    client.get(reverse("mfa_activate_totp"))
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=mentor, type=Authenticator.Type.TOTP).exists()
    # The code was just typed from the app: the pages open without waiting for the next one.
    assert client.get(reverse("mentoring:home")).status_code == 200
    assert client.get(reverse("mfa_view_recovery_codes")).status_code == 200
    # A new login asks for the code again, right after the password.
    client.post(reverse("account_logout"))
    assert _log_in(client, mentor)["Location"] == reverse("mfa_authenticate")


@pytest.mark.django_db
def test_a_code_is_accepted_once(mfa_required, mentor):
    secret = generate_totp_secret()
    TOTP.activate(mentor, secret)
    code = current_code(secret)
    first, second = Client(), Client()
    _log_in(first, mentor)
    assert first.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    _log_in(second, mentor)
    assert second.post(reverse("mfa_authenticate"), {"code": code}).status_code == 200
    assert "_auth_user_id" not in second.session


@pytest.mark.django_db
def test_a_required_role_cannot_remove_their_authenticator(client, mfa_required, chef):
    secret = generate_totp_secret()
    TOTP.activate(chef, secret)
    _log_in(client, chef)
    client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    client.post(reverse("mfa_deactivate_totp"))
    assert Authenticator.objects.filter(user=chef, type=Authenticator.Type.TOTP).exists()
