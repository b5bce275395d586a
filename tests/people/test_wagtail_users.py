import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from people.models import AuditEvent, User
from people.staff import set_account_active


@pytest.mark.django_db
def test_superuser_creates_a_user_with_full_name_in_wagtail_admin(client, home):
    admin = User.objects.create_superuser(email="root@example.org", password="x", full_name="Root")
    client.force_login(admin)
    assert client.get(reverse("wagtailusers_users:index")).status_code == 200
    form = client.get(reverse("wagtailusers_users:add")).content.decode()
    assert 'name="full_name"' in form
    assert 'name="first_name"' not in form
    response = client.post(
        reverse("wagtailusers_users:add"),
        {
            "email": "ny.person@example.org",
            "full_name": "Ny Person",
            "preferred_language": "sv",
            "password1": "Langt-losenord-2026",
            "password2": "Langt-losenord-2026",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="ny.person@example.org")
    assert user.full_name == "Ny Person"
    edit = client.get(reverse("wagtailusers_users:edit", args=[user.pk])).content.decode()
    assert 'value="Ny Person"' in edit


def _edit(client, person, *, active: bool):
    data = {"email": person.email, "full_name": person.full_name, "preferred_language": "sv"}
    if active:
        data["is_active"] = "on"
    return client.post(reverse("wagtailusers_users:edit", args=[person.pk]), data)


@pytest.fixture
def operator(client, home):
    admin = User.objects.create_superuser(email="root@example.org", password="x", full_name="Root")
    client.force_login(admin)
    return admin


@pytest.mark.django_db
def test_unticking_active_in_the_user_admin_closes_the_account_as_the_staff_page_does(
    client, operator, ny
):
    response = _edit(client, ny, active=False)
    assert response.status_code == 302
    ny.refresh_from_db()
    assert not ny.is_active
    assert ny.employment_ended_on == timezone.localdate()
    assert AuditEvent.objects.filter(actor=operator, summary="Avaktiverad").count() == 1
    # Ticking it again reopens the same account, as reactivation on the staff page does.
    assert _edit(client, ny, active=True).status_code == 302
    ny.refresh_from_db()
    assert ny.is_active
    assert ny.employment_ended_on is None
    assert AuditEvent.objects.filter(actor=operator, summary="Aktiverad igen").count() == 1


@pytest.mark.django_db
def test_the_user_admin_refuses_to_deactivate_a_person_with_open_work_and_lists_it(
    client, operator, chef, enhet_a
):
    response = _edit(client, chef, active=False)
    assert response.status_code == 200
    body = response.content.decode()
    assert "har fortfarande öppet arbete" in body
    assert enhet_a.name in body
    chef.refresh_from_db()
    assert chef.is_active
    assert chef.employment_ended_on is None


@pytest.mark.django_db
def test_only_an_account_operator_may_switch_an_account_through_the_service(kommunadmin, ny):
    with pytest.raises(PermissionDenied):
        set_account_active(kommunadmin, person=ny, active=False)
    ny.refresh_from_db()
    assert ny.is_active
