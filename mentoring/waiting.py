"""Mentoring's part of "Väntar på mig" (people.waiting): the mentorship (proposals to answer,
the next booked meeting, sessions to confirm), the mentees' private change requests for the
admin or manager, reviews to sign and open cases with an alert."""

import datetime

from django.db.models import Exists, OuterRef, Q
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
from mentoring.selectors.cases import signed_decision_reviews
from people import permissions as people_permissions
from people import waiting

PROPOSAL_TO_ANSWER = _("Svara på förslaget om mentorskap med %(name)s")
NEXT_MEETING = _("Nästa mentorsträff med %(name)s")
SESSION_TO_CONFIRM = _("Bekräfta samtalet %(date)s med %(name)s")
CHANGE_REQUEST = _("%(name)s önskar byta mentor")
REVIEW_TO_SIGN = _("Signera genomgången i ärende %(reference)s")
CASE_ALERT = _("Ärende %(reference)s: %(message)s")


def _date(day: datetime.date) -> str:
    return format_date(day)


def mentorship_items(user, hints) -> list[waiting.WaitingItem]:
    """Two queries: the user's proposed and open mentorships, and sessions waiting for the
    user's confirmation as mentee."""
    if not people_permissions.is_learner(user):
        return []  # admins, editors, course leaders: no query
    today = timezone.localdate()
    items = []
    rows = (
        Mentorship.objects.filter(Q(mentor=user) | Q(mentee=user))
        .filter(status__in=(Mentorship.Status.PROPOSED, *selectors.MENTORED_STATUSES))
        .select_related("mentor", "mentee")
        .order_by("next_meeting_date", "pk")
    )
    for m in rows:
        as_mentor = m.mentor_id == user.pk
        other = (m.mentee if as_mentor else m.mentor).get_full_name()
        if m.is_proposed:
            answered = m.mentor_accepted_at if as_mentor else m.mentee_accepted_at
            if answered is None:
                items.append(
                    waiting.WaitingItem(
                        title=str(PROPOSAL_TO_ANSWER % {"name": other}),
                        url=reverse("mentoring:respond", args=[m.pk]),
                    )
                )
        elif m.next_meeting_date is not None and m.next_meeting_date >= today:
            when = _date(m.next_meeting_date)
            if m.next_meeting_time is not None:
                when = f"{when} {_('kl.')} {m.next_meeting_time:%H:%M}"
            detail = f"{when}, {m.next_meeting_place}" if m.next_meeting_place else when
            items.append(
                waiting.WaitingItem(
                    title=str(NEXT_MEETING % {"name": other}),
                    url=reverse("mentoring:mentorship", args=[m.pk]),
                    detail=detail,
                    day=m.next_meeting_date,
                )
            )
    sessions = SupervisionSession.objects.filter(
        mentorship__mentee=user,
        mentorship__status__in=selectors.MENTORED_STATUSES,
        confirmed_at__isnull=True,
    ).select_related("mentorship__mentor")
    for s in sessions.order_by("date", "pk"):
        items.append(
            waiting.WaitingItem(
                title=str(
                    SESSION_TO_CONFIRM
                    % {"date": _date(s.date), "name": s.mentorship.mentor.get_full_name()}
                ),
                url=reverse("mentoring:confirm_session", args=[s.pk]),
                day=s.date,
            )
        )
    return items


def change_request_items(user, hints) -> list[waiting.WaitingItem]:
    """One query for the admin or manager; none for anyone else (the mentor never sees one)."""
    if not permissions.may_steward(user):
        return []
    requests = MentorChangeRequest.objects.filter(
        status=MentorChangeRequest.Status.OPEN,
        mentorship__in=Mentorship.objects.filter(permissions.steward_scope(user)),
    ).select_related("mentorship__mentee")
    return [
        waiting.WaitingItem(
            title=str(CHANGE_REQUEST % {"name": r.mentorship.mentee.get_full_name()}),
            url=reverse("mentoring:change_mentor", args=[r.mentorship_id]),
            day=r.created_at.date(),
        )
        for r in requests.order_by("created_at")
    ]


def review_items(user, hints) -> list[waiting.WaitingItem]:
    """One query: open high-risk cases in the decision stage where the user is the named
    supervisor and no signed decision review exists yet (the holder's decision waits on it)."""
    if not people_permissions.has_role(user, *permissions.SUPERVISOR_ROLES):
        return []
    signed = signed_decision_reviews().filter(case=OuterRef("pk"))
    cases = (
        SupervisedCase.objects.filter(
            supervisor=user,
            stage=CaseStage.DECISION,
            case_type__risk_level__in=HIGH_RISK_LEVELS,
        )
        .exclude(Exists(signed))
        .order_by("opened_on", "pk")
    )
    return [
        waiting.WaitingItem(
            title=str(REVIEW_TO_SIGN % {"reference": case.reference}),
            url=reverse("mentoring:review_new", args=[case.pk]),
        )
        for case in cases
    ]


def alert_items(user, hints) -> list[waiting.WaitingItem]:
    """Two queries: open cases the user holds or supervises, and the entrustment levels the
    alert rules read (the same rules as the daily alert email and "Mitt team")."""
    if not people_permissions.has_role(
        user, *permissions.CASE_HOLDER_ROLES, *permissions.SUPERVISOR_ROLES
    ):
        return []
    cases = list(
        selectors.open_cases_for_alerts(
            SupervisedCase.objects.filter(Q(holder=user) | Q(supervisor=user))
        )
    )
    if not cases:
        return []
    today = timezone.localdate()
    return [
        waiting.WaitingItem(
            title=str(CASE_ALERT % {"reference": c.case.reference, "message": c.message}),
            url=reverse("mentoring:case", args=[c.case.pk]),
            day=c.since,
            # The badge says "Försenad": a review overdue is late, a missing supervisor is not
            # late but missing (the alert's own words say so), and a badge would mislabel it.
            is_urgent=c.kind == CaseAlert.Kind.NO_RECENT_REVIEW,
        )
        for c in selectors.alert_conditions(cases, today=today)
    ]


def register() -> None:
    waiting.register(
        waiting.Provider("mentoring.mentorship", _("Mentorskap"), mentorship_items, order=10)
    )
    waiting.register(
        waiting.Provider(
            "mentoring.change_requests",
            _("Önskemål om byte av mentor"),
            change_request_items,
            order=20,
        )
    )
    waiting.register(
        waiting.Provider("mentoring.reviews", _("Genomgångar att signera"), review_items, order=30)
    )
    waiting.register(
        waiting.Provider("mentoring.alerts", _("Ärenden med larm"), alert_items, order=40)
    )
