"""The follow-up indicators (indikatorer), each defined once: what is counted, for which
quarter (kvartal) and which unit. The rules they lean on ("completed", "has a mentor",
"above the protected caseload", "a signed decision review", "first year") belong to learning,
mentoring and safety and are read from their models and selectors here, never restated.

Every indicator returns raw counts per unit for a quarter (numerator, denominator, the number
of people behind them, and the values for a median); followup.services stores them as
QuarterFact rows, and pages add those up for the municipality, the county and the nation.
"""

import datetime
import statistics
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from content.models import Audience
from core.dates import add_months, format_quarter, quarter_of
from learning import selectors as learning_selectors
from learning.models import Enrolment, RunEnrolment
from mentoring import permissions as mentoring_permissions
from mentoring.models import (
    CaseReview,
    CheckAnswer,
    Mentorship,
    SupervisionSession,
)
from mentoring.selectors import caseload_for_units, decisions_needing_supervision, frequency_days
from mentoring.selectors.caseload import CHILD_CHECKS, PROTECTED_MONTHS
from people.models import UNIT_ROLES, Membership, Role
from pulse.models import Question
from pulse.selectors import mean_score, released_sums
from safety.models import Incident

# --------------------------------------------------------------------------------------------
# Quarters
# --------------------------------------------------------------------------------------------
TREND_QUARTERS = 8
QUARTER_SHORT = pgettext_lazy("kvartal utan år, under en stapel", "K%(number)s")


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int  # 1-4

    @classmethod
    def of(cls, day: datetime.date) -> "Quarter":
        return cls(*quarter_of(day))

    @classmethod
    def parse(cls, text: str) -> "Quarter | None":
        """The quarter "2026-K3" names (as the page's filter writes it), or None."""
        year, _sep, number = (text or "").upper().partition("-K")
        if not (year.isdigit() and number.isdigit() and 1 <= int(number) <= 4):
            return None
        if not 2000 <= int(year) <= 2100:
            return None
        return cls(int(year), int(number))

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> datetime.date:
        return add_months(self.start, 3) - datetime.timedelta(days=1)

    @property
    def slug(self) -> str:
        return f"{self.year}-K{self.number}"

    @property
    def label(self) -> str:
        """ "2026 K3" in Swedish, "Q3 2026" in English (the same words as the audit log's)."""
        return format_quarter(self.year, self.number)

    @property
    def short_label(self) -> str:
        """The quarter without its year, under a chart's bar: "K3", "Q3"."""
        return str(QUARTER_SHORT) % {"number": self.number}

    def shifted(self, quarters: int) -> "Quarter":
        return Quarter.of(add_months(self.start, 3 * quarters))

    def trend(self, count: int = TREND_QUARTERS) -> list["Quarter"]:
        """The `count` quarters ending with this one, oldest first."""
        return [self.shifted(-offset) for offset in range(count - 1, -1, -1)]


def current_quarter() -> Quarter:
    return Quarter.of(timezone.localdate())


# --------------------------------------------------------------------------------------------
# Counts and how a figure is read from them
# --------------------------------------------------------------------------------------------
@dataclass
class Counts:
    numerator: int = 0
    denominator: int = 0
    people: set = field(default_factory=set)
    values: list = field(default_factory=list)
    # Anonymous pulse answers behind the figure: counted, since no person can be named.
    answers: int = 0

    @property
    def headcount(self) -> int:
        """What disclosure control counts: the people, or the answers, behind the figure."""
        return len(self.people) + self.answers


class Kind:
    SHARE = "share"  # per cent: numerator of denominator
    MEDIAN = "median"  # the median of the values (days)
    RATE = "rate"  # numerator per denominator, times the indicator's scale
    MEAN = "mean"  # a pulse question's mean score (1-5): summed scores over answers


