"""Mentoring's part of "Väntar på mig" (people.waiting): the mentorship (proposals to answer,
the next booked meeting, sessions to confirm), the mentees' private change requests for the
admin or manager, reviews to sign and open cases with an alert.

Each group gives its rows to the block's one query (people.waiting.Part) and makes its items
from them here; names and entrustment levels come with the rows, so nothing is read twice."""

import datetime

from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import format_date
from mentoring import permissions, selectors
from mentoring.models import (
    HIGH_RISK_LEVELS,
    CaseAlert,
    CaseStage,
    MentorChangeRequest,
    Mentorship,
    SupervisedCase,
    SupervisionSession,
)
from mentoring.selectors.cases import current_level_subquery, signed_decision_reviews
from people import waiting
from people.models import LEARNER_ROLES, Role

PROPOSAL_TO_ANSWER = _("Svara på förslaget om mentorskap med %(name)s")
NEXT_MEETING = _("Nästa mentorsträff med %(name)s")
SESSION_TO_CONFIRM = _("Bekräfta samtalet %(date)s med %(name)s")
CHANGE_REQUEST = _("%(name)s önskar byta mentor")
REVIEW_TO_SIGN = _("Signera genomgången i ärende %(reference)s")
CASE_ALERT = _("Ärende %(reference)s: %(message)s")

PROPOSAL, MEETING, SESSION = "proposal", "meeting", "session"


def _date(day: datetime.date) -> str:
    return format_date(day)


def _by_day(row) -> tuple:
    # Undated rows last, as PostgreSQL orders NULLs in an ascending ORDER BY.
    return (row["w_day"] is None, row["w_day"] or datetime.date.min, row["w_id"])


def mentorship_parts(context) -> list[waiting.Part]:
    """Proposals the user has not answered, open mentorships with a meeting booked from today,
    and sessions waiting for the user's confirmation as mentee."""
    user, today = context.user, context.today
    proposed = Q(status=Mentorship.Status.PROPOSED) & (
        Q(mentor=user, mentor_accepted_at__isnull=True)
        | Q(mentee=user, mentee_accepted_at__isnull=True)
    )
    booked = Q(status__in=selectors.MENTORED_STATUSES, next_meeting_date__gte=today)
    mentorships = Mentorship.objects.filter(Q(mentor=user) | Q(mentee=user)).filter(
        proposed | booked
    )
    sessions = SupervisionSession.objects.filter(
        mentorship__mentee=user,
        mentorship__status__in=selectors.MENTORED_STATUSES,
        confirmed_at__isnull=True,
    )
    return [
        waiting.Part(
            mentorships,
            kind=Case(
                When(status=Mentorship.Status.PROPOSED, then=Value(PROPOSAL)),
                default=Value(MEETING),
            ),
            columns={
                "id": "pk",
                "day": "next_meeting_date",
                "time": "next_meeting_time",
                "text": "next_meeting_place",
                # The other person: the mentee for the mentor, the mentor for the mentee.
                "name": Case(
                    When(mentor_id=user.pk, then=waiting.name_of("mentee_id")),
                    default=waiting.name_of("mentor_id"),
                ),
            },
        ),
        waiting.Part(
            sessions,
            kind=SESSION,
            columns={"id": "pk", "day": "date", "name": waiting.name_of("mentorship__mentor_id")},
        ),
    ]


def mentorship_items(rows, context) -> list[waiting.WaitingItem]:
    items = []
    for row in sorted((r for r in rows if r["w_kind"] != SESSION), key=_by_day):
        if row["w_kind"] == PROPOSAL:
            items.append(
                waiting.WaitingItem(
                    title=str(PROPOSAL_TO_ANSWER % {"name": row["w_name"]}),
                    url=reverse("mentoring:respond", args=[row["w_id"]]),
                )
            )
            continue
        when = _date(row["w_day"])
        if row["w_time"] is not None:
            when = f"{when} {_('kl.')} {row['w_time']:%H:%M}"
        detail = f"{when}, {row['w_text']}" if row["w_text"] else when
        items.append(
            waiting.WaitingItem(
                title=str(NEXT_MEETING % {"name": row["w_name"]}),
                url=reverse("mentoring:mentorship", args=[row["w_id"]]),
                detail=detail,
                day=row["w_day"],
            )
        )
    for row in sorted((r for r in rows if r["w_kind"] == SESSION), key=_by_day):
        items.append(
            waiting.WaitingItem(
                title=str(
                    SESSION_TO_CONFIRM % {"date": _date(row["w_day"]), "name": row["w_name"]}
                ),
                url=reverse("mentoring:confirm_session", args=[row["w_id"]]),
                day=row["w_day"],
            )
        )
    return items


