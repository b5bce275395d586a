"""National roles (curriculum editors, superusers, staff) and people with a membership in
another municipality are out of a municipal admin's reach: anonymising them is refused with the
same 404 as for someone who does not exist."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from people.models import Role
from people.personal_data import NOT_YOURS_TO_ANONYMISE, anonymise_person
from people.services import add_membership
from tests.factories import UserFactory

START = datetime.date(2026, 11, 1)


@pytest.fixture
def superuser_in_a(enhet_a):
    user = UserFactory(email="root@example.org", is_superuser=True, is_staff=True)
    add_membership(None, user=user, role=Role.NEW_HIRE, unit=enhet_a, start_date=START)
    return user


@pytest.fixture
def in_a_and_b(enhet_a, enhet_b):
    user = UserFactory(email="tva@example.org", full_name="Två Kommuner")
    for unit in (enhet_a, enhet_b):
        add_membership(None, user=user, role=Role.SOCIAL_SECRETARY, unit=unit, start_date=START)
    return user


@pytest.fixture
def national_editor(kommun_b):
    """The curriculum editor whose membership names another municipality than the admin's."""
    user = UserFactory(email="nationell@example.org", full_name="Nationell Redaktör")
    add_membership(None, user=user, role=Role.EDITOR, organisation=kommun_b, start_date=START)
    return user


@pytest.mark.django_db
@pytest.mark.parametrize("target", ["redaktor", "superuser_in_a", "in_a_and_b", "national_editor"])
def test_a_municipal_admin_cannot_anonymise_national_roles(client, request, kommunadmin, target):
    person = request.getfixturevalue(target)
    client.force_login(kommunadmin)
    url = reverse("people:anonymise", args=[person.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    with pytest.raises(PermissionDenied) as refused:
        anonymise_person(kommunadmin, user=person)
    assert str(refused.value) == str(NOT_YOURS_TO_ANONYMISE)  # the same as for other municipalities
    person.refresh_from_db()
    assert person.is_active and not person.email.endswith("@anonymiserad.invalid")
    staff = client.get(reverse("people:staff")).content.decode()
    assert url not in staff


@pytest.mark.django_db
def test_the_staff_list_still_offers_anonymising_the_municipalitys_own_staff(
    client, kommunadmin, ny, redaktor
):
    client.force_login(kommunadmin)
    staff = client.get(reverse("people:staff")).content.decode()
    assert reverse("people:anonymise", args=[ny.pk]) in staff
    assert reverse("people:anonymise", args=[redaktor.pk]) not in staff
    assert reverse("people:anonymise", args=[kommunadmin.pk]) not in staff