@dataclass(frozen=True)
class Indicator:
    key: str
    theme: str
    label: str
    kind: str
    compute: Callable[[Quarter], dict[int, Counts]]
    unit_label: str = "%"
    scale: int = 1
    # Facts of a state rather than of events (a caseload) cannot be recomputed for a past
    # quarter: the daily job keeps the snapshot taken while the quarter was current.
    snapshot: bool = False

    def figure(self, *, numerator: int, denominator: int, values: list) -> Decimal | None:
        """The published figure for summed counts; None when there is nothing to show."""
        if self.kind == Kind.MEDIAN:
            return Decimal(statistics.median(values)).quantize(Decimal(1)) if values else None
        if not denominator:
            return None
        if self.kind == Kind.SHARE:
            return (Decimal(100 * numerator) / denominator).quantize(Decimal(1))
        if self.kind == Kind.MEAN:
            # Rounded as the pulse's results page rounds it, so both print the same figure.
            return Decimal(str(mean_score(numerator, denominator)))
        return (Decimal(self.scale * numerator) / denominator).quantize(Decimal("0.1"))


# --------------------------------------------------------------------------------------------
# Whose unit: a person counts in the unit of their unit membership (a new hire's first)
# --------------------------------------------------------------------------------------------
def _units_of(user_ids, *, roles=UNIT_ROLES) -> dict[int, int]:
    """{user id: unit id}: the new-hire membership first, else the earliest unit role."""
    order = {role: index for index, role in enumerate([Role.NEW_HIRE, *roles])}
    found: dict[int, tuple[int, int]] = {}
    for user_id, unit_id, role in Membership.objects.filter(
        user_id__in=list(user_ids), role__in=roles, unit__isnull=False
    ).values_list("user_id", "unit_id", "role"):
        rank = order.get(role, 99)
        if user_id not in found or rank < found[user_id][0]:
            found[user_id] = (rank, unit_id)
    return {user_id: unit_id for user_id, (_rank, unit_id) in found.items()}


def _new_hires(**filters) -> list[tuple[int, int, datetime.date]]:
    """(user id, unit id, start date) of new hires (nyanställda), filtered on the membership."""
    return list(
        Membership.objects.filter(role=Role.NEW_HIRE, unit__isnull=False, **filters).values_list(
            "user_id", "unit_id", "start_date"
        )
    )


def _add(result: dict[int, Counts], unit_id: int | None, person: int, *, hit: bool, weight=1):
    if unit_id is None:
        return
    counts = result.setdefault(unit_id, Counts())
    counts.denominator += weight
    counts.numerator += weight if hit else 0
    counts.people.add(person)


# --------------------------------------------------------------------------------------------
# Introduction (introduktion)
# --------------------------------------------------------------------------------------------
def _plan_enrolments(user_ids) -> dict[int, list[Enrolment]]:
    """The introduction as learning records it: the introductions (learning.selectors.
    introduction) its onboarding plan gave a due date (apply_onboarding_plan)."""
    by_user = defaultdict(list)
    for enrolment in Enrolment.objects.filter(
        learning_selectors.introduction(), user_id__in=list(user_ids), due_date__isnull=False
    ).exclude(status=Enrolment.Status.WITHDRAWN):
        by_user[enrolment.user_id].append(enrolment)
    return by_user


def introduction_in_time(quarter: Quarter) -> dict[int, Counts]:
    """New hires whose plan's last deadline fell in the quarter: how many had completed the
    whole introduction (as learning defines it, learning.selectors.introductions_completed_on)
    and each of the plan's courses by its deadline."""
    hires = {user_id: unit_id for user_id, unit_id, _start in _new_hires()}
    plans = _plan_enrolments(hires)
    completed = learning_selectors.introductions_completed_on(users=list(plans))
    result: dict[int, Counts] = {}
    for user_id, enrolments in plans.items():
        deadline = max(e.due_date for e in enrolments)
        if not quarter.start <= deadline <= quarter.end:
            continue
        in_time = user_id in completed and all(
            e.completed_at is not None and timezone.localdate(e.completed_at) <= e.due_date
            for e in enrolments
        )
        _add(result, hires[user_id], user_id, hit=in_time)
    return result


