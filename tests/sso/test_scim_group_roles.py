"""Leaving a mapped directory group over SCIM takes its role away: through the staff pages'
change_membership (audited), a municipality-wide role ends, and a role that still holds open
work (a mentor's mentees) is refused with a SCIM error and nothing changed. Another
municipality's token cannot touch the group or its members."""

import pytest

from core.models import OutboxMessage
from people import open_work
from people.models import AuditAction, AuditEvent, Membership, Role
from sso.models import DirectoryGroup, DirectorySync
from tests.mentoring.factories import MentorshipFactory
from tests.sso.test_scim import GROUP, PATCH, Scim, _error, _token

pytestmark = pytest.mark.django_db


@pytest.fixture
def scim_a(kommunadmin, kommun_a, enhet_a):
    DirectorySync.objects.create(organisation=kommun_a, default_unit=enhet_a)
    return Scim(_token(kommunadmin, kommun_a))


@pytest.fixture
def scim_b(kommunadmin_b, kommun_b, enhet_b):
    DirectorySync.objects.create(organisation=kommun_b, default_unit=enhet_b)
    return Scim(_token(kommunadmin_b, kommun_b))


def _group(scim, name, *people, external_id=""):
    body = {
        "schemas": [GROUP],
        "displayName": name,
        "members": [{"value": str(p.pk)} for p in people],
    }
    if external_id:
        body["externalId"] = external_id
    response = scim.post("Groups", body)
    assert response.status_code == 201, response.content
    return response.json_body["id"]


def _remove(scim, group_id, person):
    return scim.patch(
        f"Groups/{group_id}",
        {
            "schemas": [PATCH],
            "Operations": [{"op": "Remove", "path": f'members[value eq "{person.pk}"]'}],
        },
    )


def test_a_mentor_keeps_the_role_while_mentees_remain_then_loses_it_through_the_staff_service(
    scim_a, scim_b, mentor, ny, kommunadmin
):
    group_id = _group(scim_a, "Mentor", mentor)
    mentorship = MentorshipFactory(mentor=mentor, mentee=ny)
    emails_before = OutboxMessage.objects.count()
    detail = _error(_remove(scim_a, group_id, mentor), 400, "mutability")
    assert "Mentor" in detail and ny.get_full_name() in detail
    # Nothing half-saved: still a member of the group, still a mentor.
    assert mentor.memberships.get().role == Role.MENTOR
    assert DirectoryGroup.objects.get(pk=group_id).members.filter(pk=mentor.pk).exists()
    # The role kept back is the directory's error, not a deactivation email to the admins.
    assert OutboxMessage.objects.count() == emails_before
    # Deleting the whole group is refused in the same way.
    _error(scim_a.delete(f"Groups/{group_id}"), 400, "mutability")
    assert DirectoryGroup.objects.filter(pk=group_id).exists()
    # Another municipality's token can neither take the role away nor reach the group.
    _error(_remove(scim_b, group_id, mentor), 404)
    _error(scim_b.delete(f"Groups/{group_id}"), 404)
    # Once the admin has ended the mentorship on the leaver page, leaving the group takes the
    # role, through the staff pages' change_membership and its audit line.
    open_work.kind("mentorship_mentor").close(kommunadmin, person=mentor, pk=mentorship.pk)
    assert _remove(scim_a, group_id, mentor).status_code == 200
    assert mentor.memberships.get().role == Role.SOCIAL_SECRETARY
    change = AuditEvent.objects.filter(
        action=AuditAction.ROLE_CHANGE, object_type="people.membership"
    ).latest("pk")
    assert change.details["old_role"] == Role.MENTOR
    assert change.details["role"] == Role.SOCIAL_SECRETARY


def test_a_manager_who_alone_manages_a_unit_keeps_the_role(scim_a, chef, kommun_a):
    sync = DirectorySync.objects.get(organisation=kommun_a)
    sync.group_roles = "aad-chefer = manager"
    sync.save()
    group_id = _group(scim_a, "Chefer", chef, external_id="aad-chefer")
    detail = _error(_remove(scim_a, group_id, chef), 400, "mutability")
    assert chef.memberships.get().role == Role.MANAGER
    assert "Första linjens chef" in detail


def test_leaving_a_group_that_gives_a_municipality_wide_role_ends_it(scim_a, ny, kommun_a):
    sync = DirectorySync.objects.get(organisation=kommun_a)
    sync.group_roles = "kursledare = course_leader"
    sync.save()
    group_id = _group(scim_a, "kursledare", ny)
    assert Membership.objects.filter(user=ny, role=Role.COURSE_LEADER).exists()
    assert _remove(scim_a, group_id, ny).status_code == 200
    assert not Membership.objects.filter(user=ny, role=Role.COURSE_LEADER).exists()
    # The unit role stays: only the role the group gave went.
    assert Membership.objects.filter(user=ny, unit__isnull=False).exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.ROLE_CHANGE, summary__contains="Kursledare"
    ).exists()
