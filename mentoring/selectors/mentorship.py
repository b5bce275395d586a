"""Reads for mentorships, already scoped to the requesting user.

A mentorship or session that is missing and one that is not yours give the same 404. Managers
get counts and dates, never the notes: their selector returns plain values without them.
"""

import datetime
from dataclasses import dataclass
from functools import cached_property

from django.db import router
from django.db.models import (
    DEFERRED,
    Count,
    DateField,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from content.models import ModulePage
from core.compiled import CompiledQuery
from core.dates import add_months, start_date_problem
from learning import selectors as learning_selectors
from learning.models import ModuleProgress
from mentoring import permissions
from mentoring.matching import NoProposal
from mentoring.models import (
    OPEN_STATUSES,
    AgendaItem,
    MatchingRun,
    MatchProposal,
    MenteeNeeds,
    MentorChangeRequest,
    MentorProfile,
    Mentorship,
    Specialisation,
    SupervisionSession,
)
from people import permissions as people_permissions
from people.models import Membership, Organisation, Role, Unit, User


def default_frequency_days(start_date: datetime.date | None, on: datetime.date) -> int:
    """The first year's rhythm: weekly for 6 weeks, every other week until month 6, then
    monthly (counted from the mentee's start date)."""
    if start_date is None:
        return 30
    if on < start_date + datetime.timedelta(weeks=6):
        return 7
    if on < add_months(start_date, 6):
        return 14
    return 30


def mentee_start_date(memberships) -> datetime.date | None:
    """The new hire's start date, from their memberships (prefetched or a queryset)."""
    dates = [m.start_date for m in memberships if m.role == Role.NEW_HIRE]
    dates = dates or [m.start_date for m in memberships]
    return min(dates) if dates else None


_READ_MEMBERSHIPS = object()


def frequency_days(
    mentorship: Mentorship, *, on: datetime.date, mentee_start=_READ_MEMBERSHIPS
) -> int:
    """Days between check-ins: the pair's own plan, else the first year's rhythm from the
    mentee's start date: `mentee_start` where the caller read it with the mentorship (the
    overviews, `_figures`), else from the mentee's memberships (prefetch
    `mentee__memberships` for many mentorships)."""
    if mentorship.planned_frequency_days:
        return mentorship.planned_frequency_days
    if mentee_start is _READ_MEMBERSHIPS:
        mentee_start = mentee_start_date(mentorship.mentee.memberships.all())
    return default_frequency_days(mentee_start, on)


@dataclass
class MentorshipSummary:
    mentorship: Mentorship
    session_count: int
    last_session: datetime.date | None
    frequency_days: int
    too_fast_checks: int = 0
    asked_to_reread: bool = False

    # Cached: a list page reads each of these two or three times a row (issue 23).
    @cached_property
    def next_due(self) -> datetime.date | None:
        base = self.last_session or self.mentorship.start_date
        return base + datetime.timedelta(days=self.frequency_days) if base else None

    @cached_property
    def is_overdue(self) -> bool:
        # A booked meeting is the plan: nobody is late while one is in the calendar.
        due = self.next_due
        return (
            self.mentorship.status == Mentorship.Status.ACTIVE
            and not self.mentorship.has_booked_meeting
            and due is not None
            and due < timezone.localdate()
        )

    @property
    def session_count_label(self) -> str:
        """ "3 samtal", as the template's {% blocktranslate count %} gave it, for a tenth of
        its cost (issue 23: 0.9 ms of CPU for 10 rows)."""
        count = self.session_count
        return ngettext("%(counter)s samtal", "%(counter)s samtal", count) % {"counter": count}


def _figures() -> dict:
    """The annotations both overviews read per mentorship: its sessions (count, last date)
    and the mentee's start date as `mentee_start_date` defines it (the earliest new-hire
    membership, else the earliest of any), so no membership rows are fetched to find it.

    Per mentorship by subquery, not a join with GROUP BY: grouped, every session row carried
    the knowledge-check subqueries (126 evaluations for 10 mentees) and the whole row was
    sorted to group it; half the query's time at 30,000 staff (issue 23)."""
    sessions = SupervisionSession.objects.filter(mentorship=OuterRef("pk")).order_by()
    sessions = sessions.values("mentorship")
    starts = (
        Membership.objects.filter(user=OuterRef("mentee"))
        .order_by()
        .values("user")
        .annotate(
            start=Coalesce(Min("start_date", filter=Q(role=Role.NEW_HIRE)), Min("start_date"))
        )
    )
    return {
        "session_count": Coalesce(
            Subquery(sessions.annotate(n=Count("pk")).values("n"), output_field=IntegerField()),
            0,
        ),
        "last_session": Subquery(
            sessions.annotate(last=Max("date")).values("last"), output_field=DateField()
        ),
        "mentee_start": Subquery(starts.values("start"), output_field=DateField()),
    }


def _summary(row: Mentorship, *, today: datetime.date) -> MentorshipSummary:
    return MentorshipSummary(
        row,
        row.session_count,
        row.last_session,
        frequency_days(row, on=today, mentee_start=row.mentee_start),
        too_fast_checks=getattr(row, "too_fast_checks", 0),
        asked_to_reread=getattr(row, "asked_to_reread", False),
    )


def _summaries(mentorships: QuerySet[Mentorship]) -> list[MentorshipSummary]:
    today = timezone.localdate()
    rows = (
        mentorships.select_related("mentor", "mentee", "organisation")
        .annotate(**_figures())
        .order_by("mentee__full_name")
    )
    return [_summary(row, today=today) for row in rows]


# --- "Mina adepter", compiled once per process -----------------------------------------------
# Building this query and compiling it (five subqueries) cost more CPU than PostgreSQL spends
# on it, on every request: the selector took 9.5 ms of CPU for 10 mentees at 30,000 staff,
# 1.0 ms compiled once (issue 23, session 31). Its SQL only changes with the mentor, so it
# is compiled once per process (core.compiled), for two made-up mentors: the parameters that
# differ between them are the mentor's id, the rest are constants (the statuses, the new-hire
# role); anything else and it is built per request, as before.
_PROBE_MENTORS = (-2_000_000_011, -2_000_000_029)
# What the page reads of a mentorship and its mentee; the rest of their fields stay deferred
# (a template that reads one more costs a query, and the exact query counts catch it).
_MENTORSHIP_FIELDS = (
    "id",
    "mentee_id",
    "status",
    "start_date",
    "planned_frequency_days",
    "next_meeting_date",
)
_MENTEE_FIELDS = ("mentee__email", "mentee__full_name")
_MENTEE_ANNOTATIONS = (
    "session_count",
    "last_session",
    "mentee_start",
    "too_fast_checks",
    "asked_to_reread",
)


def _mentees_query(mentor_id: int) -> QuerySet:
    return (
        Mentorship.objects.filter(mentor_id=mentor_id, status__in=OPEN_STATUSES)
        .annotate(
            **_figures(),
            # Subqueries in the same query: the count stays the same whatever the number.
            too_fast_checks=learning_selectors.too_fast_checks_of(OuterRef("mentee")),
            asked_to_reread=learning_selectors.asked_to_reread(OuterRef("mentee")),
        )
        .order_by("mentee__full_name")
        .values(*_MENTORSHIP_FIELDS, *_MENTEE_FIELDS, *_MENTEE_ANNOTATIONS)
    )


_MENTEES = CompiledQuery("Mina adepter", _mentees_query, probes={"mentor_id": _PROBE_MENTORS})


def _mentee_rows(mentor_id: int) -> list[dict]:
    return _MENTEES.rows(mentor_id=mentor_id)


def _deferred(model, db: str, values: dict):
    """A model instance from some of its fields, the rest deferred (as `.only()` gives)."""
    fields = model._meta.concrete_fields
    return model.from_db(
        db,
        [f.attname for f in fields if f.attname in values],
        [values.get(f.attname, DEFERRED) for f in fields],
    )


def mentees_for_mentor(user: User) -> list[MentorshipSummary]:
    """ "Mina adepter": the mentor's own open mentorships, in one query whatever their number,
    with each mentee's knowledge checks submitted faster than the module's minimum time and
    whether a check's failures have them asked to re-read a module and talk to the mentor."""
    today = timezone.localdate()
    db = router.db_for_read(Mentorship)
    summaries = []
    for row in _mentee_rows(user.pk):
        mentorship = _deferred(
            Mentorship,
            db,
            {name: row[name] for name in _MENTORSHIP_FIELDS} | {"mentor_id": user.pk},
        )
        mentorship.mentor = user
        mentorship.mentee = _deferred(
            User,
            db,
            {
                "id": row["mentee_id"],
                "email": row["mentee__email"],
                "full_name": row["mentee__full_name"],
            },
        )
        for name in _MENTEE_ANNOTATIONS:
            setattr(mentorship, name, row[name])
        summaries.append(_summary(mentorship, today=today))
    return summaries


def mentorships_for_mentee(user: User) -> list[MentorshipSummary]:
    """ "Min mentor": the mentee's open mentorship (and proposals waiting for an answer)."""
    return _summaries(Mentorship.objects.filter(mentee=user, status__in=OPEN_STATUSES))


def _participant_mentorships(user: User) -> QuerySet[Mentorship]:
    return Mentorship.objects.filter(Q(mentor=user) | Q(mentee=user))


def get_mentorship_for(user: User, *, pk: int) -> Mentorship:
    """A mentorship the user is mentor or mentee in; 404 otherwise (missing or not theirs)."""
    mentorship = (
        _participant_mentorships(user)
        .filter(pk=pk)
        .select_related("mentor", "mentee", "organisation")
        .first()
    )
    if mentorship is None:
        raise Http404
    return mentorship


def get_mentorship_to_log(user: User, *, pk: int) -> Mentorship:
    """A mentorship the user mentors, to log a session in; 404 for the mentee as for anyone
    else (the mentor writes the session record, the mentee confirms it)."""
    mentorship = get_mentorship_for(user, pk=pk)
    if not permissions.mentorship_access(user, mentorship).can_log_session:
        raise Http404
    return mentorship


def sessions_of(mentorship: Mentorship) -> QuerySet[SupervisionSession]:
    """Sessions of a mentorship the caller already reached through get_mentorship_for."""
    return mentorship.sessions.order_by("-date", "-created_at")


def get_session_for(user: User, *, pk: int) -> SupervisionSession:
    """A session of the user's own mentorship; notes are for the mentor and the mentee only."""
    session = (
        SupervisionSession.objects.filter(
            Q(mentorship__mentor=user) | Q(mentorship__mentee=user), pk=pk
        )
        .select_related("mentorship__mentor", "mentorship__mentee")
        .prefetch_related("topics", "modules", "agenda_items__module")
        .first()
    )
    if session is None:
        raise Http404
    return session


def get_session_to_confirm(user: User, *, pk: int) -> SupervisionSession:
    """A session of the user's own mentorship as mentee, to confirm; 404 for everyone else."""
    session = get_session_for(user, pk=pk)
    if not permissions.mentorship_access(user, session.mentorship).can_confirm_session:
        raise Http404
    return session


@dataclass
class AgendaEntry:
    key: str
    module: ModulePage
    position: int
    prompt: str
    is_new: bool


def agenda_for(mentorship: Mentorship) -> list[AgendaEntry]:
    """ "Att ta upp med din mentor": reflection prompts of modules the mentee completed since the
    last logged session, plus earlier ones not yet discussed. Three queries."""
    stored = list(AgendaItem.objects.filter(mentorship=mentorship).select_related("module"))
    stored_keys = {(item.module_id, item.position) for item in stored}
    entries = [
        AgendaEntry(f"{i.module_id}:{i.position}", i.module, i.position, i.prompt, False)
        for i in stored
        if i.discussed_in_id is None
    ]
    last_logged = mentorship.sessions.aggregate(last=Max("created_at"))["last"]
    progress = ModuleProgress.objects.filter(
        enrolment__user_id=mentorship.mentee_id, completed_at__isnull=False
    ).select_related("module")
    if last_logged is not None:
        progress = progress.filter(completed_at__gt=last_logged)
    for row in progress.order_by("completed_at"):
        for position, prompt in enumerate(row.module.reflection_prompts()):
            if (row.module_id, position) not in stored_keys:
                entries.append(
                    AgendaEntry(f"{row.module_id}:{position}", row.module, position, prompt, True)
                )
    return entries


def modules_for_mentee(mentorship: Mentorship) -> QuerySet[ModulePage]:
    """Modules the mentee has started: the curriculum the session can refer to."""
    return ModulePage.objects.filter(progress__enrolment__user_id=mentorship.mentee_id).distinct()


@dataclass
class MatchingScope:
    organisation: Organisation
    unit: Unit | None

    @property
    def label(self) -> str:
        return str(self.unit) if self.unit else str(self.organisation)


def matching_scopes_for(user: User) -> list[MatchingScope]:
    """Where the user may run matching; 404 for anyone who may run it nowhere."""
    organisation_ids, unit_ids = permissions.matching_scopes(user)
    scopes = [
        MatchingScope(organisation, None)
        for organisation in Organisation.objects.filter(pk__in=organisation_ids)
    ]
    scopes += [
        MatchingScope(unit.organisation, unit)
        for unit in Unit.objects.filter(pk__in=unit_ids)
        .exclude(organisation_id__in=organisation_ids)
        .select_related("organisation")
    ]
    if not scopes:
        raise Http404
    return scopes


def _runs_for(user: User) -> QuerySet[MatchingRun]:
    organisation_ids, unit_ids = permissions.matching_scopes(user)
    return MatchingRun.objects.filter(
        Q(organisation_id__in=organisation_ids) | Q(unit_id__in=unit_ids)
    ).select_related("organisation", "unit", "run_by")


def recent_runs_for(user: User) -> QuerySet[MatchingRun]:
    return _runs_for(user).annotate(proposal_count=Count("proposals"))[:10]


def get_run_for(user: User, *, pk: int) -> MatchingRun:
    run = _runs_for(user).filter(pk=pk).first()
    if run is None:
        raise Http404
    return run


def proposals_of(run: MatchingRun) -> QuerySet[MatchProposal]:
    return run.proposals.select_related("mentor", "mentee", "mentorship").order_by(
        "mentee__full_name"
    )


def get_proposal_for(user: User, *, pk: int) -> MatchProposal:
    proposal = (
        MatchProposal.objects.filter(run__in=_runs_for(user), pk=pk)
        .select_related("run__organisation", "run__unit", "mentor", "mentee")
        .first()
    )
    if proposal is None:
        raise Http404
    return proposal


def unit_overview_for(user: User) -> list[dict]:
    """For first-line managers: who has a mentor and that sessions happen (count, last date),
    for new hires in the units they manage; never notes or reflections."""
    unit_ids = permissions.matching_scopes(user)[1]
    if not unit_ids:
        raise Http404
    mentee_ids = Membership.objects.filter(unit_id__in=unit_ids, role=Role.NEW_HIRE).values(
        "user_id"
    )
    return list(
        Mentorship.objects.filter(mentee_id__in=mentee_ids, status__in=OPEN_STATUSES)
        .annotate(
            session_count=Count("sessions"),
            last_session=Max("sessions__date"),
            confirmed_count=Count("sessions", filter=Q(sessions__confirmed_at__isnull=False)),
        )
        .values(
            "pk",
            "mentee__full_name",
            "mentor__full_name",
            "status",
            "start_date",
            "session_count",
            "confirmed_count",
            "last_session",
        )
        .order_by("mentee__full_name")
    )


def mentor_choices_for(run: MatchingRun) -> QuerySet[User]:
    """Mentors an admin may pick by hand for a run: active profiles in the run's county."""
    return (
        User.objects.filter(
            mentor_profile__is_active=True,
            memberships__organisation__county=run.organisation.county,
            memberships__role__in=permissions.MENTOR_ROLES,
        )
        .distinct()
        .order_by("full_name")
    )


def nav_for(user: User) -> dict:
    """What the mentoring start page offers the user."""
    organisation_ids, unit_ids = permissions.matching_scopes(user)
    return {
        # Roles come from the memberships people.permissions already holds for the request.
        "is_mentor": permissions.may_mentor(user)
        or hasattr(user, "mentor_profile")
        or Mentorship.objects.filter(mentor=user).exists(),
        "is_mentee": people_permissions.has_role(user, *permissions.MENTEE_ROLES),
        "can_match": bool(organisation_ids or unit_ids),
        "is_manager": bool(unit_ids),
    }


def mentor_profile_of(user: User) -> MentorProfile | None:
    return MentorProfile.objects.filter(user=user).prefetch_related("specialisations").first()


def mentee_needs_of(user: User) -> MenteeNeeds | None:
    return MenteeNeeds.objects.filter(user=user).prefetch_related("specialisations").first()


# --------------------------------------------------------------------------------------------
# One set of figures (issue 19): "has a mentor"
# --------------------------------------------------------------------------------------------
# A proposed pairing is not yet a mentor; a paused one still is.
MENTORED_STATUSES = (Mentorship.Status.ACTIVE, Mentorship.Status.PAUSED)


def mentored(*, users=None) -> QuerySet:
    """The ids of the people who have a mentor, as a subquery: the definition of "has a
    mentor". A person has a mentor while a mentorship with them as mentee is active or paused;
    a proposal not yet accepted is not a mentor, an ended or declined mentorship no longer is.
    `users`: ids or a subquery of ids to restrict to."""
    rows = Mentorship.objects.filter(status__in=MENTORED_STATUSES)
    if users is not None:
        rows = rows.filter(mentee_id__in=users)
    return rows.values("mentee_id")


def mentors_of(*, users) -> dict[int, str]:
    """{person id: their mentor's name} for the people among `users` who have a mentor (as
    `mentored` defines it). One query."""
    rows = (
        Mentorship.objects.filter(status__in=MENTORED_STATUSES, mentee_id__in=users)
        .order_by("mentee_id", "pk")
        .values_list("mentee_id", "mentor__full_name", "mentor__email")
    )
    return {mentee_id: name or email for mentee_id, name, email in rows}


# --------------------------------------------------------------------------------------------
# Matching: who got no proposal, and what a proposed mentor needs to decide
# --------------------------------------------------------------------------------------------
NO_PROPOSAL_REASONS = {
    NoProposal.NO_MENTOR_NEARBY: _(
        "Ingen mentor i kommunen, och ingen i länet som tar emot adepter från andra kommuner."
    ),
    NoProposal.ALL_DECLINED: _("Alla mentorer som kunde passa har redan tackat nej."),
    NoProposal.NO_FREE_PLACE: _("Mentorerna som kunde passa har inga lediga platser."),
    NoProposal.WAITING_FOR_ANSWER: _("Har redan ett förslag som väntar på svar."),
}


@dataclass
class NoProposalRow:
    name: str
    units: str
    start_date: datetime.date
    reason: str


def no_proposal_of(run: MatchingRun, *, today: datetime.date) -> list[NoProposalRow]:
    """The people without a mentor who got no proposal in the run, with why (stored with the
    run), ordered by start date; only those whose start date is plausible (core.dates: a
    start date years back is someone who is no longer new, or a mistyped year). One query."""
    reasons = dict(run.parameters.get("no_proposal", []))
    if not reasons:
        return []
    memberships = Membership.objects.filter(
        user_id__in=reasons, organisation=run.organisation, role__in=permissions.MENTEE_ROLES
    )
    if run.unit_id is not None:
        memberships = memberships.filter(unit_id=run.unit_id)
    people: dict[int, dict] = {}
    for user_id, name, email, unit_name, start in memberships.order_by("unit__name").values_list(
        "user_id", "user__full_name", "user__email", "unit__name", "start_date"
    ):
        person = people.setdefault(user_id, {"name": name or email, "units": [], "start": start})
        if unit_name and unit_name not in person["units"]:
            person["units"].append(unit_name)
        person["start"] = min(person["start"], start)
    rows = [
        NoProposalRow(
            name=person["name"],
            units=", ".join(person["units"]),
            start_date=person["start"],
            reason=str(NO_PROPOSAL_REASONS.get(reasons[user_id], "")),
        )
        for user_id, person in people.items()
        if start_date_problem(person["start"], today=today) is None
    ]
    return sorted(rows, key=lambda row: (row.start_date, row.name))


@dataclass
class ProposalBrief:
    """What a proposed mentor needs to decide: who the mentee is and why the pair fits."""

    units: str
    start_date: datetime.date | None
    wishes: str
    wished_specialisations: list[str]
    reasons: list[str]


def proposal_brief_for(mentorship: Mentorship) -> ProposalBrief:
    """The mentee's units and start date in the mentorship's municipality, their own wishes for
    matching, and the match's reasons as the run stored them. Four queries."""
    memberships = list(
        Membership.objects.filter(
            user_id=mentorship.mentee_id, organisation_id=mentorship.organisation_id
        )
        .select_related("unit")
        .order_by("unit__name")
    )
    wishes = MenteeNeeds.objects.filter(user_id=mentorship.mentee_id).values_list(
        "wishes", flat=True
    )
    wished = Specialisation.objects.filter(mentees__user_id=mentorship.mentee_id)
    proposal = mentorship.proposal
    return ProposalBrief(
        units=", ".join(dict.fromkeys(m.unit.name for m in memberships if m.unit)),
        start_date=mentee_start_date(memberships),
        wishes=next(iter(wishes), ""),
        wished_specialisations=list(wished.order_by("name").values_list("name", flat=True)),
        reasons=proposal.reason_texts if proposal is not None else [],
    )


# Lifecycle (issue 18): ending, changing mentor, change requests, session edits, meetings
# --------------------------------------------------------------------------------------------
# An open mentorship is one that counts as having a mentor (MENTORED_STATUSES above).


def get_mentorship_to_end(user: User, *, pk: int) -> Mentorship:
    """A mentorship the user may end: as its mentor, or as the municipal admin or a manager of
    the mentee; 404 for the mentee and everyone else (an ended one is still found, so a
    second click is told it is already ended)."""
    mentorship = (
        Mentorship.objects.filter(Q(mentor=user) | permissions.steward_scope(user), pk=pk)
        .exclude(status__in=(Mentorship.Status.PROPOSED, Mentorship.Status.DECLINED))
        .select_related("mentor", "mentee", "organisation")
        .first()
    )
    if mentorship is None:
        raise Http404
    return mentorship


def get_mentorship_to_change(user: User, *, pk: int) -> Mentorship:
    """A mentorship whose mentor the user may change: the admin's or manager's only."""
    mentorship = (
        Mentorship.objects.filter(permissions.steward_scope(user), pk=pk)
        .exclude(status__in=(Mentorship.Status.PROPOSED, Mentorship.Status.DECLINED))
        .select_related("mentor", "mentee", "organisation")
        .first()
    )
    if mentorship is None:
        raise Http404
    return mentorship


def get_mentorship_to_request_change(user: User, *, pk: int) -> Mentorship:
    """The mentee's own open mentorship, to ask privately for another mentor."""
    mentorship = (
        Mentorship.objects.filter(mentee=user, pk=pk, status__in=MENTORED_STATUSES)
        .select_related("mentor", "mentee")
        .first()
    )
    if mentorship is None:
        raise Http404
    return mentorship


def get_mentorship_to_book(user: User, *, pk: int) -> Mentorship:
    """An open mentorship the user is mentor or mentee in, to book the next meeting."""
    mentorship = (
        _participant_mentorships(user)
        .filter(pk=pk, status__in=MENTORED_STATUSES)
        .select_related("mentor", "mentee")
        .first()
    )
    if mentorship is None:
        raise Http404
    return mentorship


@dataclass
class StewardPage:
    """The admin's or manager's "Mentorskap att följa": open change requests first (the mentee
    asked privately), then the open mentorships they may end or change."""

    requests: list
    mentorships: list


def stewardship_for(user: User) -> StewardPage:
    """Two queries whatever the number; 404 for anyone who looks after no mentorship."""
    if not permissions.may_steward(user):
        raise Http404
    scope = permissions.steward_scope(user)
    requests = list(
        MentorChangeRequest.objects.filter(
            status=MentorChangeRequest.Status.OPEN,
            mentorship__in=Mentorship.objects.filter(scope),
        )
        .select_related("mentorship__mentor", "mentorship__mentee")
        .order_by("created_at")
    )
    mentorships = list(
        Mentorship.objects.filter(scope, status__in=MENTORED_STATUSES)
        .select_related("mentor", "mentee")
        .order_by("mentee__full_name")
    )
    return StewardPage(requests=requests, mentorships=mentorships)


def get_change_request_for(user: User, *, pk: int) -> MentorChangeRequest:
    """A change request in the user's stewardship; 404 for the mentor as for anyone else."""
    request = (
        MentorChangeRequest.objects.filter(
            pk=pk, mentorship__in=Mentorship.objects.filter(permissions.steward_scope(user))
        )
        .select_related("mentorship__mentor", "mentorship__mentee")
        .first()
    )
    if request is None:
        raise Http404
    return request


def open_change_request_of(mentorship: Mentorship) -> MentorChangeRequest | None:
    return mentorship.change_requests.filter(status=MentorChangeRequest.Status.OPEN).first()


def new_mentor_choices(mentorship: Mentorship) -> QuerySet[User]:
    """Mentors the admin may pick in a change: active profiles in the mentee's county, neither
    the present mentor nor the mentee (the service checks free places)."""
    return (
        User.objects.filter(
            is_active=True,
            mentor_profile__is_active=True,
            memberships__organisation__county=mentorship.organisation.county,
            memberships__role__in=permissions.MENTOR_ROLES,
        )
        .exclude(pk__in=[mentorship.mentor_id, mentorship.mentee_id])
        .distinct()
        .order_by("full_name")
    )


def history_for_mentee(user: User) -> list[Mentorship]:
    """The mentee's ended mentorships, newest first, each with who took over after it."""
    return list(
        Mentorship.objects.filter(mentee=user, status=Mentorship.Status.ENDED)
        .select_related("mentor", "successor__mentor")
        .order_by("-end_date", "-created_at")
    )


def get_session_to_edit(user: User, *, pk: int) -> SupervisionSession:
    """A session the user logged as mentor, to change or delete; 404 for everyone else (the
    service says when the 14 days have passed)."""
    session = (
        SupervisionSession.objects.filter(mentorship__mentor=user, pk=pk)
        .select_related("mentorship__mentor", "mentorship__mentee")
        .prefetch_related("topics", "modules")
        .first()
    )
    if session is None:
        raise Http404
    return session


def booked_meeting_events(user: User, *, since: datetime.date | None = None) -> list[Mentorship]:
    """Open mentorships of the user (as mentor or mentee) with a booked meeting, for the
    calendar; one query."""
    rows = _participant_mentorships(user).filter(
        status__in=MENTORED_STATUSES, next_meeting_date__isnull=False
    )
    if since is not None:
        rows = rows.filter(next_meeting_date__gte=since)
    return list(rows.select_related("mentor", "mentee"))
