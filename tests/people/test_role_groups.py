"""The Wagtail groups that roles imply (people.services.sync_role_groups): exactly the groups of
the person's roles, written only where they differ."""

import datetime

import pytest

from people.models import EDITOR_GROUP_NAME, MUNICIPAL_ADMIN_GROUP_NAME, Membership, Role
from people.services import add_membership, sync_role_groups
from tests.queries import exact_queries

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 11, 1)


def groups_of(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def test_editors_and_admins_get_their_group_and_nobody_else(ny, redaktor, kommunadmin):
    assert groups_of(ny) == set()
    assert groups_of(redaktor) == {EDITOR_GROUP_NAME}
    assert groups_of(kommunadmin) == {MUNICIPAL_ADMIN_GROUP_NAME}


def test_a_second_role_adds_its_group_and_an_ended_role_takes_it_away(redaktor, kommun_a):
    add_membership(
        None, user=redaktor, role=Role.MUNICIPAL_ADMIN, organisation=kommun_a, start_date=START
    )
    assert groups_of(redaktor) == {EDITOR_GROUP_NAME, MUNICIPAL_ADMIN_GROUP_NAME}

    Membership.objects.filter(user=redaktor, role=Role.EDITOR).delete()
    sync_role_groups(redaktor)
    assert groups_of(redaktor) == {MUNICIPAL_ADMIN_GROUP_NAME}

    Membership.objects.filter(user=redaktor).delete()
    sync_role_groups(redaktor)
    assert groups_of(redaktor) == set()


def test_a_group_given_by_hand_for_another_purpose_is_left_alone(ny, django_user_model):
    from django.contrib.auth.models import Group

    other = Group.objects.create(name="Granskare")
    ny.groups.add(other)
    sync_role_groups(ny)
    assert groups_of(ny) == {"Granskare"}


def test_nothing_to_change_costs_one_query_and_writes_nothing(ny, redaktor):
    # Each role group with whether she holds it and whether a role of hers wants it; two
    # queries until session 35 (her roles, then the groups she holds), and before that the
    # loop removed or added every role group each time (four queries for a new hire).
    for person in (ny, redaktor):
        with exact_queries(1):
            sync_role_groups(person)


def test_any_role_given_puts_her_groups_right_again(redaktor, enhet_a):
    # The groups are put right on every call, a role given again included, as before
    # session 35: a group taken away by hand comes back with the next role given.
    redaktor.groups.clear()
    add_membership(None, user=redaktor, role=Role.MENTOR, unit=enhet_a, start_date=START)
    assert groups_of(redaktor) == {EDITOR_GROUP_NAME}
    redaktor.groups.clear()
    add_membership(None, user=redaktor, role=Role.MENTOR, unit=enhet_a, start_date=START)
    assert groups_of(redaktor) == {EDITOR_GROUP_NAME}


def test_the_groups_query_is_compiled_once_and_answers_as_built(ny, redaktor, kommunadmin):
    from people import services
    from tests.logs import logged

    with logged("core.compiled") as log:
        for person in (ny, redaktor, kommunadmin):
            assert services._ROLE_GROUPS_OF.rows(user_id=person.pk) == list(
                services._role_groups_of(person.pk)
            )
    assert log.messages == []
