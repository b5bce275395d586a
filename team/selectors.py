"""Reads for "Mitt team": the first-line manager's view of the units they manage.

Everything a page shows is fetched in a fixed number of queries, whatever the team size:
one query per kind of row (memberships with each person's latest certificate, per-person
figures, mentorships, the chart's counts, ...), then joined in Python. That keeps a
500-person unit at the same query count as a 5-person one (asserted in tests/team).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.compiled import CompiledQuery, Many
from learning import selectors as learning_selectors
from mentoring import selectors as mentoring_selectors
from people import permissions
from people.models import TEAM_ROLES, Membership, Role, Unit, User
from safety import selectors as safety_selectors

HISTORY_WEEKS = 12

SORTS = {
    "namn": (lambda row: row.name.lower(), False),
    "start": (lambda row: row.start_date, True),
    "framsteg": (lambda row: (row.percent, row.name.lower()), False),
    "forsenade": (lambda row: (row.overdue, row.name.lower()), True),
    "enhet": (lambda row: (row.unit_name.lower(), row.name.lower()), False),
}
PROGRESS_LABEL = _("Framsteg för %(name)s")
# Swedish writes a space before the per cent sign, English none: the bars' labels are words.
PERCENT_RANGE = _("%(low)s–%(high)s %%")
PERCENT = _("%(value)s %%")
FILTERS = {
    "forsenade": _("Bara de med försenade moduler"),
    "utan-mentor": _("Bara nyanställda utan mentor"),
    "ej-klara": _("Bara de som inte är klara"),
}


@dataclass
class TeamMember:
    user_id: int
    name: str
    email: str
    unit_name: str
    roles: list[str]
    start_date: datetime.date
    is_new_hire: bool
    completed: int = 0
    total: int = 0
    overdue: int = 0
    introductions_open: int = 0
    mentor_name: str = ""
    certificate_title: str = ""
    certificate_issued: datetime.date | None = None

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.total) if self.total else 0

    @property
    def is_done(self) -> bool:
        """Every module done and the introduction, if any, completed (signed off)."""
        return self.completed >= self.total and not self.introductions_open

    @property
    def role_label(self) -> str:
        return ", ".join(self.roles)

    @property
    def progress_label(self) -> str:
        return PROGRESS_LABEL % {"name": self.name}


@dataclass
class TeamOverview:
    units: list[Unit]
    members: list[TeamMember]
    distribution: list[tuple[str, int]] = field(default_factory=list)
    overdue_history: list[tuple[datetime.date, int]] = field(default_factory=list)
    case_alerts: list = field(default_factory=list)
    incidents: list = field(default_factory=list)
    # Introductions whose modules are done, waiting for the manager's sign-off (issue 19).
    awaiting_sign_off: list = field(default_factory=list)

    @property
    def overdue_people(self) -> int:
        return sum(1 for member in self.members if member.overdue)

    @property
    def without_mentor(self) -> int:
        return sum(1 for m in self.members if m.is_new_hire and not m.mentor_name)


def managed_units_for(user: User, *, unit_id: int | None = None) -> list[Unit]:
    """The units the user manages (or just the one asked for); 404 for anything else."""
    units = permissions.managed_units(user)
    if unit_id is not None:
        units = [unit for unit in units if unit.pk == unit_id]
    if not units:
        raise Http404
    return units


def _team_memberships(units: list[Unit] | list[int]) -> QuerySet:
    return Membership.objects.filter(unit__in=units, role__in=TEAM_ROLES)


def _team_user_ids(units: list[Unit] | list[int]) -> QuerySet:
    """The team's people as a subquery: at 500 people a list of ids as query parameters cost
    more to send than the query took to run."""
    return _team_memberships(units).values("user_id")


def _user_column(column: str) -> Subquery:
    """A column of the membership's user, looked up by primary key per membership row."""
    return Subquery(User.objects.filter(pk=OuterRef("user_id")).order_by().values(column)[:1])


