"""The county set-up (länsindelning) and the cooperation groups' confirmation and audit: the
platform operator moves municipalities between counties and names county coordinators, each
change confirmed first and written to the audit log of the municipalities it concerns; nobody
else reaches the screens (404); a coordinator deletes a group only after confirming it."""

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse
from django.utils import translation

from followup import services
from followup.models import CooperationGroup, CooperationMember
from people.audit import details_text
from people.models import AuditAction, AuditEvent, FollowUpAssignment, FollowUpLevel
from tests.factories import OrganisationFactory, UserFactory
from tests.queries import exact_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(db):
    return UserFactory(
        email="forvaltare@example.org",
        full_name="Frida Förvaltare",
        is_superuser=True,
        is_staff=True,
    )


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _edit(county) -> str:
    return reverse("followup:county_edit", kwargs={"county_id": county.pk})


# --------------------------------------------------------------------------------------------
# Who reaches the screens
# --------------------------------------------------------------------------------------------
def test_only_the_platform_operator_reaches_the_county_set_up(
    operator, lanssamordnare, nationell, kommunadmin, lan_skane
):
    assert _client(operator).get(reverse("followup:counties")).status_code == 200
    assert _client(operator).get(_edit(lan_skane)).status_code == 200
    for user in (lanssamordnare, nationell, kommunadmin):
        client = _client(user)
        assert client.get(reverse("followup:counties")).status_code == 404
        assert client.get(_edit(lan_skane)).status_code == 404
        assert client.post(_edit(lan_skane), {"appoint": user.email}).status_code == 404
    assert not FollowUpAssignment.objects.filter(user=kommunadmin).exists()


def test_a_county_that_does_not_exist_is_a_404_for_the_operator(operator):
    url = reverse("followup:county_edit", kwargs={"county_id": 999999})
    assert _client(operator).get(url).status_code == 404


def test_the_list_shows_counties_municipalities_coordinators_and_the_unplaced(
    operator, lanssamordnare, lan_skane, lan_norr
):
    OrganisationFactory(name="Kommun utan län", county="")
    html = _client(operator).get(reverse("followup:counties")).content.decode()
    assert "Skåne län" in html and "Norrbottens län" in html
    assert "Kommun A" in html and "Kommun C" in html
    assert "Lena Länssamordnare" in html
    assert "Kommuner utan län" in html and "Kommun utan län" in html


@pytest.mark.parametrize("extra", [0, 3])
def test_the_county_list_runs_a_constant_number_of_queries(operator, lan_skane, extra):
    for number in range(extra):
        OrganisationFactory(name=f"Extra {number}", county=f"Län {number}")
    services.link_counties()
    client = _client(operator)
    with exact_queries(sqlite=11, postgresql=11):
        response = client.get(reverse("followup:counties"))
    assert response.status_code == 200


# --------------------------------------------------------------------------------------------
# Moving a municipality
# --------------------------------------------------------------------------------------------
def test_moving_a_municipality_is_confirmed_then_made_and_audited(
    operator, lan_skane, lan_norr, kommun_a, kommun_b, lanssamordnare
):
    kommun_a.refresh_from_db()
    kommun_b.refresh_from_db()
    group = services.save_cooperation_group(
        lanssamordnare, county=lan_skane, name="Södra", organisations=[kommun_a, kommun_b]
    )
    client = _client(operator)
    response = client.post(_edit(lan_norr), {"move": [kommun_b.pk]})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bekräfta ändringarna" in html
    assert "Kommun B flyttas hit från Skåne län." in html
    assert "Kommun B lämnar samverkansgruppen Södra." in html
    kommun_b.refresh_from_db()
    assert kommun_b.county_area == lan_skane  # nothing changes before the confirmation

    response = client.post(_edit(lan_norr), {"move": [kommun_b.pk], "bekrafta": "1"})
    assert response.status_code == 302 and response["Location"] == reverse("followup:counties")
    kommun_b.refresh_from_db()
    assert (kommun_b.county_area, kommun_b.county) == (lan_norr, "Norrbottens län")
    assert not CooperationMember.objects.filter(group=group, organisation=kommun_b).exists()
    moved = AuditEvent.objects.get(organisation=kommun_b, object_type="people.organisation")
    assert moved.action == AuditAction.UPDATE and moved.actor == operator
    assert "Skåne län" in moved.summary and "Norrbottens län" in moved.summary
    assert AuditEvent.objects.filter(
        organisation=kommun_b, object_type="followup.cooperationmember"
    ).exists()
    assert LogEntry.objects.filter(object_id=str(lan_norr.pk), user=operator).exists()
    # The daily job's linking by name leaves the move alone.
    services.link_counties()
    kommun_b.refresh_from_db()
    assert kommun_b.county_area == lan_norr


def test_a_municipality_already_in_the_county_cannot_be_chosen(operator, lan_skane, kommun_a):
    response = _client(operator).post(_edit(lan_skane), {"move": [kommun_a.pk]})
    assert response.status_code == 200
    assert "Välj ett giltigt alternativ" in response.content.decode() or (
        "ligger redan i" in response.content.decode()
    )
    assert not AuditEvent.objects.exists()


def test_nothing_chosen_says_so(operator, lan_skane):
    response = _client(operator).post(_edit(lan_skane), {"bekrafta": "1"})
    assert response.status_code == 200
    assert "Välj minst en ändring" in response.content.decode()


