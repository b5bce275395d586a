import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD


def _login(client, user):
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD}, follow=True
    )
    assert response.status_code == 200
    return response


@pytest.mark.django_db
def test_login_page_is_swedish(client, home):
    response = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'lang="sv"' in body
    assert "Logga in" in body


@pytest.mark.django_db
def test_wrong_password_gives_a_swedish_error_and_keeps_the_email(client, home, ny):
    response = client.post(reverse("account_login"), {"login": ny.email, "password": "fel"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "E-postadressen eller lösenordet stämmer inte." in body
    assert 'value="ny@example.org"' in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("cast", "landing"),
    [
        ("ny", "learning:dashboard"),
        ("mentor", "mentoring:my_mentees"),  # their work first (issue 18)
        ("chef", "team:overview"),
        ("kommunadmin", "people:staff"),
        ("redaktor", "wagtailadmin_home"),
        ("kursledare", "learning:runs_led"),
    ],
)
def test_each_role_lands_on_a_page_that_fits_it(client, home, request, cast, landing):
    user = request.getfixturevalue(cast)
    response = _login(client, user)
    assert response.redirect_chain[-1][0] == reverse(landing)


@pytest.mark.django_db
def test_public_signup_is_closed(client, home):
    response = client.post(
        reverse("account_signup"),
        {"email": "x@example.org", "password1": "Abcdefgh-123", "password2": "Abcdefgh-123"},
    )
    assert "stängd" in response.content.decode().lower()
    from people.models import User

    assert not User.objects.filter(email="x@example.org").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("cast", ["ny", "mentor", "chef", "redaktor", "utomstaende"])
def test_staff_pages_are_404_for_everyone_but_municipal_admins(client, home, request, cast):
    client.force_login(request.getfixturevalue(cast))
    assert client.get(reverse("people:staff")).status_code == 404
    assert client.get(reverse("people:invite")).status_code == 404


@pytest.mark.django_db
def test_staff_page_lists_only_own_municipality(client, home, kommunadmin, ny, utomstaende):
    client.force_login(kommunadmin)
    body = client.get(reverse("people:staff")).content.decode()
    assert ny.email in body
    assert utomstaende.email not in body


@pytest.mark.django_db
def test_invite_form_errors_are_swedish_and_keep_input(client, home, kommunadmin, enhet_a, ny):
    client.force_login(kommunadmin)
    data = {
        "full_name": "Kim Kollega",
        "email": "ny@example.org",
        "unit": enhet_a.pk,
        "role": "new_hire",
        "start_date": "inte-ett-datum",
    }
    response = client.post(reverse("people:invite"), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Ange datumet som ÅÅÅÅ-MM-DD." in body  # the format, not just "giltigt" (issue 17)
    assert 'value="Kim Kollega"' in body
    data["start_date"] = timezone.localdate().isoformat()
    response = client.post(reverse("people:invite"), data)
    assert "Det finns redan ett konto med den e-postadressen." in response.content.decode()


@pytest.mark.django_db
def test_invite_form_offers_only_own_units_and_confirms(
    client, home, kommunadmin, enhet_a, enhet_b
):
    client.force_login(kommunadmin)
    data = {
        "full_name": "Kim Kollega",
        "email": "kim@example.org",
        "unit": enhet_b.pk,
        "role": "new_hire",
        "start_date": (timezone.localdate() + datetime.timedelta(days=1)).isoformat(),
    }
    response = client.post(reverse("people:invite"), data)
    assert "Välj ett giltigt alternativ" in response.content.decode()
    data["unit"] = enhet_a.pk
    response = client.post(reverse("people:invite"), data, follow=True)
    assert "Inbjudan har skickats till kim@example.org." in response.content.decode()


@pytest.mark.django_db
def test_unknown_page_gives_the_sites_own_404(client, home):
    response = client.get("/finns-inte/alls/")
    assert response.status_code == 404
    assert "Sidan finns inte" in response.content.decode()


@pytest.mark.django_db
def test_anonymous_user_is_sent_to_login(client, home):
    response = client.get(reverse("learning:dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.django_db
def test_password_reset_sends_a_swedish_email(
    client, home, ny, mailoutbox, django_capture_on_commit_callbacks
):
    # The email leaves through the outbox, after the request's commit.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": ny.email}, follow=True)
    assert response.status_code == 200
    assert len(mailoutbox) == 1
    assert "/accounts/password/reset/key/" in mailoutbox[0].body
    assert "lösenord" in mailoutbox[0].body.lower()


@pytest.mark.django_db
def test_unverified_email_cannot_log_in_until_verified(client, home, ny):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=ny).update(verified=False)
    response = client.post(
        reverse("account_login"), {"login": ny.email, "password": PASSWORD}, follow=True
    )
    assert "_auth_user_id" not in client.session
    assert (
        "verifi" in response.content.decode().lower()
        or "bekräft" in response.content.decode().lower()
    )
