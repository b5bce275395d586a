"""Invitations through the outbox: an address with an account in another municipality gets the
same answer as a new one; the municipal admin's list of failed deliveries and the resend."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.models import OutboxMessage
from people import selectors, services, views_deliveries
from people.models import Role, User
from people.services import EMAIL_TAKEN

INVITATION = "people.tasks.invitation_email"


def _invite(client, unit, email):
    data = {
        "full_name": "Ny Kollega",
        "email": email,
        "unit": unit.pk,
        "role": Role.NEW_HIRE,
        "start_date": (timezone.localdate() + datetime.timedelta(days=2)).isoformat(),
    }
    response = client.post(reverse("people:invite"), data, follow=True)
    shown = [str(m) for m in response.context["messages"]]
    return response, [m.replace(email.lower(), "<adress>") for m in shown]


@pytest.mark.django_db
def test_an_address_of_another_municipality_gets_the_answer_of_a_new_address(
    client, home, kommunadmin, enhet_a, utomstaende, django_capture_on_commit_callbacks
):
    client.force_login(kommunadmin)
    with django_capture_on_commit_callbacks(execute=True):
        new = _invite(client, enhet_a, "helt.ny@example.org")
        elsewhere = _invite(client, enhet_a, utomstaende.email.upper())
    (new_response, new_messages), (other_response, other_messages) = new, elsewhere
    assert other_response.status_code == new_response.status_code == 200
    assert other_response.redirect_chain == new_response.redirect_chain
    assert new_response.redirect_chain == [(reverse("people:staff"), 302)]
    assert other_messages == new_messages == ["Inbjudan har skickats till <adress>."]
    # Nothing changed for the person in municipality B; they are told someone tried.
    assert list(utomstaende.memberships.values_list("unit__name", flat=True)) == ["Barn och familj"]
    assert User.objects.filter(email=utomstaende.email).count() == 1
    told = [m for m in mail.outbox if m.to == [utomstaende.email]]
    assert len(told) == 1
    assert "Kommun A" in told[0].body and "inget nytt konto" in told[0].body
    # Trying again the same day sends no second notice.
    with django_capture_on_commit_callbacks(execute=True):
        assert _invite(client, enhet_a, utomstaende.email)[1] == new_messages
    assert len([m for m in mail.outbox if m.to == [utomstaende.email]]) == 1


@pytest.mark.django_db
def test_an_address_on_the_admins_own_staff_is_still_reported_as_taken(
    client, home, kommunadmin, enhet_a, ny
):
    client.force_login(kommunadmin)
    response, shown = _invite(client, enhet_a, ny.email)
    assert response.redirect_chain == []
    assert str(EMAIL_TAKEN) in response.content.decode()
    assert shown == []


@pytest.mark.django_db
def test_the_csv_preview_reveals_no_other_municipalitys_staff(
    client, home, kommunadmin, enhet_a, utomstaende, ny
):
    client.force_login(kommunadmin)
    start = (timezone.localdate() + datetime.timedelta(days=47)).isoformat()
    text = (
        "e-post;namn;enhet;roll;startdatum\n"
        f"{utomstaende.email};Någon;Barn och unga – utredning;nyanställd;{start}\n"
        f"{ny.email};Ny;Barn och unga – utredning;nyanställd;{start}\n"
    )
    upload = SimpleUploadedFile("personal.csv", text.encode(), "text/csv")
    body = client.post(reverse("people:invite_csv"), {"file": upload}).content.decode()
    assert "1 av 2 rader kan bjudas in." in body
    assert body.count(str(EMAIL_TAKEN)) == 1  # ny's row only


def _failed_invitation(person) -> OutboxMessage:
    return OutboxMessage.objects.create(
        handler=INVITATION,
        args={"user_id": person.pk},
        recipient_id=person.pk,
        status=OutboxMessage.Status.FAILED,
        attempts=29,
        last_error="SMTPRecipientsRefused: 550 mailbox unavailable",
    )


@pytest.fixture
def invited(enhet_a):
    from tests.mentoring.factories import person

    user = person(enhet_a, Role.NEW_HIRE, email="inbjuden@example.org", full_name="Inga Inbjuden")
    user.set_unusable_password()
    user.save()
    return user


@pytest.mark.django_db
def test_the_admin_sees_failed_deliveries_to_own_staff_only(
    client, home, kommunadmin, kommunadmin_b, invited, utomstaende, ny
):
    _failed_invitation(invited)
    _failed_invitation(utomstaende)
    client.force_login(kommunadmin)
    staff = client.get(reverse("people:staff")).content.decode()
    assert "Utskick som inte kom fram (1)" in staff
    body = client.get(reverse("people:deliveries")).content.decode()
    assert "Inga Inbjuden" in body and "550 mailbox unavailable" in body
    assert "Skicka inbjudan igen" in body
    assert utomstaende.email not in body
    client.force_login(kommunadmin_b)
    body = client.get(reverse("people:deliveries")).content.decode()
    assert utomstaende.email in body and invited.email not in body
    client.force_login(ny)
    assert client.get(reverse("people:deliveries")).status_code == 404


@pytest.mark.django_db
def test_resending_a_failed_invitation_sends_it_once(
    client, home, kommunadmin, kommunadmin_b, invited, django_capture_on_commit_callbacks
):
    failed = _failed_invitation(invited)
    url = reverse("people:resend_invitation", args=[failed.pk])
    client.force_login(kommunadmin_b)
    assert client.post(url).status_code == 404
    client.force_login(kommunadmin)
    assert client.get(url).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert response.redirect_chain == [(reverse("people:deliveries"), 302)]
    assert [str(m) for m in response.context["messages"]] == [
        str(views_deliveries.INVITATION_RESENT)
    ]
    assert [m.to for m in mail.outbox] == [[invited.email]]
    failed.refresh_from_db()
    assert failed.replaced_by.status == OutboxMessage.Status.DELIVERED
    assert selectors.failed_deliveries_for(kommunadmin) == []
    # A second click (or a resubmitted form) sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        str(services.INVITATION_ALREADY_RESENT)
    ]
    assert len(mail.outbox) == 1
    assert OutboxMessage.objects.filter(handler=INVITATION).count() == 2


@pytest.mark.django_db
def test_no_new_invitation_once_the_person_has_a_password(client, home, kommunadmin, invited):
    failed = _failed_invitation(invited)
    invited.set_password("Lang-och-saker-fras-2026")
    invited.save()
    client.force_login(kommunadmin)
    assert "Skicka inbjudan igen" not in client.get(reverse("people:deliveries")).content.decode()
    response = client.post(reverse("people:resend_invitation", args=[failed.pk]))
    expected = services.INVITATION_NOT_NEEDED % {"name": "Inga Inbjuden"}
    assert [str(m) for m in get_messages(response.wsgi_request)] == [str(expected)]
    assert OutboxMessage.objects.filter(handler=INVITATION).count() == 1


@pytest.mark.django_db
def test_anonymising_a_person_drops_what_the_outbox_holds_for_them(kommunadmin, invited):
    from people.personal_data import anonymise_person

    _failed_invitation(invited)
    anonymise_person(kommunadmin, user=invited)
    assert not OutboxMessage.objects.filter(recipient_id=invited.pk).exists()