def _members(units: list[Unit]) -> dict[int, TeamMember]:
    """The team's people with their latest certificate (learning's latest_certificate_of), in
    one query."""
    # Plain values rather than Membership, User and Unit objects: a tenth of the work at 500.
    # The name, address and certificate by index per membership row: joined to the users,
    # PostgreSQL (at the default random_page_cost = 4) hashed all 30,020 users of the scale
    # set to name a unit's ~500, and a query of its own for their certificates read all
    # 26,784 certificates; together 15-18 ms (in-process, min of 20, load ~8.5), as one
    # query with lookups by primary key and user_id 9-10 ms.
    title, issued = learning_selectors.latest_certificate_of("user_id")
    memberships = (
        _team_memberships(units)
        .annotate(
            name=_user_column("full_name"),
            address=_user_column("email"),
            certificate_title=title,
            certificate_issued=issued,
        )
        .order_by("name", "start_date")
        .values_list(
            "user_id",
            "name",
            "address",
            "unit__name",
            "role",
            "start_date",
            "certificate_title",
            "certificate_issued",
        )
    )
    members: dict[int, TeamMember] = {}
    # Each role's label translated once, not once a row.
    labels = {role: str(role.label) for role in Role}
    # timezone.localdate() looks the zone up again for each of ~500 certificates.
    zone = timezone.get_current_timezone()
    for user_id, full_name, email, unit_name, role, start_date, title, issued_at in memberships:
        member = members.get(user_id)
        if member is None:
            members[user_id] = TeamMember(
                user_id=user_id,
                name=full_name or email,  # as User.get_full_name()
                email=email,
                unit_name=unit_name,
                roles=[labels[role]],
                start_date=start_date,
                is_new_hire=role == Role.NEW_HIRE,
                certificate_title=title or "",
                certificate_issued=issued_at.astimezone(zone).date() if issued_at else None,
            )
            continue
        member.roles.append(labels[role])
        member.start_date = min(member.start_date, start_date)
        member.is_new_hire = member.is_new_hire or role == Role.NEW_HIRE
    return members


def _add_progress(members: dict[int, TeamMember], units: list[Unit], today: datetime.date) -> None:
    """Fill completed / total / overdue per person from learning's one set of figures
    (learning.selectors.figures). One query, whatever the team size."""
    rows = _PROGRESS.rows(unit_ids=[unit.pk for unit in units], today=today)
    for user_id, figures in learning_selectors.module_figures_by_user(rows).items():
        member = members[user_id]
        member.total = figures["total"]
        member.completed = figures["completed"]
        member.overdue = figures["overdue"]
        member.introductions_open = figures["introductions_open"]


def _progress_rows(unit_ids: list[int], today: datetime.date) -> QuerySet:
    return learning_selectors.module_figures_rows(users=_team_user_ids(unit_ids), on=today)


# Building and compiling the per-person figures through the ORM cost ~1.9 ms of CPU a request
# (2.7 ms CPU with running them, against 0.8 ms compiled; min of 10 at the 500-person unit):
# compiled once per process like the chart below (core.compiled), the units and today bound
# per request.
_PROGRESS = CompiledQuery(
    "Mitt team: figures per person",
    _progress_rows,
    probes={
        "unit_ids": Many(-5_000_001, -6_000_001),
        "today": (datetime.date(1905, 7, 8), datetime.date(1907, 9, 10)),
    },
)


def _add_mentors(members: dict[int, TeamMember], units: list[Unit]) -> None:
    # "Has a mentor" as mentoring defines it (mentoring.selectors.mentored).
    for mentee_id, mentor_name in mentoring_selectors.mentors_of(
        users=_team_user_ids(units)
    ).items():
        members[mentee_id].mentor_name = mentor_name


