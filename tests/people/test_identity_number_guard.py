"""The identity-number guard on people's paths the issue found unguarded: the profile name, the
invitation name (form and CSV, preview and confirm), the public accessibility report and the
superuser's Wagtail user admin. Each refuses with the translated field error, keeps the input
and saves nothing."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from people import bulk
from people.models import AccessibilityReport, Role, User
from people.validators import IDENTITY_NUMBER_IN_TEXT

MESSAGE = str(IDENTITY_NUMBER_IN_TEXT)
NUMBER = "121212\u20131212"  # Skatteverket's test number written with an en dash
# A start date ahead of the day the tests run, as an invitation has (a fixed one ages past the
# staff pages' two-year limit).
START = timezone.localdate() + datetime.timedelta(days=46)


@pytest.mark.django_db
def test_profile_name_with_a_personnummer_is_refused_and_kept(client, ny):
    client.force_login(ny)
    response = client.post(
        reverse("people:profile"),
        {"full_name": f"Nora {NUMBER}", "preferred_language": "sv", "receives_digest": "on"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert MESSAGE in body
    assert 'id="id_full_name_error"' in body
    assert NUMBER in body  # the input is kept
    ny.refresh_from_db()
    assert NUMBER not in ny.full_name


@pytest.mark.django_db
def test_invitation_name_with_a_personnummer_is_refused(client, kommunadmin, enhet_a):
    client.force_login(kommunadmin)
    response = client.post(
        reverse("people:invite"),
        {
            "full_name": "Kim 12-12-12-1212",
            "email": "kim@example.org",
            "unit": enhet_a.pk,
            "role": Role.NEW_HIRE,
            "start_date": START.isoformat(),
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert MESSAGE in body
    assert 'id="id_full_name_error"' in body
    assert 'value="Kim 12-12-12-1212"' in body
    assert not User.objects.filter(email="kim@example.org").exists()


@pytest.mark.django_db
def test_invitation_csv_preview_skips_the_row_with_a_personnummer(
    client, home, kommunadmin, enhet_a
):
    client.force_login(kommunadmin)
    text = (
        "e-post;namn;enhet;roll;startdatum\n"
        f"kim@example.org;Kim Larsson;Barn och unga – utredning;nyanställd;{START.isoformat()}\n"
        f"lo@example.org;Lo 121212/1212;Barn och unga – utredning;nyanställd;{START.isoformat()}\n"
    )
    response = client.post(
        reverse("people:invite_csv"),
        {"file": SimpleUploadedFile("p.csv", text.encode("utf-8"), "text/csv")},
    )
    body = response.content.decode()
    assert "1 av 2 rader kan bjudas in." in body
    assert MESSAGE in body
    rows = response.context["rows"]
    assert [row.ok for row in rows] == [True, False]
    assert rows[1].errors == [MESSAGE]
    assert not User.objects.filter(email="lo@example.org").exists()


@pytest.mark.django_db
def test_invitation_csv_confirm_step_refuses_a_personnummer_per_row(
    client, home, kommunadmin, enhet_a, django_capture_on_commit_callbacks
):
    """The confirm step trusts only its signature, not the preview's checks: a row that
    reaches it with a personnummer (a preview made before the guard) fails on its own."""
    rows = [
        bulk.InvitationRow(
            number=2,
            email="kim@example.org",
            full_name="Kim Larsson",
            unit_id=enhet_a.pk,
            role=Role.NEW_HIRE,
            start_date=START.isoformat(),
        ),
        bulk.InvitationRow(
            number=3,
            email="lo@example.org",
            full_name="Lo 121212\u200b-1212",
            unit_id=enhet_a.pk,
            role=Role.NEW_HIRE,
            start_date=START.isoformat(),
        ),
    ]
    client.force_login(kommunadmin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("people:invite_csv"), {"token": bulk.sign_rows(rows)}, follow=True
        )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Rad 3 (lo@example.org)" in body
    assert MESSAGE in body
    assert User.objects.filter(email="kim@example.org").exists()
    assert not User.objects.filter(email="lo@example.org").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["description", "name", "page_url"])
def test_accessibility_report_refuses_a_personnummer_in_each_field(client, field):
    data = {"description": "Knappen syns inte.", "name": "", "page_url": "/kurser/"}
    data[field] = f"{data[field]} 19121212\u20111212".strip()
    response = client.post(reverse("people:accessibility"), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert MESSAGE in body
    assert f'id="id_{field}_error"' in body
    assert not AccessibilityReport.objects.exists()


@pytest.mark.django_db
def test_superuser_cannot_give_a_user_a_personnummer_as_name_in_wagtail_admin(client, home, ny):
    admin = User.objects.create_superuser(email="root@example.org", password="x", full_name="Root")
    client.force_login(admin)
    response = client.post(
        reverse("wagtailusers_users:edit", args=[ny.pk]),
        {
            "email": ny.email,
            "full_name": "Nora 121212.1212",
            "preferred_language": "sv",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    ny.refresh_from_db()
    assert "1212" not in ny.full_name


@pytest.mark.django_db
def test_invite_person_service_refuses_a_personnummer_name(kommunadmin, enhet_a):
    from django.core.exceptions import ValidationError

    from people.services import invite_person

    with pytest.raises(ValidationError) as caught:
        invite_person(
            kommunadmin,
            email="kim@example.org",
            full_name="Kim 1212\u00ad12-1212",
            unit=enhet_a,
            role=Role.NEW_HIRE,
            start_date=START,
        )
    assert caught.value.message_dict["full_name"] == [MESSAGE]
    assert not User.objects.filter(email="kim@example.org").exists()
