"""The access matrix for the two follow-up roles, which belong to no municipality: every URL
of the project walked with a county coordinator and with national follow-up. They reach the
follow-up pages and the pages everyone logged in has (with nothing of their own in them), and
every other page is a 404: no person, case, note or name. Both need two-step verification."""
# The matrix's `world` fixture is imported, so tests taking it as a parameter shadow the name.
# ruff: noqa: F811

import pytest
from django.test import Client
from django.urls import reverse

from followup.models import CooperationGroup
from people.models import County, FollowUpAssignment, FollowUpLevel, Organisation
from tests.factories import UserFactory
from tests.test_access_matrix import (  # noqa: F401 - world is a fixture
    EVERYONE,
    POLICIES,
    _outcome,
    _request,
    world,
)

FOLLOW_UP = {
    "followup:overview": {"lanssamordnare", "nationell"},
    "followup:export": {"lanssamordnare", "nationell"},
    "followup:groups": {"lanssamordnare"},
    "followup:group_new": {"lanssamordnare"},
    "followup:group_edit": {"lanssamordnare"},
    "followup:group_delete": {"lanssamordnare"},
}


@pytest.fixture
def follow_up_people(world):
    county = County.objects.create(name="Skåne län")
    Organisation.objects.update(county_area=county)
    coordinator = UserFactory(email="lan@example.org")
    FollowUpAssignment.objects.create(user=coordinator, level=FollowUpLevel.COUNTY, county=county)
    national = UserFactory(email="riket@example.org")
    FollowUpAssignment.objects.create(user=national, level=FollowUpLevel.NATIONAL)
    group = CooperationGroup.objects.create(county=county, name="Grupp")
    return {"lanssamordnare": coordinator, "nationell": national}, group


def _path(name, policy, world, group):
    if name in ("followup:group_edit", "followup:group_delete"):
        return reverse(name, kwargs={"group_id": group.pk})
    return reverse(name, kwargs=policy.kwargs(world) if policy.kwargs else None)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["lanssamordnare", "nationell"])
def test_follow_up_roles_reach_figures_and_nothing_about_a_person(role, world, follow_up_people):
    users, group = follow_up_people
    client = Client(raise_request_exception=False)
    client.force_login(users[role])
    wrong = []
    for name, policy in POLICIES.items():
        if policy.everyone_gets:
            continue
        if name not in FOLLOW_UP and policy.allowed >= EVERYONE:
            continue  # one's own pages (dashboard, profile, calendar): empty for these roles
        path = _path(name, policy, world, group)
        got = _outcome(_request(client, policy, path))
        expected = "ok" if role in FOLLOW_UP.get(name, set()) else "404"
        if got != expected:
            wrong.append(f"{name} {policy.method.upper()} {path}: expected {expected}, got {got}")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["lanssamordnare", "nationell"])
def test_follow_up_roles_need_two_step_verification(role, world, follow_up_people, settings):
    settings.MFA_REQUIRED = True
    users, _group = follow_up_people
    client = Client()
    client.force_login(users[role])
    response = client.get(reverse("followup:overview"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))
