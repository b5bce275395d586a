""" "Väntar på mig" (issue 18): everyone's landing page opens with what waits for them, each
app contributing its own group through people.waiting; mentors and managers land on their
work. Exact query counts: the same with one waiting item as with many."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from learning import services as learning_services
from learning.models import ModuleDeadline
from mentoring.models import CaseStage, Mentorship
from people import waiting
from people.models import Role
from safety.models import Incident, IncidentKind
from tests.mentoring.factories import (
    CaseFactory,
    CaseTypeFactory,
    MentorshipFactory,
    SessionFactory,
    person,
)
from tests.queries import exact_queries

TODAY = timezone.localdate()
WAITING = "Väntar på mig"


@pytest.mark.django_db
def test_mentors_and_managers_land_on_their_work(client, ny, mentor, chef, kommunadmin):
    landing = {
        ny: reverse("learning:dashboard"),
        mentor: reverse("mentoring:my_mentees"),
        chef: reverse("team:overview"),
        kommunadmin: reverse("people:staff"),
    }
    for user, path in landing.items():
        client.force_login(user)
        response = client.get(reverse("people:start"))
        assert response["Location"] == path, user
        assert WAITING in client.get(path).content.decode(), user


def test_every_app_registers_its_group():
    keys = {provider.key for provider in waiting.providers()}
    assert {
        "learning.modules",
        "mentoring.mentorship",
        "mentoring.change_requests",
        "mentoring.reviews",
        "mentoring.alerts",
        "safety.incidents",
    } <= keys


def _waiting_for_ny(ny, mentor, course, *, sessions, cases):
    mentorship = MentorshipFactory(mentor=mentor, mentee=ny)
    for _n in range(sessions):
        SessionFactory(mentorship=mentorship)
    mentorship.next_meeting_date = TODAY + datetime.timedelta(days=3)
    mentorship.next_meeting_time = datetime.time(9, 15)
    mentorship.next_meeting_place = "Rum Linden"
    mentorship.save()
    case_type = CaseTypeFactory(organisation=mentorship.organisation, name="Förhandsbedömning")
    for _n in range(cases):
        CaseFactory(holder=ny, case_type=case_type, supervisor=None)
    enrolment = learning_services.enrol_in_course(
        None, learner=ny, course=course, due_date=TODAY + datetime.timedelta(days=60)
    )
    module = course.modules().first()
    ModuleDeadline.objects.create(
        enrolment=enrolment, module=module, due_date=TODAY + datetime.timedelta(days=5)
    )
    return mentorship, module


# The dashboard's own eight (tests/learning/test_views.py) and the waiting groups: the
# mentorship (2), open cases and their holders' levels (2); a new hire signs no reviews, and
# modules due soon reuse the dashboard's courses.
DASHBOARD_WITH_WAITING = 12


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 8])
def test_the_new_hires_dashboard_opens_with_what_waits(client, ny, mentor, course, size):
    _mentorship, module = _waiting_for_ny(ny, mentor, course, sessions=size, cases=size)
    client.force_login(ny)
    path = reverse("learning:dashboard")
    client.get(path)  # warm the site-root cache
    with exact_queries(DASHBOARD_WITH_WAITING):
        body = client.get(path).content.decode()
    top = body.split("card-list")[0]  # the block comes before the courses
    assert WAITING in top
    assert "Nästa mentorsträff med" in top and "Rum Linden" in top and "09:15" in top
    assert top.count("Bekräfta samtalet") == size
    assert top.count("Öppet ärende utan namngiven handledare.") == size
    assert module.title in top and "Moduler att bli klar med" in top


@pytest.mark.django_db
def test_nothing_waiting_says_so(client, ny):
    client.force_login(ny)
    assert (
        "Inget väntar på dig just nu." in client.get(reverse("learning:dashboard")).content.decode()
    )


@pytest.mark.django_db
def test_the_mentor_sees_proposals_to_answer_and_reviews_to_sign(client, mentor, enhet_a):
    hire = person(enhet_a, full_name="Petra Proposal")
    Mentorship.objects.create(
        mentor=mentor, mentee=hire, organisation=enhet_a.organisation
    )  # proposed
    placering = CaseTypeFactory(
        organisation=enhet_a.organisation, name="Placering", risk_level="high"
    )
    case = CaseFactory(
        holder=person(enhet_a), case_type=placering, supervisor=mentor, stage=CaseStage.DECISION
    )
    client.force_login(mentor)
    body = client.get(reverse("mentoring:my_mentees")).content.decode()
    assert "Svara på förslaget om mentorskap med Petra Proposal" in body
    assert f"Signera genomgången i ärende {case.reference}" in body
    assert reverse("mentoring:review_new", args=[case.pk]) in body


@pytest.mark.django_db
def test_the_manager_is_asked_to_offer_a_debrief(client, chef, ny, enhet_a):
    Incident.objects.create(
        person=ny,
        organisation=enhet_a.organisation,
        unit=enhet_a,
        occurred_on=TODAY,
        kind=IncidentKind.VERBAL_THREAT,
    )
    client.force_login(chef)
    body = client.get(reverse("team:overview")).content.decode()
    assert f"Erbjud avlastningssamtal till {ny.get_full_name()}" in body
    # Not for the person herself, nor for another unit's manager.
    other = person(enhet_a, Role.MENTOR)
    assert not [
        item
        for group in waiting.waiting_for(other)
        for item in group.items
        if "avlastningssamtal" in item.title
    ]
