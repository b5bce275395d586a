"""The course runs a course leader (kursledare) leads are open work (team.leaver registers them
in people.open_work): taking the course-leader role away, on the staff pages' roles form or by
leaving the directory's group (SCIM), is refused with the runs listed until each is handed
over to another course leader; so is deactivating the person."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from people import open_work, staff
from people.models import Membership, Role
from people.services import add_membership
from sso.models import DirectorySync
from tests.factories import UserFactory
from tests.learning.conftest import leadership, make_run  # noqa: F401 - the fixture
from tests.sso.test_scim import PATCH, Scim, _error, _token

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort_course(leadership):  # noqa: F811 - the fixture imported above
    return leadership


@pytest.fixture
def led_run(cohort_course, kursledare):
    return make_run(cohort_course, name="Våren", leaders=[kursledare])


@pytest.fixture
def other_leader(kommun_a):
    person = UserFactory(email="kl2@example.org", full_name="Kim Kursledare")
    add_membership(
        None,
        user=person,
        role=Role.COURSE_LEADER,
        organisation=kommun_a,
        start_date=timezone.localdate(),
    )
    return person


def _hand_over(admin, person, run, to):
    staff.resolve_open_work(admin, person=person, kind="course_run_led", pk=run.pk, to=to)


def test_the_roles_form_refuses_to_take_the_role_while_runs_are_led_then_allows_it(
    client, kommunadmin, kursledare, led_run, other_leader, enhet_a
):
    membership = kursledare.memberships.get()
    url = reverse("people:membership_edit", args=[kursledare.pk, membership.pk])
    data = {"role": Role.SOCIAL_SECRETARY, "unit": enhet_a.pk, "start_date": membership.start_date}
    client.force_login(kommunadmin)
    response = client.post(url, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "kan inte lämna rollen Kursledare ännu" in body
    assert str(led_run) in body
    assert Membership.objects.get(pk=membership.pk).role == Role.COURSE_LEADER
    # Refused for the whole person too, with the run among the open work.
    with pytest.raises(ValidationError, match="Kursomgångar som personen leder"):
        staff.deactivate_person(kommunadmin, person=kursledare)
    _hand_over(kommunadmin, kursledare, led_run, other_leader)
    assert list(led_run.leaders.all()) == [other_leader]
    assert client.post(url, data).status_code == 302
    assert Membership.objects.get(pk=membership.pk).role == Role.SOCIAL_SECRETARY


def test_a_cancelled_or_finished_run_is_no_open_work(kursledare, cohort_course):
    cancelled = make_run(cohort_course, name="Inställd", leaders=[kursledare])
    cancelled.status = cancelled.Status.CANCELLED
    cancelled.save()
    finished = make_run(cohort_course, name="Förra året", starts_in=-60, deadline_in=-70)
    finished.leaders.add(kursledare)
    assert open_work.open_work_of_role(kursledare, Role.COURSE_LEADER) == []


def test_leaving_the_directory_group_is_refused_while_runs_are_led(
    kommunadmin,
    kommun_a,
    enhet_a,
    ny,
    cohort_course,
    other_leader,
):
    sync = DirectorySync.objects.create(
        organisation=kommun_a, default_unit=enhet_a, group_roles="kursledare = course_leader"
    )
    scim = Scim(_token(kommunadmin, kommun_a))
    created = scim.post(
        "Groups",
        {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
            "displayName": "kursledare",
            "members": [{"value": str(ny.pk)}],
        },
    )
    assert created.status_code == 201, created.content
    assert sync.organisation.memberships.filter(user=ny, role=Role.COURSE_LEADER).exists()
    run = make_run(cohort_course, name="Hösten", leaders=[ny])
    leave = {
        "schemas": [PATCH],
        "Operations": [{"op": "Remove", "path": f'members[value eq "{ny.pk}"]'}],
    }
    group = f"Groups/{created.json_body['id']}"
    detail = _error(scim.patch(group, leave), 400, "mutability")
    assert "Kursledare" in detail and str(run) in detail
    assert Membership.objects.filter(user=ny, role=Role.COURSE_LEADER).exists()
    _hand_over(kommunadmin, ny, run, other_leader)
    assert scim.patch(group, leave).status_code == 200
    assert not Membership.objects.filter(user=ny, role=Role.COURSE_LEADER).exists()


def test_the_only_course_leader_s_run_says_how_to_hand_it_over_and_then_offers_it(
    client, request, kommunadmin, kursledare, led_run
):
    """Nobody else leads courses in the municipality: the run can be neither handed over nor
    closed, so the leaver page says what to do instead of showing a card without a button."""
    url = reverse("people:leaver", args=[kursledare.pk])
    client.force_login(kommunadmin)
    body = client.get(url).content.decode()
    assert str(led_run) in body
    assert "Ingen annan i kommunen är kursledare." in body
    assert "Ny kursledare" not in body
    # Someone gets the role: the run can be handed over to them, and the hint is gone.
    request.getfixturevalue("other_leader")
    body = client.get(url).content.decode()
    assert "Ingen annan i kommunen är kursledare." not in body
    assert "Ny kursledare" in body and "Kim Kursledare" in body


def test_an_item_that_can_be_closed_is_never_called_stuck():
    for kind in open_work.kinds():
        item = open_work.OpenItem(kind=kind.key, pk=1, title="x")
        assert kind.is_stuck(item) == (not kind.can_close), kind.key
        assert not kind.is_stuck(
            open_work.OpenItem(kind=kind.key, pk=1, title="x", candidates=((2, "Kim"),))
        )
