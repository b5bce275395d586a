import datetime
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from core import dates
from people.models import Role, User
from people.services import EMAIL_TAKEN, invite_person

# Relative to today: start dates are only accepted within DATE_BOUNDS_START_* of today.
START = timezone.localdate() + datetime.timedelta(days=2)


def _invite(actor, unit, email="ny.kollega@example.org"):
    return invite_person(
        actor, email=email, full_name="Ny Kollega", unit=unit, role=Role.NEW_HIRE, start_date=START
    )


@pytest.mark.django_db
def test_invitation_creates_account_without_password_and_sends_swedish_email(
    kommunadmin, enhet_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user = _invite(kommunadmin, enhet_a)
    assert not user.has_usable_password()
    assert user.memberships.get().unit == enhet_a
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ny.kollega@example.org"]
    assert "Välkommen till Introsteg" in message.subject
    assert "Välj ditt lösenord" in message.body
    with translation.override("sv"):
        assert dates.format_date(START) in message.body
    assert message.alternatives[0][1] == "text/html"


@pytest.mark.django_db
def test_invited_person_sets_password_and_lands_on_min_introduktion(
    client, kommunadmin, enhet_a, course, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(kommunadmin, enhet_a)
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    path = link.split("8000", 1)[-1] if "8000" in link else link
    response = client.get(path, follow=True)
    assert response.status_code == 200
    form_path = response.redirect_chain[-1][0] if response.redirect_chain else path
    response = client.post(
        form_path,
        {"password1": "Lang-och-saker-fras-2026", "password2": "Lang-och-saker-fras-2026"},
        follow=True,
    )
    user = User.objects.get(email="ny.kollega@example.org")
    assert user.has_usable_password()
    assert EmailAddress.objects.get(user=user).verified
    assert response.redirect_chain[-1][0] == reverse("learning:dashboard")
    assert "Min introduktion" in response.content.decode()


@pytest.mark.django_db
def test_admin_cannot_invite_into_another_municipality(kommunadmin, enhet_b):
    with pytest.raises(PermissionDenied):
        _invite(kommunadmin, enhet_b)
    assert not User.objects.filter(email="ny.kollega@example.org").exists()


@pytest.mark.django_db
def test_new_hire_cannot_invite(ny, enhet_a):
    with pytest.raises(PermissionDenied):
        _invite(ny, enhet_a)


@pytest.mark.django_db
def test_an_email_can_only_be_invited_once(kommunadmin, enhet_a, ny):
    with pytest.raises(ValidationError) as error:
        _invite(kommunadmin, enhet_a, email="NY@example.org")
    assert error.value.message_dict["email"] == [str(EMAIL_TAKEN)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("days", "message"),
    [(-365 * 2 - 2, dates.START_DATE_TOO_EARLY), (366 + 2, dates.START_DATE_TOO_LATE)],
)
def test_an_implausible_start_date_is_refused_with_the_bound(
    client, home, kommunadmin, enhet_a, days, message
):
    client.force_login(kommunadmin)
    start = timezone.localdate() + datetime.timedelta(days=days)
    data = {
        "full_name": "Kim Kollega",
        "email": "kim.kollega@example.org",
        "unit": enhet_a.pk,
        "role": "new_hire",
        "start_date": start.isoformat(),
    }
    response = client.post(reverse("people:invite"), data)
    body = response.content.decode()
    assert response.status_code == 200
    years = 2 if message is dates.START_DATE_TOO_EARLY else 1
    assert str(message % {"years": years}) in body
    assert 'value="Kim Kollega"' in body
    assert not User.objects.filter(email="kim.kollega@example.org").exists()


@pytest.mark.django_db
def test_the_bounds_are_settings(settings, kommunadmin, enhet_a):
    settings.DATE_BOUNDS_START_YEARS_BACK = 5
    start = timezone.localdate() - datetime.timedelta(days=365 * 3)
    user = invite_person(
        kommunadmin,
        email="lang.anstalld@example.org",
        full_name="Lång Anställd",
        unit=enhet_a,
        role=Role.SOCIAL_SECRETARY,
        start_date=start,
    )
    assert user.memberships.get().start_date == start
