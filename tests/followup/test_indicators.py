"""Every indicator on a known data set: the counts it returns for a unit and a quarter."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from followup import indicators
from followup.indicators import BY_KEY, Quarter, current_quarter
from learning.models import Enrolment, RunEnrolment, SignOff
from mentoring.models import CaseStage, CheckAnswer, Mentorship, RiskLevel, SupervisionSession
from people.models import Role
from safety.models import Incident, IncidentKind
from tests.factories import UnitFactory, add_course
from tests.followup.conftest import day_in, hires
from tests.learning.conftest import make_run
from tests.mentoring.factories import CaseFactory, CaseTypeFactory, ReviewFactory, person

pytestmark = pytest.mark.django_db


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def _counts(key, quarter, unit):
    counts = BY_KEY[key].compute(quarter).get(unit.pk)
    assert counts is not None, f"{key}: nothing for the unit"
    return counts.numerator, counts.denominator, len(counts.people)


def test_quarters_parse_and_trend():
    quarter = Quarter.parse("2025-K4")
    assert (quarter.start, quarter.end) == (datetime.date(2025, 10, 1), datetime.date(2025, 12, 31))
    assert [q.slug for q in quarter.trend(3)] == ["2025-K2", "2025-K3", "2025-K4"]
    assert Quarter.parse("2025-K5") is None
    assert Quarter.parse("x") is None
    assert len(current_quarter().trend()) == 8


@pytest.fixture
def introduction(enhet_a, course, previous):
    """Three new hires whose plan's deadline fell in the last quarter: one completed in time,
    one late, one not at all."""
    h1, h2, h3 = hires(enhet_a, 3, start=day_in(previous, -60))
    due = day_in(previous, 20)

    def enrol(user, *, done=None, modules_done=None):
        return Enrolment.objects.create(
            user=user,
            course=course,
            due_date=due,
            status=Enrolment.Status.COMPLETED if done else Enrolment.Status.ACTIVE,
            completed_at=_at(done) if done else None,
            modules_completed_at=_at(modules_done) if modules_done else None,
        )

    first = enrol(h1, done=day_in(previous, 15), modules_done=day_in(previous, 14))
    SignOff.objects.create(
        enrolment=first, signed_by_name="Chef", conversation_date=day_in(previous, 15)
    )
    enrol(h2, done=day_in(previous, 30), modules_done=day_in(previous, 29))
    enrol(h3)
    return enhet_a


def test_introduction_completed_in_time(introduction, previous):
    assert _counts("intro_i_tid", previous, introduction) == (1, 3, 3)


def test_introduction_median_days(introduction, previous):
    counts = BY_KEY["intro_median_dagar"].compute(previous)[introduction.pk]
    assert sorted(counts.values) == [75, 90]
    assert BY_KEY["intro_median_dagar"].figure(
        numerator=0, denominator=0, values=counts.values
    ) == Decimal(82)


def test_introduction_signed_off(introduction, previous):
    assert _counts("intro_godkand", previous, introduction) == (1, 2, 2)


@pytest.fixture
def mentoring(enhet_a, previous):
    """Three new hires who started in the last quarter: one got a mentor after 5 days (and
    met 3 times on a 14-day rhythm), one after 35 days, one never; an experienced mentor."""
    start = day_in(previous, 5)
    m1, m2, _m3 = hires(enhet_a, 3, start=start)
    mentor = person(enhet_a, Role.MENTOR, start=day_in(previous, -2000), email="fu-m@example.org")
    first = Mentorship.objects.create(
        mentor=mentor,
        mentee=m1,
        organisation=enhet_a.organisation,
        status=Mentorship.Status.ACTIVE,
        start_date=day_in(previous, 10),
        planned_frequency_days=14,
    )
    for offset in (11, 25, 39):
        SupervisionSession.objects.create(
            mentorship=first, date=day_in(previous, offset), duration_minutes=60
        )
    Mentorship.objects.create(
        mentor=mentor,
        mentee=m2,
        organisation=enhet_a.organisation,
        status=Mentorship.Status.ENDED,
        start_date=day_in(previous, 40),
        end_date=day_in(previous, 41),
    )
    return enhet_a


def test_mentor_within_four_weeks(mentoring, previous):
    assert _counts("mentor_4_veckor", previous, mentoring) == (1, 3, 3)


def test_supervision_sessions_per_new_hire_and_month(mentoring, previous):
    numerator, denominator, people = _counts("handledning_per_manad", previous, mentoring)
    assert (numerator, denominator, people) == (3, 9, 3)
    assert BY_KEY["handledning_per_manad"].figure(numerator=3, denominator=9, values=[]) == Decimal(
        "0.3"
    )


def test_check_ins_missed(mentoring, previous):
    planned = ((previous.end - day_in(previous, 10)).days + 1) // 14
    assert planned > 3
    assert _counts("missade_avstamningar", previous, mentoring) == (planned - 3, planned, 1)


def test_above_protected_caseload_is_todays_snapshot(enhet_a, today):
    over, under = hires(enhet_a, 2, start=today - datetime.timedelta(days=100))
    veteran = person(enhet_a, Role.SOCIAL_SECRETARY, start=today - datetime.timedelta(days=900))
    high = CaseTypeFactory(organisation=enhet_a.organisation, risk_level=RiskLevel.HIGH)
    for _n in range(5):  # 5 x weight 3 = 15 > the protected 12
        CaseFactory(holder=over, case_type=high)
    CaseFactory(holder=under, case_type=high)
    for _n in range(5):
        CaseFactory(holder=veteran, case_type=high)
    assert _counts("over_skyddad_mangd", current_quarter(), enhet_a) == (1, 2, 2)
    assert BY_KEY["over_skyddad_mangd"].compute(current_quarter().shifted(-1)) == {}


def test_decisions_with_signed_review(enhet_a, previous):
    first, second, independent = hires(enhet_a, 3, start=day_in(previous, -100))
    high = CaseTypeFactory(organisation=enhet_a.organisation, risk_level=RiskLevel.CRITICAL)
    low = CaseTypeFactory(organisation=enhet_a.organisation, risk_level=RiskLevel.LOW)

    def decided(holder, case_type=high, level=2):
        return CaseFactory(
            holder=holder,
            case_type=case_type,
            stage=CaseStage.FOLLOW_UP,
            passed_decision_on=day_in(previous, 30),
            holder_level_at_decision=level,
        )

    signed = decided(first)
    ReviewFactory(
        case=signed,
        stage=CaseStage.DECISION,
        date=day_in(previous, 29),
        signed_at=_at(day_in(previous, 29)),
    )
    decided(second)
    decided(independent, level=4)  # decides alone: not counted
    decided(independent, case_type=low)  # low risk: not counted
    assert _counts("beslut_med_genomgang", previous, enhet_a) == (1, 2, 2)


def test_child_perspective_shares(enhet_a, previous):
    holders = hires(enhet_a, 3, start=day_in(previous, -100))
    answers = [CheckAnswer.YES, CheckAnswer.NO, CheckAnswer.NOT_APPLICABLE]
    for holder, answer in zip(holders, answers, strict=True):
        ReviewFactory(
            case=CaseFactory(holder=holder),
            date=day_in(previous, 10),
            child_spoken_alone=answer,
            child_view_documented=CheckAnswer.YES,
        )
    assert _counts("barn_child_spoken_alone", previous, enhet_a) == (1, 2, 2)
    assert _counts("barn_child_view_documented", previous, enhet_a) == (3, 3, 3)
    assert _counts("barn_risk_assessment_made", previous, enhet_a) == (3, 3, 3)


def test_leadership_programme(enhet_a, catalog, previous, today):
    in_programme, outside = hires(enhet_a, 2, start=day_in(previous, -300), role=Role.MANAGER)
    leadership = add_course(catalog, title="Ledarskap", kind="cohort", audience="managers")
    run = make_run(leadership, starts_in=(day_in(previous, 10) - today).days, deadline_in=-200)
    RunEnrolment.objects.create(run=run, user=in_programme, status=RunEnrolment.Status.ENROLLED)
    RunEnrolment.objects.create(run=run, user=outside, status=RunEnrolment.Status.WITHDRAWN)
    assert _counts("ledarprogram", previous, enhet_a) == (1, 2, 2)


def test_retention_after_twelve_months(enhet_a, previous):
    _stayed, left = hires(enhet_a, 2, start=day_in(previous.shifted(-4), 10))
    hires(enhet_a, 1, start=day_in(previous, 10))  # started this quarter: not yet a year
    left.is_active = False
    left.save()
    assert _counts("kvar_efter_12_man", previous, enhet_a) == (1, 2, 2)


def test_incidents_per_hundred_staff(kommun_a, previous):
    unit = UnitFactory(organisation=kommun_a, name="Mottagningen")
    staff = hires(unit, 4, start=day_in(previous, -30))
    for day in (5, 6):
        Incident.objects.create(
            person=staff[0],
            organisation=kommun_a,
            unit=unit,
            occurred_on=day_in(previous, day),
            kind=IncidentKind.VERBAL_THREAT,
        )
    assert _counts("handelser_per_100", previous, unit) == (2, 4, 4)
    assert BY_KEY["handelser_per_100"].figure(numerator=2, denominator=4, values=[]) == Decimal(
        "50.0"
    )


def test_every_indicator_is_tested_here():
    tested = {
        "intro_i_tid",
        "intro_median_dagar",
        "intro_godkand",
        "mentor_4_veckor",
        "handledning_per_manad",
        "missade_avstamningar",
        "over_skyddad_mangd",
        "beslut_med_genomgang",
        "barn_child_spoken_alone",
        "barn_child_view_documented",
        "barn_risk_assessment_made",
        "ledarprogram",
        "kvar_efter_12_man",
        "handelser_per_100",
        # tests/followup/test_pulse_indicators.py
        "puls_arbetsbelastning",
        "puls_stod",
        "puls_kvar",
    }
    assert set(BY_KEY) == tested
    assert {i.key for i in indicators.PULSE_INDICATORS} <= tested