def progress_distribution(members: list[TeamMember]) -> list[tuple[str, int]]:
    """How many people have completed 0–24 %, 25–49 %, 50–74 %, 75–99 % and 100 % of their
    modules; people with nothing to do are counted apart."""
    counts = [0] * 5  # 0–24, 25–49, 50–74, 75–99 and 100 %
    without = 0
    for member in members:
        if not member.total:
            without += 1
        elif member.completed == member.total:
            counts[4] += 1
        else:
            counts[min(member.percent // 25, 3)] += 1
    labels = [str(PERCENT_RANGE) % {"low": low, "high": low + 24} for low in (0, 25, 50, 75)]
    labels.append(str(PERCENT) % {"value": 100})
    result = list(zip(labels, counts, strict=True))
    if without:
        result.append((str(_("Inga moduler")), without))
    return result


def history_days(today: datetime.date) -> list[datetime.date]:
    """The chart's days: the same weekday in each of the last 12 weeks, today last."""
    return [today - datetime.timedelta(weeks=ago) for ago in range(HISTORY_WEEKS - 1, -1, -1)]


def overdue_history(units: list[Unit], today: datetime.date) -> list[tuple]:
    """Overdue modules at the end of each of the last 12 weeks, as learning's figures count
    them (learning.selectors.figures.overdue_history_rows): [(day, count)]. One query."""
    days = history_days(today)
    [counts] = _HISTORY.rows(unit_ids=[unit.pk for unit in units], today=today)
    return list(zip(days, (int(count) for count in counts), strict=True))


def _history_rows(unit_ids: list[int], today: datetime.date) -> QuerySet:
    return learning_selectors.overdue_history_rows(
        users=_team_user_ids(unit_ids), days=history_days(today)
    )


# Building and compiling the chart's 12 filtered sums through the ORM cost ~11 ms of CPU on
# every Mitt team request (running it ~0.7 ms): compiled once per process for each number of
# units (core.compiled), the units and the twelve days (offsets of today) bound per request.
_HISTORY = CompiledQuery(
    "Mitt team: overdue modules, 12 weeks",
    _history_rows,
    probes={
        "unit_ids": Many(-3_000_001, -4_000_001),
        "today": (datetime.date(1901, 3, 4), datetime.date(1903, 5, 6)),
    },
)


def team_overview_for(
    user: User,
    *,
    unit_id: int | None = None,
    sort: str = "namn",
    only: str = "",
    today: datetime.date | None = None,
) -> TeamOverview:
    """ "Mitt team": every person in the manager's units with progress, overdue modules, mentor
    and latest certificate, plus the charts' figures and open case alerts. 404 for a unit the
    user does not manage."""
    today = today or timezone.localdate()
    units = managed_units_for(user, unit_id=unit_id)
    members = _members(units)
    if members:
        _add_progress(members, units, today)
    awaiting = (
        learning_selectors.awaiting_sign_off_for(users=_team_user_ids(units)) if members else []
    )
    if members:
        _add_mentors(members, units)
    rows = list(members.values())
    key, reverse = SORTS.get(sort, SORTS["namn"])
    rows.sort(key=key, reverse=reverse)
    if only == "forsenade":
        rows = [row for row in rows if row.overdue]
    elif only == "utan-mentor":
        rows = [row for row in rows if row.is_new_hire and not row.mentor_name]
    elif only == "ej-klara":
        rows = [row for row in rows if not row.is_done]
    return TeamOverview(
        units=units,
        members=rows,
        distribution=progress_distribution(list(members.values())),
        overdue_history=(
            overdue_history(units, today) if members else [(day, 0) for day in history_days(today)]
        ),
        # High-risk cases without recent supervision, cases without a named supervisor.
        case_alerts=mentoring_selectors.open_case_alerts_for_units(
            [unit.pk for unit in units], today=today
        ),
        # Threats and violence: incidents this quarter and the employer's follow-up, counts only.
        incidents=safety_selectors.incidents_this_quarter(units, today=today),
        awaiting_sign_off=[
            learning_selectors.AwaitingSignOff(
                enrolment_id=enrolment_id,
                name=members[user_id].name,
                course_title=title,
                modules_completed_on=timezone.localdate(done_at),
            )
            # Everyone in the units the manager leads, except the manager (nobody signs off
            # their own introduction: learning.permissions.sign_off_scope).
            for enrolment_id, user_id, title, done_at in awaiting
            if user_id != user.pk
        ],
    )
