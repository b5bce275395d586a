import pytest
from django.db import IntegrityError

from people.models import Membership, Role, User


@pytest.mark.django_db
def test_user_logs_in_with_email_and_has_no_username():
    user = User.objects.create_user(email="Anna.Berg@Example.org", password="x", full_name="Anna")
    assert user.email == "anna.berg@example.org"
    assert User.USERNAME_FIELD == "email"
    assert not hasattr(user, "username") or user.username is None
    assert user.preferred_language == "sv"
    assert user.get_short_name() == "Anna"


@pytest.mark.django_db
def test_unit_roles_require_a_unit_in_the_database(kommun_a):
    user = User.objects.create_user(email="x@example.org", password="x", full_name="X")
    with pytest.raises(IntegrityError):
        Membership.objects.create(
            user=user, organisation=kommun_a, role=Role.NEW_HIRE, start_date="2026-01-01"
        )


@pytest.mark.django_db
def test_municipal_admin_needs_no_unit(kommun_a):
    user = User.objects.create_user(email="x@example.org", password="x", full_name="X")
    membership = Membership.objects.create(
        user=user, organisation=kommun_a, role=Role.MUNICIPAL_ADMIN, start_date="2026-01-01"
    )
    assert str(membership) == "X – Kommunadministratör"


@pytest.mark.django_db
def test_a_manager_can_manage_several_units(kommun_a):
    from tests.factories import MembershipFactory, UnitFactory

    user = User.objects.create_user(email="c@example.org", password="x", full_name="C")
    for _ in range(2):
        MembershipFactory(user=user, unit=UnitFactory(organisation=kommun_a), role=Role.MANAGER)
    assert user.memberships.filter(role=Role.MANAGER).count() == 2
