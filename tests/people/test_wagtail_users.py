import pytest
from django.urls import reverse

from people.models import User


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
