"""Caseload against guideline, supervision coverage, the child perspective, and the daily
alerts: the selectors "Mitt team" reuses, the manager's page, and the Celery job."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core import outbox
from core.models import OutboxMessage
from mentoring import selectors, services, tasks
from mentoring.models import CaseAlert, CaseStage, CheckAnswer, MentoringSettings, RiskLevel
from mentoring.selectors.caseload import ALERT_NO_RECENT_REVIEW, ALERT_NO_SUPERVISOR
from people.models import Role
from tests.mentoring.factories import (
    CaseFactory,
    CaseTypeFactory,
    DecisionFactory,
    ReviewFactory,
    person,
)
from tests.queries import exact_queries

TODAY = timezone.localdate
YES, NO, NA = CheckAnswer.YES, CheckAnswer.NO, CheckAnswer.NOT_APPLICABLE


@pytest.fixture
def types(kommun_a):
    return {
        risk: CaseTypeFactory(organisation=kommun_a, name=f"Typ {risk}", risk_level=risk)
        for risk in RiskLevel.values
    }


# --------------------------------------------------------------------------------------------
# Caseload
# --------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_caseload_weights_open_cases_and_protects_the_first_year(
    ny, mentor, chef, enhet_a, kommun_a, types
):
    MentoringSettings.objects.create(
        organisation=kommun_a,
        weight_low=Decimal("1"),
        weight_medium=Decimal("2"),
        weight_high=Decimal("3.5"),
        weight_critical=Decimal("5"),
        caseload_guideline=20,
        protected_caseload_guideline=8,
    )
    veteran = person(enhet_a, Role.SOCIAL_SECRETARY, start=TODAY() - datetime.timedelta(days=800))
    for risk in (RiskLevel.LOW, RiskLevel.HIGH, RiskLevel.CRITICAL):
        CaseFactory(holder=ny, case_type=types[risk])
    CaseFactory(
        holder=ny, case_type=types[RiskLevel.MEDIUM], stage=CaseStage.CLOSED, closed_on=TODAY()
    )
    for _n in range(6):
        CaseFactory(holder=veteran, case_type=types[RiskLevel.HIGH])
    rows = {r.user_id: r for r in selectors.caseload_for_units([enhet_a.pk], today=TODAY())}
    assert chef.pk not in rows  # managers hold no caseload of their own
    hire = rows[ny.pk]
    assert (hire.open_cases, hire.weighted, hire.guideline, hire.protected) == (
        3,
        Decimal("9.5"),
        8,
        True,
    )
    assert hire.over_guideline and hire.percent_of_guideline == 119
    old = rows[veteran.pk]
    assert (old.weighted, old.guideline, old.protected, old.over_guideline) == (
        Decimal("21.0"),
        20,
        False,
        True,
    )
    assert rows[mentor.pk].open_cases == 0
    # Exactly 12 months after the start the protection ends.
    start = hire.start_date
    a_year_on = start.replace(year=start.year + 1)
    assert selectors.caseload_for_units([enhet_a.pk], today=a_year_on)[0].protected is False
    day_before = a_year_on - datetime.timedelta(days=1)
    ny_row = next(
        r
        for r in selectors.caseload_for_units([enhet_a.pk], today=day_before)
        if r.user_id == ny.pk
    )
    assert ny_row.protected is True


@pytest.mark.django_db
def test_coverage_counts_high_risk_decisions_below_level_4(ny, mentor, chef, enhet_a, types):
    high = types[RiskLevel.HIGH]
    signed_case = CaseFactory(
        holder=ny, case_type=high, supervisor=mentor, stage=CaseStage.DECISION
    )
    ReviewFactory(case=signed_case, supervisor=chef, signed_at=timezone.now())
    services.change_case_stage(ny, case=signed_case, stage=CaseStage.FOLLOW_UP, supervisor=mentor)
    # A case that passed before the guardrail existed (legacy data) and had no sign-off.
    CaseFactory(
        holder=ny,
        case_type=high,
        stage=CaseStage.FOLLOW_UP,
        passed_decision_on=TODAY(),
        holder_level_at_decision=2,
    )
    # Level 4 at the time: independent work, not counted.
    CaseFactory(
        holder=ny,
        case_type=high,
        stage=CaseStage.FOLLOW_UP,
        passed_decision_on=TODAY(),
        holder_level_at_decision=4,
    )
    # Low risk: not counted.
    CaseFactory(
        holder=ny,
        case_type=types[RiskLevel.LOW],
        stage=CaseStage.FOLLOW_UP,
        passed_decision_on=TODAY(),
        holder_level_at_decision=1,
    )
    coverage = selectors.supervision_coverage_for_units([enhet_a.pk])[enhet_a.pk]
    assert (coverage.total, coverage.covered, coverage.percent) == (2, 1, 50)


@pytest.mark.django_db
def test_child_perspective_shares_leave_out_not_applicable(ny, chef, enhet_a, types, heder):
    case = CaseFactory(holder=ny, case_type=types[RiskLevel.MEDIUM])
    honour = CaseFactory(holder=ny, case_type=heder)
    ReviewFactory(
        case=case,
        supervisor=chef,
        child_spoken_alone=YES,
        child_view_documented=NO,
        risk_assessment_made=NA,
    )
    ReviewFactory(
        case=case,
        supervisor=chef,
        child_spoken_alone=NO,
        child_view_documented=NO,
        risk_assessment_made=YES,
    )
    ReviewFactory(
        case=honour,
        supervisor=chef,
        child_spoken_alone=YES,
        child_view_documented=YES,
        risk_assessment_made=YES,
        honour_risk_assessment_made=NO,
    )
    shares = {s.key: s for s in selectors.child_perspective_for_units([enhet_a.pk])[enhet_a.pk]}
    assert (shares["child_spoken_alone"].yes, shares["child_spoken_alone"].applicable) == (2, 3)
    assert shares["child_view_documented"].percent == 33
    assert (shares["risk_assessment_made"].yes, shares["risk_assessment_made"].applicable) == (2, 2)
    assert (
        shares["honour_risk_assessment_made"].yes,
        shares["honour_risk_assessment_made"].applicable,
    ) == (0, 1)


# --------------------------------------------------------------------------------------------
# Alerts
# --------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_alert_rules(ny, mentor, chef, enhet_a, types):
    high, low = types[RiskLevel.HIGH], types[RiskLevel.LOW]
    opened = TODAY() - datetime.timedelta(days=30)
    stale = CaseFactory(
        holder=ny, case_type=high, supervisor=mentor, opened_on=opened, reference="BoU-STALE"
    )
    ReviewFactory(case=stale, supervisor=mentor, date=TODAY() - datetime.timedelta(days=15))
    fresh = CaseFactory(holder=ny, case_type=high, supervisor=mentor, opened_on=opened)
    ReviewFactory(case=fresh, supervisor=mentor, date=TODAY() - datetime.timedelta(days=14))
    CaseFactory(
        holder=ny,
        case_type=high,
        supervisor=mentor,
        opened_on=TODAY() - datetime.timedelta(days=10),
    )  # new: 14 days not yet over
    unsupervised = CaseFactory(holder=ny, case_type=low, opened_on=opened, reference="BoU-ALONE")
    CaseFactory(
        holder=ny, case_type=low, stage=CaseStage.CLOSED, closed_on=TODAY(), opened_on=opened
    )  # closed: no alerts
    veteran = person(enhet_a, Role.SOCIAL_SECRETARY)
    DecisionFactory(person=veteran, case_type=high, level=4, decided_by=chef)
    CaseFactory(holder=veteran, case_type=high, supervisor=mentor, opened_on=opened)
    alerts = selectors.open_case_alerts_for_units([enhet_a.pk], today=TODAY())
    assert sorted((a.reference, a.kind) for a in alerts) == [
        ("BoU-ALONE", CaseAlert.Kind.NO_SUPERVISOR),
        ("BoU-STALE", CaseAlert.Kind.NO_RECENT_REVIEW),
    ]
    by_kind = {a.kind: a for a in alerts}
    assert by_kind["no_review"].since == TODAY() - datetime.timedelta(days=1)
    assert by_kind["no_review"].message == str(ALERT_NO_RECENT_REVIEW)
    assert by_kind["no_supervisor"].message == str(ALERT_NO_SUPERVISOR)
    assert by_kind["no_supervisor"].url == unsupervised.get_absolute_url()
    assert selectors.open_case_alerts_for_units([], today=TODAY()) == []


@pytest.mark.django_db
def test_daily_alerts_email_supervisor_and_managers_once(
    ny, mentor, chef, enhet_a, types, django_capture_on_commit_callbacks
):
    second_chef = person(enhet_a, Role.MANAGER)
    opened = TODAY() - datetime.timedelta(days=20)
    CaseFactory(
        holder=ny,
        case_type=types[RiskLevel.HIGH],
        supervisor=mentor,
        opened_on=opened,
        reference="BoU-2026-077",
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert len(services.scan_case_alerts()) == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [mentor.email, chef.email, second_chef.email]
    )
    message = mail.outbox[0]
    assert "BoU-2026-077" in message.subject and "14 dagar" in message.body
    assert "/mentorskap/arenden/" in message.body
    alert = CaseAlert.objects.get()
    assert alert.sent_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        assert services.scan_case_alerts() == []
        assert tasks.send_case_alerts.delay().get() == 0
        # A duplicated delivery finds every row delivered.
        alerts = OutboxMessage.objects.filter(handler__startswith="mentoring.tasks.case_alert")
        assert not any(outbox.deliver(row.pk) for row in alerts)
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_alert_scan_queries_do_not_grow(enhet_a, types, django_assert_num_queries):
    def add(count):
        for _n in range(count):
            CaseFactory(holder=person(enhet_a), case_type=types[RiskLevel.HIGH])  # two alerts

    add(1)
    with CaptureQueriesContext(connection) as small:
        selectors.open_case_alerts_for_units([enhet_a.pk], today=TODAY())
    # One: the entrustment levels come with the candidates (two before issue 23, session 32).
    assert len(small.captured_queries) == 1
    add(49)
    with django_assert_num_queries(1):
        assert len(selectors.open_case_alerts_for_units([enhet_a.pk], today=TODAY())) == 100


# --------------------------------------------------------------------------------------------
# The manager's page
# --------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_caseload_page_for_managers_only(
    client, ny, chef, mentor, kommunadmin, utomstaende, enhet_a, enhet_b, types
):
    CaseFactory(holder=ny, case_type=types[RiskLevel.CRITICAL], reference="BoU-2026-100")
    client.force_login(chef)
    page = client.get(reverse("mentoring:caseload")).content.decode()
    assert "Ny Testsson" in page and "Mentor Testsson" in page
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page and 'role="img"' in page
    assert "<title id=" in page and "<desc id=" in page  # the chart's text alternative
    assert "Tabellen under diagrammet visar samma siffror" in page
    assert "Över riktvärdet" not in page and "Inom riktvärdet" in page
    assert "BoU-2026-100" in page and str(ALERT_NO_SUPERVISOR) in page
    assert "Handledningstäckning" in page and "Barnet har fått tala enskilt" in page
    unit_page = client.get(reverse("mentoring:caseload_unit", args=[enhet_a.pk]))
    assert unit_page.status_code == 200
    assert client.get(reverse("mentoring:caseload_unit", args=[enhet_b.pk])).status_code == 404
    for user in (ny, mentor, kommunadmin, utomstaende):
        client.force_login(user)
        assert client.get(reverse("mentoring:caseload")).status_code == 404
        assert client.get(reverse("mentoring:caseload_unit", args=[enhet_a.pk])).status_code == 404


# Exact (tests/queries.py), at 1 and at 50 people.
# 13 each before the alerts read their candidates' levels with them (issue 23, session 32).
CASELOAD_QUERIES = {"mentoring:caseload": 12, "mentoring:caseload_unit": 12}


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["mentoring:caseload", "mentoring:caseload_unit"])
def test_caseload_page_queries_do_not_grow(client, chef, enhet_a, types, name):
    def add(count):
        for n in range(count):
            holder = person(enhet_a)
            case = CaseFactory(holder=holder, case_type=types[RiskLevel.values[n % 4]])
            ReviewFactory(case=case, supervisor=chef)
            if n % 2:
                DecisionFactory(person=holder, case_type=case.case_type, decided_by=chef)

    add(1)
    client.force_login(chef)
    url = reverse(name, args=[enhet_a.pk] if name.endswith("unit") else [])
    client.get(url)
    with exact_queries(CASELOAD_QUERIES[name]):
        assert client.get(url).status_code == 200
    add(49)
    with exact_queries(CASELOAD_QUERIES[name]):
        page = client.get(url).content.decode()
    assert page.count("<rect ") == 50  # one bar per person; the manager holds no cases


@pytest.mark.django_db
def test_team_selectors_run_a_fixed_number_of_queries(
    chef, enhet_a, types, django_assert_num_queries
):
    def add(count):
        for n in range(count):
            holder = person(enhet_a, Role.SOCIAL_SECRETARY if n % 2 else Role.NEW_HIRE)
            case = CaseFactory(holder=holder, case_type=types[RiskLevel.values[n % 4]])
            ReviewFactory(case=case, supervisor=chef)

    for size in (1, 49):
        add(size)
        with django_assert_num_queries(4):
            rows = selectors.caseload_for_units([enhet_a.pk], today=TODAY())
        # Eight, and one for the first-year signal safety registers (its incidents): the new
        # hires made here are in their first year.
        with django_assert_num_queries(9):
            (overview,) = selectors.case_overview_for_units([enhet_a.pk], today=TODAY())
        assert len(rows) == len(overview.rows) == (1 if size == 1 else 50)
        assert len(overview.chart.bars) == len(rows)


@pytest.mark.django_db
def test_the_candidate_filter_finds_exactly_what_the_rules_find(ny, mentor, placering, enhet_a):
    """open_case_alerts_for_units loads only candidate cases; around the 14-day boundary it must
    agree with the rules applied to every open case."""
    import datetime

    from django.utils import timezone

    from mentoring.selectors.caseload import (
        alert_conditions,
        open_case_alerts_for_units,
        open_cases_for_alerts,
    )
    from tests.mentoring.factories import CaseFactory, ReviewFactory

    today = timezone.localdate()
    for number, (opened_ago, reviewed_ago, supervisor) in enumerate(
        [
            (10, None, mentor),
            (14, None, mentor),
            (15, None, mentor),
            (30, 13, mentor),
            (30, 14, mentor),
            (30, 15, mentor),
            (30, None, None),
            (5, 2, None),
        ]
    ):
        case = CaseFactory(
            holder=ny,
            case_type=placering,
            supervisor=supervisor,
            reference=f"BoU-GR-{number}",
            opened_on=today - datetime.timedelta(days=opened_ago),
        )
        if reviewed_ago is not None:
            ReviewFactory(
                case=case, supervisor=mentor, date=today - datetime.timedelta(days=reviewed_ago)
            )
    everything = {
        (c.case.pk, c.kind) for c in alert_conditions(open_cases_for_alerts(), today=today)
    }
    shown = {(a.case_id, a.kind) for a in open_case_alerts_for_units([enhet_a.pk], today=today)}
    assert shown == everything
    assert len(everything) >= 4