def introduction_median_days(quarter: Quarter) -> dict[int, Counts]:
    """Days from the start date to the completed introduction (as learning defines it), for
    those completing in the quarter."""
    hires = {user_id: (unit_id, start) for user_id, unit_id, start in _new_hires()}
    completed = learning_selectors.introductions_completed_on(users=list(hires))
    result: dict[int, Counts] = {}
    for user_id, done in completed.items():
        if not quarter.start <= done <= quarter.end:
            continue
        unit_id, start = hires[user_id]
        counts = result.setdefault(unit_id, Counts())
        counts.values.append(max((done - start).days, 0))
        counts.people.add(user_id)
    return result


def introduction_signed_off(quarter: Quarter) -> dict[int, Counts]:
    """Introductions whose modules were all done in the quarter and that wait for the
    manager's sign-off (godkännande): how many have been signed off."""
    hires = {user_id: unit_id for user_id, unit_id, _start in _new_hires()}
    result: dict[int, Counts] = {}
    rows = Enrolment.objects.filter(
        learning_selectors.introduction(),
        user_id__in=list(hires),
        modules_completed_at__date__gte=quarter.start,
        modules_completed_at__date__lte=quarter.end,
    ).values_list("user_id", "sign_off")
    for user_id, sign_off in rows:
        _add(result, hires[user_id], user_id, hit=sign_off is not None)
    return result


# --------------------------------------------------------------------------------------------
# Mentoring (mentorskap och handledning)
# --------------------------------------------------------------------------------------------
MENTOR_WITHIN_DAYS = 28
# A mentorship that was ever under way, whatever it is now.
STARTED_MENTORSHIPS = (Mentorship.Status.ACTIVE, Mentorship.Status.PAUSED, Mentorship.Status.ENDED)


def mentor_within_four_weeks(quarter: Quarter) -> dict[int, Counts]:
    """New hires who started in the quarter, once four weeks have passed: how many had a
    mentorship under way within four weeks of the start date."""
    today = timezone.localdate()
    result: dict[int, Counts] = {}
    hires = _new_hires(
        start_date__gte=quarter.start,
        start_date__lte=min(quarter.end, today - datetime.timedelta(days=MENTOR_WITHIN_DAYS)),
    )
    starts = {user_id: start for user_id, _unit, start in hires}
    with_mentor = set()
    for mentee_id, begun in Mentorship.objects.filter(
        mentee_id__in=list(starts), status__in=STARTED_MENTORSHIPS, start_date__isnull=False
    ).values_list("mentee_id", "start_date"):
        if begun <= starts[mentee_id] + datetime.timedelta(days=MENTOR_WITHIN_DAYS):
            with_mentor.add(mentee_id)
    for user_id, unit_id, _start in hires:
        _add(result, unit_id, user_id, hit=user_id in with_mentor)
    return result


def _first_year_hires(quarter: Quarter) -> list[tuple[int, int, datetime.date]]:
    return _new_hires(
        start_date__lte=quarter.end,
        start_date__gt=add_months(quarter.start, -PROTECTED_MONTHS),
    )


def supervision_sessions_per_month(quarter: Quarter) -> dict[int, Counts]:
    """Supervision sessions (handledningstillfällen) in the quarter per new hire in their first
    year, per month: sessions over person-months."""
    hires = _first_year_hires(quarter)
    sessions = defaultdict(int)
    for mentee_id in SupervisionSession.objects.filter(
        mentorship__mentee_id__in=[user_id for user_id, _u, _s in hires],
        date__gte=quarter.start,
        date__lte=quarter.end,
    ).values_list("mentorship__mentee_id", flat=True):
        sessions[mentee_id] += 1
    result: dict[int, Counts] = {}
    for user_id, unit_id, _start in hires:
        counts = result.setdefault(unit_id, Counts())
        counts.numerator += sessions[user_id]
        counts.denominator += 3
        counts.people.add(user_id)
    return result


