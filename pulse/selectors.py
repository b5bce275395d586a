"""The pulse's reads: a person's invitations, and the results per unit and per municipality,
per quarter, through disclosure control (core.disclosure).

Figures are made from released answers only (rounds that have closed). Per quarter, the units
of a municipality are one row whose total (the municipality) is printed, so `suppress_row`
hides every unit with 1–4 answers and, where that leaves one, the next-smallest unit too; a
hidden unit's count and means go together. The manager's page shows the same suppression,
restricted to their units, so no two pages print the same cells differently."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import add_months, format_quarter, quarter_of
from core.disclosure import MIN_N, is_small, suppress_row
from people.models import Organisation, Unit, User
from pulse import permissions
from pulse.models import PulseAnswer, PulseInvitation, Question, quarter_start

QUARTERS_SHOWN = 4
NO_UNIT = _("Enhet som har tagits bort")
OTHER_UNITS = _("Övriga enheter")


def get_invitation_for(user: User, *, token: str) -> PulseInvitation:
    """The person's own invitation; a 404 for a wrong token and for everyone else's."""
    invitation = (
        PulseInvitation.objects.filter(token=token, person_id=user.pk)
        .select_related("round")
        .first()
    )
    if invitation is None:
        raise Http404
    return invitation


def open_invitations(user: User, *, today: datetime.date):
    """The person's invitations they may answer on the day: the round is open and they have
    not answered. A queryset, for "Väntar på mig" (pulse.waiting) to read in its one query."""
    return PulseInvitation.objects.filter(
        person_id=user.pk,
        answered_at__isnull=True,
        round__closed_at__isnull=True,
        round__opens_on__lte=today,
        round__closes_on__gt=today,
    )


def open_invitations_for(user: User, *, today: datetime.date | None = None) -> list:
    """The pulses the person may answer now."""
    if not user.is_authenticated:
        return []
    today = today or timezone.localdate()
    return list(
        open_invitations(user, today=today)
        .select_related("round")
        .order_by("round__closes_on", "pk")
    )


@dataclass(frozen=True)
class Figure:
    """n answers and the mean per question of one group, or hidden (all of it) by disclosure
    control. A group with no answers shows 0 and no means."""

    n: int | None
    workload: float | None = None
    support: float | None = None
    stay: float | None = None

    @property
    def hidden(self) -> bool:
        return self.n is None

    @property
    def means(self) -> list[float | None]:
        return [self.workload, self.support, self.stay]


HIDDEN = Figure(n=None)


@dataclass
class _Sums:
    """Count and score sums of a group: sums add up where means would not."""

    n: int = 0
    workload: int = 0
    support: int = 0
    stay: int = 0

    def add(self, other: "_Sums | dict") -> None:
        get = other.get if isinstance(other, dict) else other.__getattribute__
        self.n += get("n")
        self.workload += get("workload")
        self.support += get("support")
        self.stay += get("stay")

    def figure(self) -> Figure:
        if self.n == 0:
            return Figure(n=0)
        return Figure(
            n=self.n,
            workload=mean_score(self.workload, self.n),
            support=mean_score(self.support, self.n),
            stay=mean_score(self.stay, self.n),
        )


def mean_score(total: int, n: int) -> float:
    """The mean of n answers to a question, to one decimal: the results page and follow-up
    (followup.indicators) print it rounded the same way."""
    return round(total / n, 1)


def _total(parts) -> _Sums:
    total = _Sums()
    for part in parts:
        total.add(part)
    return total


@dataclass
class UnitFigure:
    unit_id: int | None
    name: str
    figure: Figure
    # The real count, for grouping comments; never printed (the template prints `figure`).
    answers: int = 0


@dataclass
class QuarterTable:
    period_start: datetime.date
    total: Figure | None  # None: not shown on this page (a manager's)
    units: list[UnitFigure]
    comment_groups: list["CommentGroup"] = field(default_factory=list)

    @property
    def label(self) -> str:
        return format_quarter(*quarter_of(self.period_start))

    @property
    def any_hidden(self) -> bool:
        return any(item.figure.hidden for item in self.units)


@dataclass
class CommentGroup:
    name: str
    n: int
    comments: list[str]


def last_quarters(today: datetime.date, count: int = QUARTERS_SHOWN) -> list[datetime.date]:
    """The first days of the last `count` quarters, the current one first."""
    current = quarter_start(today)
    return [add_months(current, -3 * i) for i in range(count)]


def _sums(organisation_ids, periods) -> dict:
    return released_sums(periods=periods, organisation_ids=organisation_ids)


def released_sums(*, periods, organisation_ids=None) -> dict:
    """{(municipality, period): {unit: sums}} from released answers (closed rounds), in one
    query: each group's count `n` and the sum per question (Question.values), of every
    municipality when `organisation_ids` is None. What the results page and follow-up's pulse
    indicators are both made from; neither carries a comment."""
    answers = PulseAnswer.objects.released().filter(period_start__in=periods)
    if organisation_ids is not None:
        answers = answers.filter(organisation_id__in=organisation_ids)
    rows = (
        answers.values("organisation_id", "period_start", "unit_id")
        .annotate(
            n=Count("pk"),
            **{name: Sum(name) for name in Question.values},
        )
        .order_by()
    )
    found: dict = defaultdict(lambda: defaultdict(_Sums))
    for row in rows:
        found[(row["organisation_id"], row["period_start"])][row["unit_id"]].add(row)
    return found


def unit_tables(
    organisation: Organisation, *, units: list[Unit], periods: list[datetime.date]
) -> list[QuarterTable]:
    """Per quarter, the municipality's units and its total, disclosure-controlled: the total
    is printed, so units are suppressed together with a complementary unit."""
    return _unit_tables(organisation, units, periods, _sums([organisation.pk], periods))


def _unit_tables(organisation, units, periods, sums) -> list[QuarterTable]:
    names = {unit.pk: unit.name for unit in units}
    tables = []
    for period in periods:
        by_unit = sums.get((organisation.pk, period), {})
        keys = list(names) + [key for key in by_unit if key not in names]
        cells = {key: by_unit[key].n if key in by_unit else 0 for key in keys}
        hidden = suppress_row(cells)
        total = _total(by_unit.values())
        rows = [
            UnitFigure(
                unit_id=key,
                name=names.get(key) or str(NO_UNIT),
                figure=HIDDEN if key in hidden else by_unit.get(key, _Sums()).figure(),
                answers=cells[key],
            )
            for key in keys
        ]
        tables.append(
            QuarterTable(
                period_start=period,
                total=HIDDEN if is_small(total.n) else total.figure(),
                units=rows,
            )
        )
    return tables


def municipality_figures(
    organisation_ids: list[int], *, periods: list[datetime.date]
) -> dict[datetime.date, dict[int, Figure]]:
    """Per quarter, each municipality's figure, for a page that also prints the total over
    these municipalities (a county): suppressed as one row per quarter. A page that prints
    the total separately must hide it when `is_small`."""
    sums = _sums(organisation_ids, periods)
    result = {}
    for period in periods:
        totals = {
            organisation_id: _total(sums.get((organisation_id, period), {}).values())
            for organisation_id in organisation_ids
        }
        hidden = suppress_row({key: total.n for key, total in totals.items()})
        result[period] = {
            key: HIDDEN if key in hidden else total.figure() for key, total in totals.items()
        }
    return result


def _comment_groups(table: QuarterTable, comments: dict) -> list:
    """The comments of one quarter, grouped so that no group has fewer than MIN_N answers
    behind it: a unit with enough answers is its own group, the rest are pooled as "other
    units" when together they reach MIN_N, and left out otherwise. Listed in the answers'
    random order (their keys), never in the order they came."""
    groups, pooled, pooled_n = [], [], 0
    for item in table.units:
        found = comments.get(item.unit_id, [])
        if item.answers >= MIN_N:
            if found:
                groups.append(CommentGroup(item.name, item.answers, found))
        else:
            pooled.extend(found)
            pooled_n += item.answers
    if pooled and pooled_n >= MIN_N:
        groups.append(CommentGroup(str(OTHER_UNITS), pooled_n, pooled))
    return groups


@dataclass
class ResultsPage:
    organisation: Organisation
    tables: list[QuarterTable]
    sees_total: bool
    sees_comments: bool


def results_for(user: User, *, today: datetime.date | None = None) -> ResultsPage:
    """The results page: for a municipal admin the whole municipality, units, total and
    grouped comments; for a manager the units they lead (the same suppression, no total, no
    comments). A 404 for everyone else."""
    organisation_ids, unit_ids = permissions.results_reach(user)
    today = today or timezone.localdate()
    if organisation_ids:
        organisation = Organisation.objects.filter(pk__in=organisation_ids).order_by("pk").first()
    elif unit_ids:
        organisation = Organisation.objects.filter(units__pk__in=unit_ids).order_by("pk").first()
    else:
        raise Http404
    units = list(Unit.objects.filter(organisation=organisation).order_by("name", "pk"))
    periods = last_quarters(today)
    tables = _unit_tables(organisation, units, periods, _sums([organisation.pk], periods))
    admin = permissions.sees_comments(user, organisation_id=organisation.pk)
    if admin:
        comments: dict = defaultdict(lambda: defaultdict(list))
        rows = (
            PulseAnswer.objects.released()
            .filter(organisation=organisation, period_start__in=periods)
            .exclude(comment="")
            .order_by("pk")
            .values_list("period_start", "unit_id", "comment")
        )
        for period, unit_id, comment in rows:
            comments[period][unit_id].append(comment)
        for table in tables:
            table.comment_groups = _comment_groups(table, comments[table.period_start])
    else:
        for table in tables:
            table.total = None
            table.units = [item for item in table.units if item.unit_id in unit_ids]
    return ResultsPage(
        organisation=organisation, tables=tables, sees_total=admin, sees_comments=admin
    )
