"""The leaver flow's hand-overs (team.leaver): each change is shown on a confirmation page and
applied only once confirmed, and whoever takes over a case, a supervision or a mentee is
emailed through the outbox (who, what, after whom; no client data)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import OutboxMessage
from mentoring.models import Mentorship, SupervisedCase
from people.models import Role
from team.tasks import handover_email
from tests.mentoring.factories import CaseFactory, CaseTypeFactory, person

TODAY = timezone.localdate()
pytestmark = pytest.mark.django_db


@pytest.fixture
def world(kommun_a, enhet_a, ny, mentor):
    mentor2 = person(enhet_a, Role.MENTOR, email="mentor2@example.org", full_name="Maja Mentor")
    case_type = CaseTypeFactory(organisation=kommun_a, name="Placering")
    return {
        "mentor2": mentor2,
        "held": CaseFactory(holder=mentor, case_type=case_type, reference="LVU-1"),
        "supervised": CaseFactory(
            holder=ny, case_type=case_type, supervisor=mentor, reference="BOU-2"
        ),
        "mentoring": Mentorship.objects.create(
            mentor=mentor,
            mentee=ny,
            organisation=kommun_a,
            status=Mentorship.Status.ACTIVE,
            start_date=TODAY,
        ),
    }


def _leaver(mentor):
    return reverse("people:leaver", args=[mentor.pk])


def _handovers():
    return OutboxMessage.objects.filter(handler="team.tasks.handover_email").order_by("pk")


def test_a_hand_over_is_confirmed_before_it_is_applied(client, kommunadmin, mentor, world):
    client.force_login(kommunadmin)
    case = world["held"]
    data = {"item": f"case_held:{case.pk}", "action": "overlamna", "to": world["mentor2"].pk}
    page = client.post(_leaver(mentor), data).content.decode()
    assert "Bekräfta överlämningen" in page
    assert "LVU-1 (Placering)" in page
    assert "till Maja Mentor" in page
    assert "Maja Mentor får ett mejl" in page
    assert 'name="confirmed" value="ja"' in page
    # Nothing has changed and nobody is told yet.
    assert SupervisedCase.objects.get(pk=case.pk).holder == mentor
    assert not _handovers().exists()
    response = client.post(_leaver(mentor), {**data, "confirmed": "ja"})
    assert response.status_code == 302
    assert SupervisedCase.objects.get(pk=case.pk).holder == world["mentor2"]
    (row,) = _handovers()
    assert row.recipient_id == world["mentor2"].pk
    assert row.args["what"] == "case_held"
    # The confirmed form sent again is told it is done; no second email.
    client.post(_leaver(mentor), {**data, "confirmed": "ja"})
    assert _handovers().count() == 1


def test_closing_is_confirmed_too(client, kommunadmin, mentor, world):
    client.force_login(kommunadmin)
    data = {"item": f"mentorship_mentor:{world['mentoring'].pk}", "action": "avsluta"}
    page = client.post(_leaver(mentor), data).content.decode()
    assert "Bekräfta avslutet" in page
    assert Mentorship.objects.get(pk=world["mentoring"].pk).status == Mentorship.Status.ACTIVE
    client.post(_leaver(mentor), {**data, "confirmed": "ja"})
    assert Mentorship.objects.get(pk=world["mentoring"].pk).status == Mentorship.Status.ENDED


def test_whoever_takes_over_is_emailed_who_what_and_after_whom(
    client, kommunadmin, mentor, ny, world
):
    client.force_login(kommunadmin)
    mentor2 = world["mentor2"]
    chef_of_case = world["supervised"]
    for key, to in (
        (f"case_held:{world['held'].pk}", mentor2),
        (f"case_supervised:{chef_of_case.pk}", mentor2),
        (f"mentorship_mentor:{world['mentoring'].pk}", mentor2),
    ):
        data = {"item": key, "action": "overlamna", "to": to.pk, "confirmed": "ja"}
        assert client.post(_leaver(mentor), data).status_code == 302
    emails = {
        (row.args["what"], row.recipient_id): handover_email(**row.args) for row in _handovers()
    }
    assert set(emails) == {
        ("case_held", mentor2.pk),
        ("case_supervised", mentor2.pk),
        ("new_mentor", mentor2.pk),
        ("new_mentor_to_mentee", ny.pk),
    }
    held = emails["case_held", mentor2.pk]
    assert held.to == [mentor2.email]
    assert "Du har tagit över ärende LVU-1" in held.subject
    assert f"efter {mentor.get_full_name()}, som har slutat" in held.body
    assert f"Överlämningen gjordes av {kommunadmin.get_full_name()}" in held.body
    assert "inga uppgifter om klienten" in held.body
    supervision = emails["case_supervised", mentor2.pk]
    assert "namngiven handledare för ärende BOU-2 (Placering)" in supervision.body
    assert f"som {ny.get_full_name()} handlägger" in supervision.body
    new_mentor = emails["new_mentor", mentor2.pk]
    assert f"Du är nu mentor för {ny.get_full_name()}" in new_mentor.body
    to_mentee = emails["new_mentor_to_mentee", ny.pk]
    assert "Maja Mentor är nu din mentor" in to_mentee.body


def test_the_email_is_in_the_recipients_language(kommunadmin, mentor, world):
    from team import leaver

    mentor2 = world["mentor2"]
    mentor2.preferred_language = "en"
    mentor2.save()
    leaver.hand_over_case(kommunadmin, person=mentor, pk=world["held"].pk, to=mentor2)
    (row,) = _handovers()
    email = handover_email(**row.args)
    assert "LVU-1" in email.subject
    assert "Du har" not in email.subject
    assert "who has left" in email.body


def test_a_long_page_shows_the_names_only_for_the_item_opened(
    client, kommunadmin, mentor, world, monkeypatch
):
    """Beyond LEAVER_LIST_LIMIT names on the page, each item offers a link instead of its own
    list (50 items in a large municipality were 34,601 names, 1.5 MB); the item opened shows
    its list, and the hand-over from there is the same confirmed one."""
    from people import views_staff

    client.force_login(kommunadmin)
    case = world["held"]
    key = f"case_held:{case.pk}"
    page = client.get(_leaver(mentor)).content.decode()
    assert page.count('<select name="to"') == 3  # one per item, as long as the page is short
    monkeypatch.setattr(views_staff, "LEAVER_LIST_LIMIT", 1)
    response = client.get(_leaver(mentor))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<select name="to"' not in page
    assert page.count("Välj vem som tar över") == 3
    assert f'href="?item=case_held%3A{case.pk}#item-case_held{case.pk}"' in page
    assert f'id="item-case_held{case.pk}"' in page
    # Opened: that item's list, and only that one.
    page = client.get(_leaver(mentor), {"item": key}).content.decode()
    assert page.count('<select name="to"') == 1
    assert f'id="to-case_held{case.pk}"' in page and "Maja Mentor" in page
    data = {"item": key, "action": "overlamna", "to": world["mentor2"].pk}
    assert "Bekräfta överlämningen" in client.post(_leaver(mentor), data).content.decode()
    # Sent without a choice: the error and the list stay with the item.
    page = client.post(_leaver(mentor), {"item": key, "action": "overlamna"}).content.decode()
    assert "Välj vem som ska ta över." in page and page.count('<select name="to"') == 1
    response = client.post(_leaver(mentor), {**data, "confirmed": "ja"})
    assert response.status_code == 302
    assert SupervisedCase.objects.get(pk=case.pk).holder == world["mentor2"]