def check_ins_missed(quarter: Quarter) -> dict[int, Counts]:
    """Of the check-ins the mentorships under way in the quarter planned (their rhythm,
    mentoring.selectors.frequency_days), how many did not happen."""
    today = timezone.localdate()
    last = min(quarter.end, today)
    if last < quarter.start:
        return {}
    mentorships = list(
        Mentorship.objects.filter(
            status__in=STARTED_MENTORSHIPS, start_date__isnull=False, start_date__lte=last
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=quarter.start))
        .prefetch_related("mentee__memberships")
    )
    held = defaultdict(int)
    for mentorship_id in SupervisionSession.objects.filter(
        mentorship__in=mentorships, date__gte=quarter.start, date__lte=last
    ).values_list("mentorship_id", flat=True):
        held[mentorship_id] += 1
    units = _units_of({m.mentee_id for m in mentorships})
    result: dict[int, Counts] = {}
    for mentorship in mentorships:
        begin = max(mentorship.start_date, quarter.start)
        end = min(mentorship.end_date or last, last)
        planned = ((end - begin).days + 1) // frequency_days(mentorship, on=begin)
        if planned <= 0:
            continue
        missed = max(planned - held[mentorship.pk], 0)
        unit_id = units.get(mentorship.mentee_id)
        if unit_id is None:
            continue
        counts = result.setdefault(unit_id, Counts())
        counts.denominator += planned
        counts.numerator += missed
        counts.people.add(mentorship.mentee_id)
    return result


# --------------------------------------------------------------------------------------------
# Supervised cases (ärenden under handledning)
# --------------------------------------------------------------------------------------------
def above_protected_caseload(quarter: Quarter) -> dict[int, Counts]:
    """First-year staff (skyddad första tid) whose weighted caseload is above the protected
    guideline, as mentoring's caseload selector counts it. A snapshot of today."""
    today = timezone.localdate()
    if not quarter.start <= today <= quarter.end:
        return {}
    unit_ids = Membership.objects.filter(
        role__in=mentoring_permissions.CASE_HOLDER_ROLES, unit__isnull=False
    ).values_list("unit_id", flat=True)
    result: dict[int, Counts] = {}
    for row in caseload_for_units(set(unit_ids), today=today):
        if row.protected:
            _add(result, row.unit_id, row.user_id, hit=row.over_guideline)
    return result


def decisions_with_signed_review(quarter: Quarter) -> dict[int, Counts]:
    """High and critical decisions (beslut) in the quarter by staff below entrustment level 4:
    how many had a signed decision-stage review."""
    # Supervision coverage as the caseload page counts it (mentoring's one definition).
    rows = (
        decisions_needing_supervision()
        .filter(passed_decision_on__gte=quarter.start, passed_decision_on__lte=quarter.end)
        .values_list("unit_id", "holder_id", "signed")
    )
    result: dict[int, Counts] = {}
    for unit_id, holder_id, signed in rows:
        _add(result, unit_id, holder_id, hit=signed)
    return result


def _child_check(key: str) -> Callable[[Quarter], dict[int, Counts]]:
    def compute(quarter: Quarter) -> dict[int, Counts]:
        rows = (
            CaseReview.objects.filter(date__gte=quarter.start, date__lte=quarter.end)
            .exclude(**{key: CheckAnswer.NOT_APPLICABLE})
            .values_list("case__unit_id", "case__holder_id", key)
        )
        result: dict[int, Counts] = {}
        for unit_id, holder_id, answer in rows:
            _add(result, unit_id, holder_id, hit=answer == CheckAnswer.YES)
        return result

    compute.__doc__ = f"Reviews in the quarter where the check applies: how many said yes ({key})."
    return compute


# --------------------------------------------------------------------------------------------
# Leadership, retention, incidents
# --------------------------------------------------------------------------------------------
LEADERSHIP_STATUSES = (RunEnrolment.Status.ENROLLED,)


