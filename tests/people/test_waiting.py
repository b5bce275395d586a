""" "Väntar på mig" (issue 18): everyone's landing page opens with what waits for them, each
app contributing its own group through people.waiting; mentors and managers land on their
work. Exact query counts: the same with one waiting item as with many."""

import dataclasses
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from learning import selectors as learning_selectors
from learning import services as learning_services
from learning.models import ModuleDeadline
from mentoring.models import CaseStage, Mentorship
from people import waiting
from people.models import Role
from safety.models import Incident, IncidentKind
from tests.mentoring.factories import (
    CaseFactory,
    CaseTypeFactory,
    DecisionFactory,
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


# The dashboard's own queries on a warm session (session, user, enrolments, progress, module
# dates; the site from the outline's cache since issue 23, session 31) and the block: ONE
# query for all its groups (people.waiting), with names and entrustment levels in its rows;
# modules due soon reuse the dashboard's courses. Before issue 23 the block cost 5 here
# (memberships, mentorship 2, cases and their levels).
DASHBOARD_WITHOUT_WAITING = 5
BLOCK = 1
DASHBOARD_WITH_WAITING = DASHBOARD_WITHOUT_WAITING + BLOCK


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


# --------------------------------------------------------------------------------------------
# What the block costs (issue 23): one query for all groups on every landing page, whatever the
# number of providers; nothing when no group applies to the person's roles.
# --------------------------------------------------------------------------------------------
def page_queries(client, user, path) -> int:
    client.force_login(user)
    assert client.get(path).status_code == 200  # warms the site and navigation caches
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def without_block(monkeypatch):
    """The same page with no group registered: what the page costs without the block."""
    monkeypatch.setattr(waiting, "_PROVIDERS", {})


@pytest.mark.django_db
def test_the_block_is_one_query_on_every_landing_page(
    client, monkeypatch, ny, mentor, chef, kommunadmin, enhet_a, course
):
    _waiting_for_ny(ny, mentor, course, sessions=2, cases=2)
    Incident.objects.create(
        person=ny,
        organisation=enhet_a.organisation,
        unit=enhet_a,
        occurred_on=TODAY,
        kind=IncidentKind.VERBAL_THREAT,
    )
    landing = [
        (ny, reverse("learning:dashboard")),
        (mentor, reverse("mentoring:my_mentees")),
        (mentor, reverse("learning:dashboard")),
        (chef, reverse("team:overview")),
        (kommunadmin, reverse("people:staff")),
    ]
    with_block = [page_queries(client, user, path) for user, path in landing]
    without_block(monkeypatch)
    without = [page_queries(client, user, path) for user, path in landing]
    assert with_block == [n + BLOCK for n in without]


@pytest.mark.django_db
def test_more_groups_cost_no_more_queries(client, monkeypatch, ny, mentor, course):
    _waiting_for_ny(ny, mentor, course, sessions=1, cases=1)
    path = reverse("learning:dashboard")
    before = page_queries(client, ny, path)
    more = dict(waiting._PROVIDERS)
    for n in range(5):
        more[f"extra.{n}"] = dataclasses.replace(more["mentoring.mentorship"], key=f"extra.{n}")
    monkeypatch.setattr(waiting, "_PROVIDERS", more)
    assert page_queries(client, ny, path) == before
    assert client.get(path).content.decode().count("Nästa mentorsträff med") == 6


@pytest.mark.django_db
def test_a_person_no_group_applies_to_pays_nothing(client, monkeypatch, redaktor):
    path = reverse("learning:dashboard")
    with_block = page_queries(client, redaktor, path)
    without_block(monkeypatch)
    assert with_block == page_queries(client, redaktor, path)


@pytest.mark.django_db
def test_modules_due_read_in_the_block_are_the_dashboards(client, mentor, course):
    """Off the dashboard the modules come from the block's query; they must be the dashboard's
    items, overdue marks, links and order included."""
    enrolment = learning_services.enrol_in_course(
        None, learner=mentor, course=course, due_date=TODAY + datetime.timedelta(days=60)
    )
    first, second, third = course.modules()
    for module, days in ((first, -2), (second, 5), (third, 30)):
        ModuleDeadline.objects.create(
            enrolment=enrolment, module=module, due_date=TODAY + datetime.timedelta(days=days)
        )

    def modules(groups):
        return [g.items for g in groups if g.label == "Moduler att bli klar med"]

    [from_block] = modules(waiting.waiting_for(mentor))
    [from_dashboard] = modules(
        waiting.waiting_for(mentor, courses=learning_selectors.dashboard_for(mentor))
    )
    assert from_block == from_dashboard
    assert [(item.url, item.is_urgent) for item in from_block] == [
        (first.url, True),
        (second.url, False),
    ]
    client.force_login(mentor)
    assert first.url in client.get(reverse("mentoring:my_mentees")).content.decode()


@pytest.mark.django_db
def test_an_alert_reads_the_holders_level_in_the_block(ny, mentor, enhet_a):
    """A high-risk case with no review for 30 days alerts while its holder is below level 4,
    and not once a decision gives them level 4 (the level comes with the block's rows)."""
    placering = CaseTypeFactory(organisation=enhet_a.organisation, name="Placering")
    case = CaseFactory(holder=ny, case_type=placering, supervisor=mentor)

    def alerts(user):
        return [
            item.title
            for group in waiting.waiting_for(user)
            for item in group.items
            if case.reference in item.title
        ]

    assert len(alerts(ny)) == 1 and len(alerts(mentor)) == 1
    DecisionFactory(person=ny, case_type=placering, level=4, decided_by=mentor)
    assert alerts(ny) == [] and alerts(mentor) == []
