"""One definition each (issue 19): "completed the introduction", "has a mentor" and "supervision
coverage" are each decided in one place, and every page that shows them agrees with it, person
by person (unit by unit for coverage), on one data set with the edges.

Completed the introduction (learning.selectors.introductions_completed_on): every introduction
(a self-paced course for new hires) not withdrawn from is signed off. Modules done and waiting
for the sign-off is not complete; one introduction signed off and a second still open is not
complete; a withdrawn second introduction does not count; another kind of course in the
onboarding plan is not part of the introduction."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from followup.indicators import BY_KEY, Quarter, current_quarter
from learning import selectors as learning_selectors
from learning.models import Enrolment, SignOff
from mentoring import selectors as mentoring_selectors
from mentoring.models import CaseStage, Mentorship, RiskLevel
from people.models import Role
from tests.factories import add_course, add_module
from tests.followup.conftest import hires
from tests.mentoring.factories import CaseFactory, CaseTypeFactory, ReviewFactory, person

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def _course(catalog, title, **kinds):
    course = add_course(catalog, title=title, **kinds)
    add_module(course, title=f"{title}: modul")
    return course


@pytest.fixture
def introductions(enhet_a, catalog, course):
    """Five new hires in the manager's unit, one edge each; {name: (user, completed?)}."""
    today = timezone.localdate()
    # This quarter, whatever today's date: the follow-up's quarter figures see it.
    done_on = max(current_quarter().start, today - 5 * DAY)
    due = today + 30 * DAY
    second = _course(catalog, "Introduktion del 2")
    other = _course(catalog, "Mentorskap för nya", audience="mentors")
    names = ["Signerad", "Väntar", "Två öppna", "Återtagen", "Annan kurs"]
    people = dict(zip(names, hires(enhet_a, len(names), start=today - 60 * DAY), strict=True))

    def enrol(name, course_, *, status=Enrolment.Status.ACTIVE, modules_done=False):
        completed = status == Enrolment.Status.COMPLETED
        enrolment = Enrolment.objects.create(
            user=people[name],
            course=course_,
            due_date=due,
            status=status,
            completed_at=_noon(done_on) if completed else None,
            modules_completed_at=_noon(done_on) if completed or modules_done else None,
        )
        if completed and course_ != other:
            SignOff.objects.create(
                enrolment=enrolment, signed_by_name="Chef", conversation_date=done_on
            )

    for name in ("Signerad", "Två öppna", "Återtagen", "Annan kurs"):
        enrol(name, course, status=Enrolment.Status.COMPLETED)
    enrol("Väntar", course, modules_done=True)
    enrol("Två öppna", second)
    enrol("Återtagen", second, status=Enrolment.Status.WITHDRAWN)
    enrol("Annan kurs", other)
    completed = {"Signerad", "Återtagen", "Annan kurs"}
    return {name: (user, name in completed) for name, user in people.items()}


def test_completed_the_introduction_is_the_same_in_learning_mitt_team_and_follow_up(
    client, chef, enhet_a, introductions
):
    ids = {user.pk: name for name, (user, _done) in introductions.items()}
    expected = {name for name, (_user, done) in introductions.items() if done}

    # The definition.
    assert {ids[pk] for pk in learning_selectors.completed_introduction(users=list(ids))} == (
        expected
    )

    # Mitt team: no introduction left open.
    client.force_login(chef)
    response = client.get(reverse("team:overview"))
    members = {m.name: m for m in response.context["team"].members}
    names = {user.get_full_name(): name for name, (user, _done) in introductions.items()}
    assert {names[n] for n, m in members.items() if n in names and not m.introductions_open} == (
        expected
    )

    # The follow-up: the days to a completed introduction are counted for exactly those people
    # (this quarter), and the plan's introduction was completed in time by exactly them.
    quarter = current_quarter()
    median = BY_KEY["intro_median_dagar"].compute(quarter)[enhet_a.pk]
    assert {ids[pk] for pk in median.people} == expected
    due = timezone.localdate() + 30 * DAY  # the plan's deadline (the fixture's `due`)
    in_time = BY_KEY["intro_i_tid"].compute(Quarter.of(due)).get(enhet_a.pk)
    assert in_time is not None and len(in_time.people) == len(introductions)
    assert in_time.numerator == len(expected)


def test_has_a_mentor_is_the_same_in_mentoring_and_mitt_team(client, chef, enhet_a):
    """A proposal not yet accepted, an ended or a declined mentorship is no mentor; an active
    or a paused one is."""
    mentor = person(enhet_a, Role.MENTOR, email="en-mentor@example.org")
    statuses = list(Mentorship.Status)
    mentees = hires(enhet_a, len(statuses), start=timezone.localdate() - 20 * DAY)
    for mentee, status in zip(mentees, statuses, strict=True):
        Mentorship.objects.create(
            mentor=mentor,
            mentee=mentee,
            organisation=enhet_a.organisation,
            status=status,
            start_date=timezone.localdate() - 10 * DAY,
        )
    status_of = {m.get_full_name(): s for m, s in zip(mentees, statuses, strict=True)}
    with_mentor = {Mentorship.Status.ACTIVE, Mentorship.Status.PAUSED}

    mentored = set(
        mentoring_selectors.mentored(users=[m.pk for m in mentees]).values_list(
            "mentee_id", flat=True
        )
    )
    assert {m.get_full_name() for m in mentees if m.pk in mentored} == {
        name for name, status in status_of.items() if status in with_mentor
    }

    client.force_login(chef)
    listed = client.get(reverse("team:overview"), {"visa": "utan-mentor"}).context["team"]
    assert {m.name for m in listed.members} & set(status_of) == {
        name for name, status in status_of.items() if status not in with_mentor
    }
    everyone = client.get(reverse("team:overview")).context["team"]
    assert {m.name for m in everyone.members if m.mentor_name} & set(status_of) == {
        m.get_full_name() for m in mentees if m.pk in mentored
    }


def test_supervision_coverage_is_the_same_on_the_caseload_page_and_in_the_follow_up(
    client, chef, enhet_a
):
    today = timezone.localdate()
    quarter = current_quarter()
    day = max(quarter.start, today - 3 * DAY)
    holders = hires(enhet_a, 3, start=today - 100 * DAY)
    high = CaseTypeFactory(organisation=enhet_a.organisation, risk_level=RiskLevel.CRITICAL)
    low = CaseTypeFactory(organisation=enhet_a.organisation, risk_level=RiskLevel.LOW)

    def decided(holder, case_type=high, level=2):
        return CaseFactory(
            holder=holder,
            case_type=case_type,
            stage=CaseStage.FOLLOW_UP,
            passed_decision_on=day,
            holder_level_at_decision=level,
        )

    signed = decided(holders[0])
    ReviewFactory(case=signed, stage=CaseStage.DECISION, date=day, signed_at=_noon(day))
    unsigned = decided(holders[1])
    ReviewFactory(case=unsigned, stage=CaseStage.DECISION, date=day)  # not signed
    decided(holders[2], level=4)  # decides alone: needs no supervision
    decided(holders[2], case_type=low)  # low risk: needs none either

    client.force_login(chef)
    response = client.get(reverse("mentoring:caseload_unit", args=[enhet_a.pk]))
    (overview,) = response.context["overviews"]
    page = (overview.coverage.covered, overview.coverage.total)
    followup = BY_KEY["beslut_med_genomgang"].compute(quarter)[enhet_a.pk]
    assert page == (followup.numerator, followup.denominator) == (1, 2)