def leadership_programme(quarter: Quarter) -> dict[int, Counts]:
    """First-line managers (första linjens chefer) in post at the quarter's end: how many had
    completed, or held a place in a run of, a course for managers (the leadership programme)."""
    # A manager of several units counts once (in the first), so no one is counted twice
    # toward the five people disclosure control asks for.
    managers: dict[int, int] = {}
    for user_id, unit_id in (
        Membership.objects.filter(
            role=Role.MANAGER, start_date__lte=quarter.end, user__is_active=True
        )
        .order_by("unit_id")
        .values_list("user_id", "unit_id")
    ):
        managers.setdefault(user_id, unit_id)
    user_ids = list(managers)
    taking = set(
        RunEnrolment.objects.filter(
            user_id__in=user_ids,
            status__in=LEADERSHIP_STATUSES,
            run__course__audience=Audience.MANAGERS,
            run__start_date__lte=quarter.end,
        ).values_list("user_id", flat=True)
    ) | set(
        Enrolment.objects.filter(
            user_id__in=user_ids,
            course__audience=Audience.MANAGERS,
            status=Enrolment.Status.COMPLETED,
            completed_at__date__lte=quarter.end,
        ).values_list("user_id", flat=True)
    )
    result: dict[int, Counts] = {}
    for user_id, unit_id in managers.items():
        _add(result, unit_id, user_id, hit=user_id in taking)
    return result


RETENTION_MONTHS = 12