# --------------------------------------------------------------------------------------------
# County coordinators
# --------------------------------------------------------------------------------------------
def test_naming_a_coordinator_is_confirmed_then_made_and_audited_in_each_municipality(
    operator, lan_skane, kommun_a, kommun_b
):
    person = UserFactory(email="ny.samordnare@example.org", full_name="Sara Samordnare")
    client = _client(operator)
    response = client.post(_edit(lan_skane), {"appoint": "NY.samordnare@example.org"})
    assert "Sara Samordnare (ny.samordnare@example.org) blir länssamordnare" in (
        response.content.decode()
    )
    assert not FollowUpAssignment.objects.filter(user=person).exists()

    response = client.post(
        _edit(lan_skane), {"appoint": "ny.samordnare@example.org", "bekrafta": "1"}
    )
    assert response.status_code == 302
    assignment = FollowUpAssignment.objects.get(user=person)
    assert (assignment.level, assignment.county) == (FollowUpLevel.COUNTY, lan_skane)
    lines = AuditEvent.objects.filter(object_type="people.followupassignment")
    assert sorted(e.organisation_id for e in lines) == sorted([kommun_a.pk, kommun_b.pk])
    assert all(e.subject == person and e.action == AuditAction.ROLE_CHANGE for e in lines)
    # In the reader's language, as every other line of the log.
    with translation.override("sv"):
        assert details_text(lines[0]) == f"Länssamordnare för {lan_skane.name}"
    with translation.override("en"):
        assert details_text(lines[0]) == f"County coordinator for {lan_skane.name}"
    # She now follows up the county.
    assert _client(person).get(reverse("followup:overview")).status_code == 200


def test_an_unknown_email_or_a_present_coordinator_is_a_clear_error(
    operator, lan_skane, lanssamordnare
):
    client = _client(operator)
    html = client.post(
        _edit(lan_skane), {"appoint": "ingen@example.org", "bekrafta": "1"}
    ).content.decode()
    assert "Det finns inget konto med e-postadressen ingen@example.org." in html
    html = client.post(
        _edit(lan_skane), {"appoint": lanssamordnare.email, "bekrafta": "1"}
    ).content.decode()
    assert "Lena Länssamordnare är redan länssamordnare för Skåne län." in html
    html = client.post(_edit(lan_skane), {"appoint": "inte en adress"}).content.decode()
    assert "är inte en e-postadress" in html
    assert FollowUpAssignment.objects.count() == 1
    assert not AuditEvent.objects.exists()


def test_removing_a_coordinator_ends_her_reach(operator, lan_skane, lanssamordnare, kommun_a):
    assignment = FollowUpAssignment.objects.get(user=lanssamordnare)
    client = _client(operator)
    html = client.post(_edit(lan_skane), {"remove": [assignment.pk]}).content.decode()
    assert "Lena Länssamordnare är inte längre länssamordnare." in html
    client.post(_edit(lan_skane), {"remove": [assignment.pk], "bekrafta": "1"})
    assert not FollowUpAssignment.objects.filter(pk=assignment.pk).exists()
    assert AuditEvent.objects.filter(
        organisation=kommun_a, action=AuditAction.DELETE, subject=lanssamordnare
    ).exists()
    assert _client(lanssamordnare).get(reverse("followup:overview")).status_code == 404


def test_a_coordinator_of_another_county_cannot_be_removed_here(
    operator, lan_skane, lan_norr, lanssamordnare
):
    assignment = FollowUpAssignment.objects.get(user=lanssamordnare)
    response = _client(operator).post(_edit(lan_norr), {"remove": [assignment.pk], "bekrafta": "1"})
    assert response.status_code == 200
    assert FollowUpAssignment.objects.filter(pk=assignment.pk).exists()


# --------------------------------------------------------------------------------------------
# Cooperation groups: confirmed deletion, audit
# --------------------------------------------------------------------------------------------
def test_a_group_is_deleted_only_after_confirmation_and_both_are_audited(
    lanssamordnare, lan_skane, kommun_a, kommun_b
):
    client = _client(lanssamordnare)
    response = client.post(
        reverse("followup:group_new"),
        {"name": "Södra", "organisations": [kommun_a.pk, kommun_b.pk]},
    )
    assert response.status_code == 302
    group = CooperationGroup.objects.get()
    created = AuditEvent.objects.filter(
        object_type="followup.cooperationgroup", action=AuditAction.CREATE
    )
    assert sorted(e.organisation_id for e in created) == sorted([kommun_a.pk, kommun_b.pk])

    url = reverse("followup:group_delete", kwargs={"group_id": group.pk})
    response = client.get(url)
    assert response.status_code == 200
    assert "Ta bort samverkansgruppen Södra?" in response.content.decode()
    assert CooperationGroup.objects.filter(pk=group.pk).exists()
    assert client.post(url).status_code == 302
    assert not CooperationGroup.objects.exists()
    assert (
        AuditEvent.objects.filter(
            object_type="followup.cooperationgroup", action=AuditAction.DELETE
        ).count()
        == 2
    )


def test_the_county_set_up_is_not_in_a_coordinators_menu_but_in_the_operators(
    operator, lanssamordnare
):
    url = reverse("followup:counties")
    assert url in _client(operator).get(reverse("people:profile")).content.decode()
    assert url not in _client(lanssamordnare).get(reverse("people:profile")).content.decode()