def change_request_parts(context) -> list[waiting.Part]:
    """Open requests about the mentorships the admin or manager looks after (the mentor never
    sees one: the steward scope, read by the database)."""
    requests = MentorChangeRequest.objects.filter(
        status=MentorChangeRequest.Status.OPEN,
        mentorship__in=Mentorship.objects.filter(permissions.steward_scope_query(context.user)),
    )
    return [
        waiting.Part(
            requests,
            kind="change_request",
            columns={
                "id": "mentorship_id",
                "at": "created_at",
                "name": waiting.name_of("mentorship__mentee_id"),
            },
        )
    ]


def change_request_items(rows, context) -> list[waiting.WaitingItem]:
    return [
        waiting.WaitingItem(
            title=str(CHANGE_REQUEST % {"name": row["w_name"]}),
            url=reverse("mentoring:change_mentor", args=[row["w_id"]]),
            day=timezone.localdate(row["w_at"]),
        )
        for row in sorted(rows, key=lambda row: row["w_at"])
    ]


def review_parts(context) -> list[waiting.Part]:
    """Open high-risk cases in the decision stage where the user is the named supervisor and
    no signed decision review exists yet (the holder's decision waits on it)."""
    signed = signed_decision_reviews().filter(case=OuterRef("pk"))
    cases = SupervisedCase.objects.filter(
        supervisor=context.user,
        stage=CaseStage.DECISION,
        case_type__risk_level__in=HIGH_RISK_LEVELS,
    ).exclude(Exists(signed))
    return [
        waiting.Part(
            cases, kind="review", columns={"id": "pk", "day": "opened_on", "text": "reference"}
        )
    ]


def review_items(rows, context) -> list[waiting.WaitingItem]:
    return [
        waiting.WaitingItem(
            title=str(REVIEW_TO_SIGN % {"reference": row["w_text"]}),
            url=reverse("mentoring:review_new", args=[row["w_id"]]),
        )
        for row in sorted(rows, key=_by_day)
    ]


def alert_parts(context) -> list[waiting.Part]:
    """Open cases the user holds or supervises, with what the alert rules read (the latest
    review, the holder's current level): the same rules as the daily alert email and "Mitt
    team" (selectors.alert_conditions) are applied to the rows."""
    user = context.user
    cases = selectors.open_cases_for_alerts(
        SupervisedCase.objects.filter(Q(holder=user) | Q(supervisor=user))
    )
    return [
        waiting.Part(
            cases,
            kind="alert",
            columns={
                "id": "pk",
                "text": "reference",
                "day": "opened_on",
                "day2": "last_review",
                "code": "case_type__risk_level",
                "ref1": "holder_id",
                "ref2": "case_type_id",
                "ref3": "supervisor_id",
                "number": current_level_subquery("holder_id", "case_type_id", today=context.today),
            },
        )
    ]


def alert_items(rows, context) -> list[waiting.WaitingItem]:
    cases, levels = [], {}
    for row in sorted(rows, key=_by_day):
        case = selectors.AlertCase(
            pk=row["w_id"],
            reference=row["w_text"],
            opened_on=row["w_day"],
            holder_id=row["w_ref1"],
            case_type_id=row["w_ref2"],
            supervisor_id=row["w_ref3"],
            case_type=selectors.AlertCaseType(risk_level=row["w_code"]),
            last_review=row["w_day2"],
        )
        cases.append(case)
        if row["w_number"] is not None:
            levels[(case.holder_id, case.case_type_id)] = row["w_number"]
    return [
        waiting.WaitingItem(
            title=str(CASE_ALERT % {"reference": c.case.reference, "message": c.message}),
            url=reverse("mentoring:case", args=[c.case.pk]),
            day=c.since,
            # The badge says "Försenad": a review overdue is late, a missing supervisor is not
            # late but missing (the alert's own words say so), and a badge would mislabel it.
            is_urgent=c.kind == CaseAlert.Kind.NO_RECENT_REVIEW,
        )
        for c in selectors.alert_conditions(cases, today=context.today, levels=levels)
    ]


def register() -> None:
    waiting.register(
        waiting.Provider(
            "mentoring.mentorship",
            _("Mentorskap"),
            parts=mentorship_parts,
            render=mentorship_items,
            order=10,
            roles=frozenset(LEARNER_ROLES),
        )
    )
    waiting.register(
        waiting.Provider(
            "mentoring.change_requests",
            _("Önskemål om byte av mentor"),
            parts=change_request_parts,
            render=change_request_items,
            order=20,
            roles=frozenset({Role.MUNICIPAL_ADMIN, Role.MANAGER}),
        )
    )
    waiting.register(
        waiting.Provider(
            "mentoring.reviews",
            _("Genomgångar att signera"),
            parts=review_parts,
            render=review_items,
            order=30,
            roles=frozenset(permissions.SUPERVISOR_ROLES),
        )
    )
    waiting.register(
        waiting.Provider(
            "mentoring.alerts",
            _("Ärenden med larm"),
            parts=alert_parts,
            render=alert_items,
            order=40,
            roles=frozenset({*permissions.CASE_HOLDER_ROLES, *permissions.SUPERVISOR_ROLES}),
        )
    )
