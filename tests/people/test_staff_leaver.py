"""A leaver (avslut), through the page: every kind of open work is listed, handed over or
closed in the same flow, and only then may the person be deactivated."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from core.models import OutboxMessage
from learning.models import RunEnrolment
from mentoring.models import (
    CaseStage,
    MatchingRun,
    MatchProposal,
    Mentorship,
    RiskLevel,
    SupervisedCase,
)
from people import open_work
from people.models import Membership, Role
from people.services import add_membership
from tests.factories import UnitFactory, add_course
from tests.learning.conftest import make_run
from tests.mentoring.factories import CaseFactory, CaseTypeFactory, person

TODAY = timezone.localdate()
pytestmark = pytest.mark.django_db


class World:
    pass


@pytest.fixture
def leaver_world(kommun_a, enhet_a, ny, mentor, chef, kommunadmin, catalog):
    """The mentor leaves. She holds a case, supervises ny's case, mentors ny, is herself
    mentored, has a proposal waiting and one in an unconfirmed matching run, a course-run
    place (with someone waiting for it) and is the only manager of a unit."""
    w = World()
    w.mentor, w.ny, w.chef = mentor, ny, chef
    w.mentor2 = person(enhet_a, Role.MENTOR, email="mentor2@example.org", full_name="Maja Mentor")
    w.ny2 = person(enhet_a, Role.NEW_HIRE, email="ny2@example.org", full_name="Nils Ny")
    w.ny3 = person(enhet_a, Role.NEW_HIRE, email="ny3@example.org", full_name="Nora Ny")
    case_type = CaseTypeFactory(organisation=kommun_a, name="Placering")
    w.held = CaseFactory(holder=mentor, case_type=case_type, reference="LVU-1")
    w.supervised = CaseFactory(holder=ny, case_type=case_type, supervisor=mentor, reference="BOU-2")
    w.mentoring = Mentorship.objects.create(
        mentor=mentor,
        mentee=ny,
        organisation=kommun_a,
        status=Mentorship.Status.ACTIVE,
        start_date=TODAY,
        goals="Trygg i utredningar",
    )
    w.mentored = Mentorship.objects.create(
        mentor=w.mentor2,
        mentee=mentor,
        organisation=kommun_a,
        status=Mentorship.Status.ACTIVE,
        start_date=TODAY,
    )
    w.proposed = Mentorship.objects.create(mentor=mentor, mentee=w.ny2, organisation=kommun_a)
    run = MatchingRun.objects.create(organisation=kommun_a, run_by=kommunadmin)
    w.match = MatchProposal.objects.create(run=run, mentor=mentor, mentee=w.ny3, score=1.0)
    leadership = add_course(catalog, title="Ledarskap", kind="cohort", audience="managers")
    w.run = make_run(leadership, seats=1, name="Höstomgången")
    w.place = RunEnrolment.objects.create(
        run=w.run, user=mentor, status=RunEnrolment.Status.ENROLLED
    )
    w.waiting = RunEnrolment.objects.create(
        run=w.run, user=chef, status=RunEnrolment.Status.WAITLISTED, waitlist_position=1
    )
    w.unit = UnitFactory(organisation=kommun_a, name="Vuxenenheten")
    add_membership(None, user=mentor, role=Role.MANAGER, unit=w.unit, start_date=TODAY)
    return w


def _post(client, w, key, action, to=None):
    # Confirmed: the confirmation step itself is tested in tests/team/test_leaver_handover.py.
    data = {"item": key, "action": action, "confirmed": "ja"}
    if to is not None:
        data["to"] = to.pk
    return client.post(reverse("people:leaver", args=[w.mentor.pk]), data)


def test_the_leaver_page_lists_every_kind_of_open_work(client, kommunadmin, leaver_world):
    w = leaver_world
    client.force_login(kommunadmin)
    body = client.get(reverse("people:leaver", args=[w.mentor.pk])).content.decode()
    for text in (
        "Ärenden som personen handlägger",
        "LVU-1 (Placering)",
        "Ärenden där personen är namngiven handledare",
        "BOU-2 (Placering)",
        "Mentorskap som mentor",
        f"Adept: {w.ny.full_name}",
        "Mentorskap som adept",
        "Mentor: Maja Mentor",
        "Förslag på mentorskap som väntar",
        "Föreslaget mentorskap med Nils Ny",
        "Matchningsförslag som inte är bekräftade",
        "Nora Ny",
        "Platser i kursomgångar",
        "Höstomgången",
        "Enheter som personen är chef för",
        "Vuxenenheten",
    ):
        assert text in body, text
    groups = {group.kind.key for group in open_work.open_work_for(w.mentor)}
    assert len(groups) == 8


def test_a_leavers_work_is_handed_over_and_then_she_is_deactivated(
    client, kommunadmin, leaver_world
):
    w = leaver_world
    client.force_login(kommunadmin)
    # With work left the refusal lists it.
    response = client.post(reverse("people:deactivate", args=[w.mentor.pk]))
    refusal = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert "LVU-1" in refusal and "Vuxenenheten" in refusal and "Höstomgången" in refusal
    w.mentor.refresh_from_db()
    assert w.mentor.is_active

    assert _post(client, w, f"case_held:{w.held.pk}", "overlamna", w.mentor2).status_code == 302
    assert _post(client, w, f"case_supervised:{w.supervised.pk}", "overlamna", w.chef)
    _post(client, w, f"mentorship_mentor:{w.mentoring.pk}", "overlamna", w.mentor2)
    _post(client, w, f"mentorship_mentee:{w.mentored.pk}", "avsluta")
    outbox_before = OutboxMessage.objects.filter(handler__endswith="proposal_email").count()
    _post(client, w, f"proposal:{w.proposed.pk}", "overlamna", w.mentor2)
    _post(client, w, f"match_proposal:{w.match.pk}", "avsluta")
    _post(client, w, f"course_run_place:{w.run.pk}", "avsluta")
    _post(client, w, f"managed_unit:{w.unit.pk}", "overlamna", w.chef)

    assert SupervisedCase.objects.get(pk=w.held.pk).holder == w.mentor2
    assert SupervisedCase.objects.get(pk=w.supervised.pk).supervisor == w.chef
    w.mentoring.refresh_from_db()
    assert (w.mentoring.status, w.mentoring.end_date) == (Mentorship.Status.ENDED, TODAY)
    new = Mentorship.objects.get(mentee=w.ny, status=Mentorship.Status.ACTIVE)
    assert (new.mentor, new.goals, new.start_date) == (w.mentor2, "Trygg i utredningar", TODAY)
    assert Mentorship.objects.get(pk=w.mentored.pk).status == Mentorship.Status.ENDED
    assert Mentorship.objects.get(pk=w.proposed.pk).status == Mentorship.Status.DECLINED
    assert Mentorship.objects.get(mentee=w.ny2, status=Mentorship.Status.PROPOSED).mentor == (
        w.mentor2
    )
    assert (
        OutboxMessage.objects.filter(handler__endswith="proposal_email").count()
        == outbox_before + 2
    )
    assert not MatchProposal.objects.filter(pk=w.match.pk).exists()
    w.place.refresh_from_db()
    w.waiting.refresh_from_db()
    assert w.place.status == RunEnrolment.Status.WITHDRAWN
    assert w.waiting.status == RunEnrolment.Status.ENROLLED  # the freed seat went on
    assert Membership.objects.filter(user=w.chef, unit=w.unit, role=Role.MANAGER).exists()

    body = client.get(reverse("people:leaver", args=[w.mentor.pk])).content.decode()
    assert "inget öppet arbete kvar" in body
    response = client.post(reverse("people:deactivate", args=[w.mentor.pk]))
    assert "är avaktiverad" in " ".join(str(m) for m in get_messages(response.wsgi_request))
    w.mentor.refresh_from_db()
    assert not w.mentor.is_active
    # Her records stay: the ended mentorships and the case history still name her.
    assert Mentorship.objects.filter(mentor=w.mentor).count() == 2


def test_only_a_listed_candidate_may_take_over_and_a_second_click_does_nothing(
    client, kommunadmin, leaver_world, utomstaende
):
    w = leaver_world
    client.force_login(kommunadmin)
    # Someone of another municipality, and the case's own holder as supervisor, are refused.
    response = _post(client, w, f"case_held:{w.held.pk}", "overlamna", utomstaende)
    assert response.status_code == 400
    assert "Välj ett giltigt alternativ" in response.content.decode()
    response = _post(client, w, f"case_supervised:{w.supervised.pk}", "overlamna", w.ny)
    assert response.status_code == 400
    response = _post(client, w, f"case_held:{w.held.pk}", "overlamna")
    assert "Välj vem som ska ta över" in response.content.decode()
    # A unit needs a manager: it can only be handed over.
    response = _post(client, w, f"managed_unit:{w.unit.pk}", "avsluta")
    assert "kan inte avslutas" in response.content.decode()
    assert SupervisedCase.objects.get(pk=w.held.pk).holder == w.mentor
    assert SupervisedCase.objects.get(pk=w.supervised.pk).supervisor == w.mentor

    # Closing passes the decision stage: a high-risk case without its supervision and sign-off
    # is stopped by the guardrail, as when the holder closes it, and must be handed over.
    response = _post(client, w, f"case_held:{w.held.pk}", "avsluta")
    assert response.status_code == 400
    assert SupervisedCase.objects.get(pk=w.held.pk).stage == CaseStage.INVESTIGATION
    low = CaseTypeFactory(organisation=w.held.organisation, name="Råd", risk_level=RiskLevel.LOW)
    simple = CaseFactory(holder=w.mentor, case_type=low, reference="RÅD-3")
    _post(client, w, f"case_held:{simple.pk}", "avsluta")
    closed = SupervisedCase.objects.get(pk=simple.pk)
    assert (closed.stage, closed.closed_on) == (CaseStage.CLOSED, TODAY)
    response = _post(client, w, f"case_held:{simple.pk}", "avsluta")
    assert "redan överlämnat eller avslutat" in " ".join(
        str(m) for m in get_messages(response.wsgi_request)
    )