def retention_twelve_months(quarter: Quarter) -> dict[int, Counts]:
    """New hires who started in the same quarter a year earlier, once their twelve months have
    passed: how many were still employed twelve months after their start date, by the day the
    staff lifecycle recorded their employment ended (User.employment_ended_on). Leaving on the
    anniversary or later counts as retained (a person who leaves after 13 months stayed the
    year); an account closed before the start date never started and is not in the cohort. A
    closed account with no end date (closed before the date was kept, with no audit line)
    counts as left, the only thing known about it."""
    today = timezone.localdate()
    year_before = quarter.shifted(-RETENTION_MONTHS // 3)
    rows = Membership.objects.filter(
        role=Role.NEW_HIRE,
        unit__isnull=False,
        start_date__gte=year_before.start,
        start_date__lte=year_before.end,
    ).values_list(
        "user_id", "unit_id", "start_date", "user__is_active", "user__employment_ended_on"
    )
    result: dict[int, Counts] = {}
    for user_id, unit_id, start, is_active, ended_on in rows:
        anniversary = add_months(start, RETENTION_MONTHS)
        # Leavers too wait for the anniversary: counting them sooner than those who stay
        # would pull the current quarter's share down until it is over.
        if anniversary > today or (ended_on is not None and ended_on < start):
            continue
        stayed = ended_on >= anniversary if ended_on is not None else is_active
        _add(result, unit_id, user_id, hit=stayed)
    return result


def incidents_per_hundred(quarter: Quarter) -> dict[int, Counts]:
    """Reported incidents of threats and violence (safety) in the quarter per 100 staff in the
    unit."""
    staff = Membership.objects.filter(
        role__in=UNIT_ROLES, unit__isnull=False, start_date__lte=quarter.end, user__is_active=True
    ).values_list("user_id", flat=True)
    result: dict[int, Counts] = {}
    for user_id, unit_id in _units_of(set(staff)).items():
        counts = result.setdefault(unit_id, Counts())
        counts.denominator += 1
        counts.people.add(user_id)
    for unit_id in Incident.objects.filter(
        occurred_on__gte=quarter.start, occurred_on__lte=quarter.end
    ).values_list("unit_id", flat=True):
        if unit_id in result:
            result[unit_id].numerator += 1
    return result


# --------------------------------------------------------------------------------------------
# The list: the order is the page's
# --------------------------------------------------------------------------------------------
THEME_INTRODUCTION = _("Introduktion")
THEME_MENTORING = _("Mentorskap och handledning")
THEME_CASES = _("Ärenden under handledning")
THEME_LEADERSHIP = _("Ledarskap")
THEME_RETENTION = _("Kvar i arbetet")
THEME_SAFETY = _("Hot och våld")
THEME_PULSE = _("Pulsenkät")

INDICATORS: list[Indicator] = [
    Indicator(
        "intro_i_tid",
        THEME_INTRODUCTION,
        _("Klar med introduktionen inom planens tid"),
        Kind.SHARE,
        introduction_in_time,
    ),
    Indicator(
        "intro_median_dagar",
        THEME_INTRODUCTION,
        _("Mediantid till klar introduktion"),
        Kind.MEDIAN,
        introduction_median_days,
        unit_label=_("dagar"),
    ),
    Indicator(
        "intro_godkand",
        THEME_INTRODUCTION,
        _("Introduktionen godkänd av chefen"),
        Kind.SHARE,
        introduction_signed_off,
    ),
    Indicator(
        "mentor_4_veckor",
        THEME_MENTORING,
        _("Mentor inom 4 veckor från start"),
        Kind.SHARE,
        mentor_within_four_weeks,
    ),
    Indicator(
        "handledning_per_manad",
        THEME_MENTORING,
        _("Handledningstillfällen per nyanställd och månad (första året)"),
        Kind.RATE,
        supervision_sessions_per_month,
        unit_label=_("per månad"),
    ),
    Indicator(
        "missade_avstamningar",
        THEME_MENTORING,
        _("Planerade avstämningar som inte blev av"),
        Kind.SHARE,
        check_ins_missed,
    ),
    Indicator(
        "over_skyddad_mangd",
        THEME_CASES,
        _("Första året över den skyddade ärendemängden"),
        Kind.SHARE,
        above_protected_caseload,
        snapshot=True,
    ),
    Indicator(
        "beslut_med_genomgang",
        THEME_CASES,
        _("Beslut i hög- och kritiska ärenden under nivå 4 med signerad genomgång"),
        Kind.SHARE,
        decisions_with_signed_review,
    ),
    *[
        Indicator(f"barn_{key}", THEME_CASES, label, Kind.SHARE, _child_check(key))
        for key, label in CHILD_CHECKS.items()
        if key != "honour_risk_assessment_made"
    ],
    Indicator(
        "ledarprogram",
        THEME_LEADERSHIP,
        _("Chefer som gått eller går ledarprogrammet"),
        Kind.SHARE,
        leadership_programme,
    ),
    Indicator(
        "kvar_efter_12_man",
        THEME_RETENTION,
        _("Nyanställda som är kvar efter 12 månader"),
        Kind.SHARE,
        retention_twelve_months,
    ),
    Indicator(
        "handelser_per_100",
        THEME_SAFETY,
        _("Rapporterade händelser per 100 anställda"),
        Kind.RATE,
        incidents_per_hundred,
        unit_label=_("per 100"),
        scale=100,
    ),
]


# --------------------------------------------------------------------------------------------
# The pulse survey (pulsenkät)
# --------------------------------------------------------------------------------------------
def _pulse(question: str) -> Callable[[Quarter], dict[int, Counts]]:
    def compute(quarter: Quarter) -> dict[int, Counts]:
        result: dict[int, Counts] = {}
        for by_unit in released_sums(periods=[quarter.start]).values():
            for unit_id, sums in by_unit.items():
                # Answers from a unit since removed belong to no unit's facts; the results
                # page still shows them to the municipality.
                if unit_id is None:
                    continue
                counts = result.setdefault(unit_id, Counts())
                counts.numerator += getattr(sums, question)
                counts.denominator += sums.n
                counts.answers += sums.n
        return result

    compute.__doc__ = (
        f"The mean score (1-5) of the released pulse answers to '{question}' in the quarter, "
        "the pulse results page's sums (pulse.selectors.released_sums): the answers are "
        "the count disclosure control checks, and no comment is read."
    )
    return compute


# The comments (fritext) stay in the municipality: facts hold counts and score sums only, so
# no county or national page, nor any export, can show one.
PULSE_INDICATORS: list[Indicator] = [
    Indicator(
        f"puls_{key}",
        THEME_PULSE,
        label,
        Kind.MEAN,
        _pulse(question),
        unit_label=_("medel 1–5"),
    )
    for key, question, label in (
        (
            "arbetsbelastning",
            Question.WORKLOAD,
            _("Pulsenkät: arbetsbelastningen är hanterbar"),
        ),
        ("stod", Question.SUPPORT, _("Pulsenkät: stöd från mentor och chef")),
        ("kvar", Question.STAY, _("Pulsenkät: tror sig arbeta kvar om 12 månader")),
    )
]

ALL_INDICATORS = [*INDICATORS, *PULSE_INDICATORS]
BY_KEY = {indicator.key: indicator for indicator in ALL_INDICATORS}
