"""Figures for the units a first-line manager leads: caseload (ärendebelastning) against the
municipality's guideline, supervision coverage, the child perspective in reviews, and open
alerts about cases.

Every function takes unit ids the caller has already scoped to the manager (for example
`people.permissions.managed_unit_ids(user)`) and runs a fixed number of queries however many
people and cases the units have, so "Mitt team" (team/) can reuse them as they are.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, Min, OuterRef, Q, Subquery
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from core import charts
from core.dates import add_months
from core.links import pk_url
from mentoring import permissions
from mentoring.models import (
    HIGH_RISK_LEVELS,
    CaseAlert,
    CaseReview,
    CaseStage,
    CaseType,
    CheckAnswer,
    MentoringSettings,
    RiskLevel,
    SupervisedCase,
)
from mentoring.selectors.cases import (
    current_level_subquery,
    current_levels,
    signed_decision_reviews,
)
from people import permissions as people_permissions
from people.models import Membership, Role, Unit, User

REVIEW_INTERVAL_DAYS = 14
PROTECTED_MONTHS = 12

ALERT_NO_RECENT_REVIEW = _(
    "Högriskärende hos en handläggare under nivå 4 utan genomgång de senaste 14 dagarna."
)
ALERT_NO_SUPERVISOR = _("Öppet ärende utan namngiven handledare.")


# --------------------------------------------------------------------------------------------
# Caseload
# --------------------------------------------------------------------------------------------
@dataclass
class CaseloadRow:
    """One person in one unit: open cases weighted by risk against their guideline."""

    unit_id: int
    unit_name: str
    user_id: int
    name: str
    start_date: datetime.date
    protected: bool
    guideline: int
    weighted: Decimal
    counts: dict[str, int] = field(default_factory=dict)
    organisation_id: int | None = None
    # (label, count) from the registered first-year signals, for protected rows only.
    first_year: list[tuple[str, int]] = field(default_factory=list)

    @property
    def open_cases(self) -> int:
        return sum(self.counts.values())

    @property
    def over_guideline(self) -> bool:
        return self.weighted > self.guideline

    @property
    def percent_of_guideline(self) -> int:
        return round(100 * self.weighted / self.guideline) if self.guideline else 0

    def count_for(self, risk_level: str) -> int:
        return self.counts.get(risk_level, 0)


@dataclass(frozen=True)
class FirstYearSignal:
    """Something that happened to a person in their protected first year that the manager
    should weigh with their caseload, counted by an app above mentoring (safety's incidents).
    `count(starts, today=)` gets {(user id, organisation id): first-year start} and returns
    {(user id, organisation id): how many in that first year}, in one query."""

    key: str
    label: str
    count: Callable[..., dict[tuple[int, int], int]]


# mentoring sits below the apps that own these signals, so they register here from their
# AppConfig.ready() (as people/open_work.py does for open work) and the caseload rows carry them.
FIRST_YEAR_SIGNALS: dict[str, FirstYearSignal] = {}


def register_first_year_signal(signal: FirstYearSignal) -> None:
    FIRST_YEAR_SIGNALS[signal.key] = signal


def _add_first_year_signals(rows: list["CaseloadRow"], *, today: datetime.date) -> None:
    """One query per registered signal, and none when nobody in the rows is in their first
    year."""
    starts = {}
    for row in rows:
        if row.protected:
            starts[(row.user_id, row.organisation_id)] = row.start_date
    if not starts:
        return
    for signal in FIRST_YEAR_SIGNALS.values():
        counts = signal.count(starts, today=today)
        for row in rows:
            if row.protected:
                row.first_year.append(
                    (signal.label, counts.get((row.user_id, row.organisation_id), 0))
                )


def caseload_for_units(
    unit_ids: Iterable[int], *, today: datetime.date, user_ids: Iterable[int] | None = None
) -> list[CaseloadRow]:
    """Per person in the units (new hires, social secretaries, mentors; only `user_ids` when
    given): open cases in the unit's municipality weighted by risk level, against the
    municipality's guideline, or the protected caseload during the person's first 12 months.
    Four queries."""
    memberships = Membership.objects.filter(
        unit_id__in=list(unit_ids), role__in=permissions.CASE_HOLDER_ROLES
    ).select_related("user", "unit")
    if user_ids is not None:
        memberships = memberships.filter(user_id__in=list(user_ids))
    memberships = list(memberships)
    people = {}
    for membership in memberships:
        people.setdefault((membership.unit_id, membership.user_id), membership)
    user_ids = {user_id for _unit_id, user_id in people}
    organisation_ids = {m.organisation_id for m in memberships}
    settings = {
        s.organisation_id: s
        for s in MentoringSettings.objects.filter(organisation_id__in=organisation_ids)
    }
    starts = {
        (row["user_id"], row["organisation_id"]): row["start"]
        for row in Membership.objects.filter(user_id__in=user_ids)
        .values("user_id", "organisation_id")
        .annotate(start=Min("start_date"))
        .order_by()
    }
    counts: dict[tuple[int, int], dict[str, int]] = defaultdict(dict)
    for row in (
        SupervisedCase.objects.filter(holder_id__in=user_ids, organisation_id__in=organisation_ids)
        .exclude(stage=CaseStage.CLOSED)
        .values("holder_id", "organisation_id", "case_type__risk_level")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[(row["holder_id"], row["organisation_id"])][row["case_type__risk_level"]] = row["n"]
    rows = []
    for membership in people.values():
        rules = settings.get(membership.organisation_id) or MentoringSettings()
        key = (membership.user_id, membership.organisation_id)
        start = starts.get(key, membership.start_date)
        protected = today < add_months(start, PROTECTED_MONTHS)
        by_risk = counts.get(key, {})
        rows.append(
            CaseloadRow(
                unit_id=membership.unit_id,
                unit_name=membership.unit.name,
                user_id=membership.user_id,
                name=membership.user.get_full_name(),
                start_date=start,
                protected=protected,
                guideline=(
                    rules.protected_caseload_guideline if protected else rules.caseload_guideline
                ),
                weighted=sum(
                    (Decimal(n) * Decimal(rules.weight_for(risk)) for risk, n in by_risk.items()),
                    Decimal(0),
                ),
                counts=dict(by_risk),
                organisation_id=membership.organisation_id,
            )
        )
    rows.sort(key=lambda row: (row.unit_name.lower(), row.name.lower()))
    return rows


# The chart's geometry is core.charts'; the caseload decides what is drawn: the weighted load
# against each person's guideline, dashed for the protected first year.
CaseloadChart = charts.ReferenceBarChart


def caseload_chart(rows: list[CaseloadRow]) -> CaseloadChart:
    return charts.reference_bar_chart(
        [
            charts.ReferencePoint(
                label=row.name, value=row.weighted, reference=row.guideline, dashed=row.protected
            )
            for row in rows
        ]
    )


# --------------------------------------------------------------------------------------------
# Supervision coverage and the child perspective
# --------------------------------------------------------------------------------------------
@dataclass
class Coverage:
    """High-risk cases that passed the decision stage while the holder was below level 4, and
    how many of them had a signed decision-stage review (handledningstäckning)."""

    total: int = 0
    covered: int = 0

    @property
    def percent(self) -> int | None:
        return round(100 * self.covered / self.total) if self.total else None


def decisions_needing_supervision():
    """The definition behind supervision coverage (handledningstäckning): the high-risk cases
    that passed the decision stage while their holder was below level 4 (the level kept with
    the case when it passed), each annotated `signed`: it had a signed decision-stage review.
    The caseload page counts them per unit, the follow-up pages per unit and quarter."""
    signed = signed_decision_reviews().filter(case=OuterRef("pk"))
    return SupervisedCase.objects.filter(
        case_type__risk_level__in=HIGH_RISK_LEVELS,
        passed_decision_on__isnull=False,
        holder_level_at_decision__lt=permissions.INDEPENDENT_LEVEL,
    ).annotate(signed=Exists(signed))


def supervision_coverage_for_units(unit_ids: Iterable[int]) -> dict[int, Coverage]:
    """Supervision coverage (handledningstäckning) per unit, read by the caseload page: of the
    unit's decisions that needed supervision (`decisions_needing_supervision`), the share that
    had a signed decision-stage review. {unit id: Coverage}; units without such decisions are
    left out. One query."""
    rows = (
        decisions_needing_supervision()
        .filter(unit_id__in=list(unit_ids))
        .values_list("unit_id", "signed")
    )
    result: dict[int, Coverage] = {}
    for unit_id, has_signed in rows:
        coverage = result.setdefault(unit_id, Coverage())
        coverage.total += 1
        coverage.covered += int(has_signed)
    return result


CHILD_CHECKS = {
    "child_spoken_alone": _("Barnet har fått tala enskilt"),
    "child_view_documented": _("Barnets egen syn är dokumenterad"),
    "risk_assessment_made": _("Riskbedömning är gjord"),
    "honour_risk_assessment_made": _("Särskild riskbedömning vid hedersrelaterat våld är gjord"),
}


@dataclass
class ChildShare:
    """Of the reviews where a check applies, how many answered yes (barnperspektivet)."""

    key: str
    label: str
    yes: int
    applicable: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.yes / self.applicable) if self.applicable else None


def child_perspective_for_units(unit_ids: Iterable[int]) -> dict[int, list[ChildShare]]:
    """{unit id: one ChildShare per checklist item} over all reviews of the units' cases. One
    query."""
    aggregates = {}
    for key in CHILD_CHECKS:
        aggregates[f"{key}__yes"] = Count("pk", filter=Q(**{key: CheckAnswer.YES}))
        aggregates[f"{key}__applicable"] = Count(
            "pk", filter=~Q(**{key: CheckAnswer.NOT_APPLICABLE})
        )
    rows = (
        CaseReview.objects.filter(case__unit_id__in=list(unit_ids))
        .values("case__unit_id")
        .annotate(**aggregates)
        .order_by()
    )
    return {
        row["case__unit_id"]: [
            ChildShare(key, str(label), row[f"{key}__yes"], row[f"{key}__applicable"])
            for key, label in CHILD_CHECKS.items()
        ]
        for row in rows
    }


# --------------------------------------------------------------------------------------------
# Alerts
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class AlertCaseType:
    risk_level: str


@dataclass(frozen=True)
class AlertCase:
    """A case row as the alert rules (alert_conditions) read it, from a query's values. Not a
    model instance: a unit's ~200 candidates (Mitt team) or a mentor's dozens of cases
    ("Väntar på mig") as two model instances each were most of those lists' Python time
    (issue 23)."""

    pk: int
    reference: str
    opened_on: datetime.date
    holder_id: int
    case_type_id: int
    supervisor_id: int | None
    case_type: AlertCaseType
    last_review: datetime.date | None


@dataclass
class AlertCondition:
    case: "SupervisedCase | AlertCase"
    kind: str
    since: datetime.date

    @property
    def message(self) -> str:
        if self.kind == CaseAlert.Kind.NO_SUPERVISOR:
            return str(ALERT_NO_SUPERVISOR)
        return str(ALERT_NO_RECENT_REVIEW)


def open_cases_for_alerts(cases=None):
    """Open cases with what the alert rules need (last review date), ready to iterate."""
    cases = SupervisedCase.objects.all() if cases is None else cases
    latest_review = CaseReview.objects.filter(case=OuterRef("pk")).order_by("-date")
    return (
        cases.exclude(stage=CaseStage.CLOSED)
        .select_related("case_type")  # what the rules read; callers add what they show
        # The latest review's date by a subquery per case (index review_case_date), not a join
        # and GROUP BY: grouped, the planner joined every user to every open case of a unit
        # before it could filter (26 ms for a 500-person unit).
        .annotate(last_review=Subquery(latest_review.values("date")[:1]))
        .order_by("unit_id", "opened_on", "pk")
    )


def alert_conditions(
    cases: Iterable["SupervisedCase | AlertCase"],
    *,
    today: datetime.date,
    levels: dict | None = None,
):
    """The two alert rules, read from decisions only (one query for the levels, none when the
    caller read them with the cases: `levels`, as current_levels gives them):
    a high/critical case held by someone below level 4 with no review in the last 14 days,
    and an open case with no named supervisor. `cases`: model instances from
    open_cases_for_alerts, or AlertCase rows."""
    cases = list(cases)
    if levels is None:
        levels = current_levels(
            {c.holder_id for c in cases}, {c.case_type_id for c in cases}, today=today
        )
    found = []
    for case in cases:
        if case.supervisor_id is None:
            found.append(AlertCondition(case, CaseAlert.Kind.NO_SUPERVISOR, case.opened_on))
        level = levels.get((case.holder_id, case.case_type_id)) or 1
        if case.case_type.risk_level in HIGH_RISK_LEVELS and level < permissions.INDEPENDENT_LEVEL:
            base = max(case.last_review or case.opened_on, case.opened_on)
            due = base + datetime.timedelta(days=REVIEW_INTERVAL_DAYS)
            if today > due:
                found.append(AlertCondition(case, CaseAlert.Kind.NO_RECENT_REVIEW, due))
    return found


@dataclass(frozen=True)
class CaseAlertRow:
    """An open alert as "Mitt team" shows it: metadata only, never case notes."""

    case_id: int
    url: str
    reference: str
    unit_id: int
    unit_name: str
    holder_name: str
    supervisor_name: str
    case_type: str
    risk_level: str
    risk_label: str
    kind: str
    since: datetime.date
    message: str


def _name_of(user_field: str) -> Subquery:
    """The name of the user in `user_field`, looked up per row."""
    names = User.objects.filter(pk=OuterRef(user_field)).annotate(name=User.full_name_expression())
    return Subquery(names.values("name")[:1])


def open_case_alerts_for_units(
    unit_ids: Iterable[int], *, today: datetime.date
) -> list[CaseAlertRow]:
    """Alerts that hold today for open cases in the units, checked live (not only when the daily
    job has run). One query.

    Only candidates are loaded: cases without a named supervisor, and high-risk cases with no
    review in the last 14 days. The rules themselves (with the entrustment levels) are still
    applied by alert_conditions; at 500 staff this skips most of a unit's ~2,000 open cases."""
    cutoff = today - datetime.timedelta(days=REVIEW_INTERVAL_DAYS)
    candidates = (
        open_cases_for_alerts(SupervisedCase.objects.filter(unit_id__in=list(unit_ids)))
        .filter(
            Q(supervisor__isnull=True)
            | (
                Q(case_type__risk_level__in=HIGH_RISK_LEVELS)
                & Q(opened_on__lt=cutoff)
                & (Q(last_review__isnull=True) | Q(last_review__lt=cutoff))
            )
        )
        # Names only, looked up per candidate: joined, the planner read and hashed every user
        # of the country twice to name some 200 cases (23 ms -> 7 ms at a 500-person unit).
        # The holder's level comes with the row, as "Väntar på mig" reads it (mentoring.waiting),
        # instead of a second query for the candidates' levels.
        .annotate(
            holder_name=_name_of("holder_id"),
            supervisor_name=_name_of("supervisor_id"),
            level=current_level_subquery("holder_id", "case_type_id", today=today),
        )
        .values_list(
            "pk",
            "reference",
            "opened_on",
            "holder_id",
            "case_type_id",
            "supervisor_id",
            "case_type__risk_level",
            "last_review",
            "level",
            "unit_id",
            "unit__name",
            "case_type__name",
            "holder_name",
            "supervisor_name",
        )
    )
    cases, levels, shown = [], {}, {}
    for (
        pk,
        reference,
        opened_on,
        holder_id,
        case_type_id,
        supervisor_id,
        risk_level,
        last_review,
        level,
        *display,
    ) in candidates:
        cases.append(
            AlertCase(
                pk=pk,
                reference=reference,
                opened_on=opened_on,
                holder_id=holder_id,
                case_type_id=case_type_id,
                supervisor_id=supervisor_id,
                case_type=AlertCaseType(risk_level=risk_level),
                last_review=last_review,
            )
        )
        if level is not None:
            levels[(holder_id, case_type_id)] = level
        shown[pk] = display
    # Per level, per case type and per page, not per row: a unit's list can hold a few hundred
    # alerts.
    risk_labels = {level: str(level.label) for level in RiskLevel}
    type_labels = {}
    rows = []
    for condition in alert_conditions(cases, today=today, levels=levels):
        case = condition.case
        unit_id, unit_name, type_name, holder_name, supervisor_name = shown[case.pk]
        type_label = type_labels.get(type_name)
        if type_label is None:
            type_label = type_labels[type_name] = CaseType.label_of(type_name)
        rows.append(
            CaseAlertRow(
                case_id=case.pk,
                url=pk_url("mentoring:case", case.pk),
                reference=case.reference,
                unit_id=unit_id,
                unit_name=unit_name,
                holder_name=holder_name,
                supervisor_name=supervisor_name or "",
                case_type=type_label,
                risk_level=case.case_type.risk_level,
                risk_label=risk_labels[RiskLevel(case.case_type.risk_level)],
                kind=condition.kind,
                since=condition.since,
                message=condition.message,
            )
        )
    return rows


# --------------------------------------------------------------------------------------------
# The manager's page
# --------------------------------------------------------------------------------------------
@dataclass
class UnitCaseOverview:
    unit: Unit
    rows: list[CaseloadRow]
    chart: CaseloadChart
    coverage: Coverage
    child_shares: list[ChildShare]
    alerts: list[CaseAlertRow]


def case_overview_for_units(
    unit_ids: Iterable[int], *, today: datetime.date
) -> list[UnitCaseOverview]:
    """Caseload (with the first-year signals of the apps above, such as incidents),
    coverage, child perspective and alerts per unit: eight queries for any number of units,
    people and cases, and one more per registered first-year signal when someone in the units
    is in their first year."""
    unit_ids = list(unit_ids)
    units = list(Unit.objects.filter(pk__in=unit_ids).select_related("organisation"))
    rows = caseload_for_units(unit_ids, today=today)
    _add_first_year_signals(rows, today=today)
    coverage = supervision_coverage_for_units(unit_ids)
    shares = child_perspective_for_units(unit_ids)
    alerts = open_case_alerts_for_units(unit_ids, today=today)
    result = []
    for unit in units:
        unit_rows = [r for r in rows if r.unit_id == unit.pk]
        result.append(
            UnitCaseOverview(
                unit=unit,
                rows=unit_rows,
                chart=caseload_chart(unit_rows),
                coverage=coverage.get(unit.pk, Coverage()),
                child_shares=shares.get(unit.pk)
                or [ChildShare(key, str(label), 0, 0) for key, label in CHILD_CHECKS.items()],
                alerts=[a for a in alerts if a.unit_id == unit.pk],
            )
        )
    return result


def caseload_overview_for(
    user: User, *, today: datetime.date, unit_id: int | None = None
) -> list[UnitCaseOverview]:
    """The manager's caseload page for all units they manage, or one of them; 404 for a unit
    they do not manage and for anyone who manages none."""
    managed = people_permissions.managed_unit_ids(user)
    if not managed or (unit_id is not None and unit_id not in managed):
        raise Http404
    return case_overview_for_units([unit_id] if unit_id else sorted(managed), today=today)


def guideline_crossed_by(case: SupervisedCase, *, today: datetime.date) -> CaseloadRow | None:
    """The holder's caseload row when registering `case` took them above their guideline (the
    protected one in their first year) and they were not above it before; otherwise None.
    A warning to the holder and their manager, never a block. Five queries."""
    rows = caseload_for_units([case.unit_id], today=today, user_ids=[case.holder_id])
    if not rows or not rows[0].over_guideline:
        return None
    row = rows[0]
    rules = (
        MentoringSettings.objects.filter(organisation_id=case.organisation_id).first()
        or MentoringSettings()
    )
    before = row.weighted - Decimal(rules.weight_for(case.case_type.risk_level))
    return row if before <= row.guideline else None


def managers_of_units(unit_ids: Iterable[int]) -> dict[int, list[User]]:
    """{unit id: its managers}, for alert emails. One query."""
    result: dict[int, list[User]] = defaultdict(list)
    for membership in Membership.objects.filter(
        unit_id__in=list(unit_ids), role=Role.MANAGER, user__is_active=True
    ).select_related("user"):
        result[membership.unit_id].append(membership.user)
    return result
