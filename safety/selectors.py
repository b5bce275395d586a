"""Reads for safety checks, already scoped to the requesting user: a check that is missing and
one the user may not read give the same 404."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Min, Q, QuerySet
from django.http import Http404

from core.dates import add_months
from mentoring import permissions as mentoring_permissions
from mentoring import selectors as mentoring_selectors
from mentoring.models import CaseStage, Mentorship, SupervisedCase
from mentoring.selectors.caseload import PROTECTED_MONTHS
from people import permissions as people_permissions
from people.models import Membership, Organisation, Role, Unit, User
from safety import permissions
from safety.models import DEFAULT_QUESTIONS, Incident, SafetyCheck, SafetySettings

# The home page lists this many; older checks are still reachable by their own page.
RECENT = 20


def visible_checks(user: User) -> QuerySet[SafetyCheck]:
    return SafetyCheck.objects.filter(permissions.check_scope(user))


def get_check_for(user: User, *, pk: int) -> SafetyCheck:
    check = (
        visible_checks(user)
        .filter(pk=pk)
        .select_related("person", "unit", "case__case_type")
        .first()
    )
    if check is None:
        raise Http404
    return check


@dataclass
class SafetyHome:
    own: list[SafetyCheck]
    others: list[SafetyCheck]
    may_check: bool
    incidents: list = ()
    may_edit_routine: bool = False


def safety_home_for(user: User) -> SafetyHome:
    """The person's own checks and incidents and, for mentors and managers, those in their
    care. Three queries (plus the membership read the navigation shares)."""
    checks = list(
        visible_checks(user)
        .select_related("person", "unit", "case")
        .order_by("-created_at", "-pk")[: RECENT * 2]
    )
    own = [c for c in checks if c.person_id == user.pk][:RECENT]
    others = [c for c in checks if c.person_id != user.pk][:RECENT]
    return SafetyHome(
        own=own,
        others=others,
        may_check=bool(holder_unit_ids(user)),
        incidents=recent_incidents_for(user),
        may_edit_routine=bool(people_permissions.administered_organisation_ids(user)),
    )


def holder_unit_ids(user: User) -> set[int]:
    return mentoring_permissions.holder_unit_ids(user)


def units_to_check_in(user: User) -> QuerySet[Unit]:
    """Units where the user works as a case holder; 404 for anyone with none."""
    return mentoring_selectors.holder_units_for(user)


def get_case_to_check(user: User, *, pk: int) -> SupervisedCase:
    """An open case the user holds: only the person who goes makes the check; 404 otherwise."""
    case = mentoring_selectors.get_case_for(user, pk=pk)
    if case.holder_id != user.pk or not case.is_open:
        raise Http404
    return case


def is_in_first_year(person: User, *, organisation_id: int, today: datetime.date) -> bool:
    """The person's first 12 months in the municipality, counted from their earliest start
    there (the same protected year as the caseload guideline)."""
    start = Membership.objects.filter(user=person, organisation_id=organisation_id).aggregate(
        start=Min("start_date")
    )["start"]
    return start is not None and today < add_months(start, PROTECTED_MONTHS)


def people_to_tell(check: SafetyCheck) -> list[User]:
    """The managers of the check's unit and the person's mentors in active mentorships, each
    once, never the person themself. Two queries."""
    managers = User.objects.filter(
        is_active=True, memberships__unit_id=check.unit_id, memberships__role=Role.MANAGER
    )
    mentors = User.objects.filter(
        is_active=True,
        mentorships_as_mentor__mentee_id=check.person_id,
        mentorships_as_mentor__status=Mentorship.Status.ACTIVE,
    )
    found: dict[int, User] = {}
    for user in [*managers.order_by("pk"), *mentors.order_by("pk")]:
        if user.pk != check.person_id:
            found.setdefault(user.pk, user)
    return list(found.values())


@dataclass
class CasePrompt:
    """The case page's prompt for a safety check before the decision is communicated."""

    applies: bool
    latest: SafetyCheck | None = None
    may_check: bool = False


def case_prompt_for(case: SupervisedCase, *, is_holder: bool) -> CasePrompt:
    """A high- or critical-risk case in the decision stage prompts a check for communicating
    the decision: one query then, none for any other case."""
    if not (case.stage == CaseStage.DECISION and case.case_type.is_high_risk):
        return CasePrompt(applies=False)
    latest = (
        SafetyCheck.objects.filter(case=case, decision_to_communicate=True)
        .order_by("-created_at", "-pk")
        .first()
    )
    return CasePrompt(applies=True, latest=latest, may_check=is_holder)


# --------------------------------------------------------------------------------------------
# Incidents (händelser)
# --------------------------------------------------------------------------------------------
def visible_incidents(user: User) -> QuerySet[Incident]:
    return Incident.objects.filter(permissions.incident_scope(user))


def get_incident_for(user: User, *, pk: int) -> Incident:
    incident = (
        visible_incidents(user)
        .filter(pk=pk)
        .select_related(
            "person",
            "unit",
            "debrief_offered_by",
            "followed_up_by",
            "debrief_session",
            # The municipality's reporting routine rides along: no query of its own.
            "organisation__safety_settings",
        )
        .first()
    )
    if incident is None:
        raise Http404
    return incident


def get_incident_to_follow_up(user: User, *, pk: int) -> Incident:
    """An incident in a unit the user manages; 404 for everyone else."""
    incident = get_incident_for(user, pk=pk)
    if not permissions.manages_incident(user, incident):
        raise Http404
    return incident


def recent_incidents_for(user: User) -> list[Incident]:
    return list(
        visible_incidents(user)
        .select_related("person", "unit")
        .order_by("-occurred_on", "-pk")[:RECENT]
    )


def managers_to_tell(incident: Incident) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__unit_id=incident.unit_id,
            memberships__role=Role.MANAGER,
        )
        .exclude(pk=incident.person_id)
        .distinct()
        .order_by("pk")
    )


def mentors_to_tell(incident: Incident) -> list[User]:
    if not incident.tell_mentor:
        return []
    return list(
        User.objects.filter(
            is_active=True,
            mentorships_as_mentor__mentee_id=incident.person_id,
            mentorships_as_mentor__status=Mentorship.Status.ACTIVE,
        )
        .distinct()
        .order_by("pk")
    )


def open_incidents() -> QuerySet[Incident]:
    """Incidents whose follow-up is not done, for the daily reminders."""
    return Incident.objects.filter(followed_up_at__isnull=True)


@dataclass
class UnitIncidents:
    """A unit's incidents this quarter for "Mitt team": counts only, no person, no details."""

    unit_id: int
    unit_name: str
    total: int
    debriefed: int
    followed_up: int

    @property
    def waiting_for_debrief(self) -> int:
        return self.total - self.debriefed


def quarter_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def incidents_this_quarter(units: list[Unit], *, today: datetime.date) -> list[UnitIncidents]:
    """Per unit the manager leads: incidents that happened this quarter, how many have had the
    debrief offered and how many are followed up. One query, whatever the number of units."""
    rows = {
        row["unit_id"]: row
        for row in Incident.objects.filter(
            unit__in=units, occurred_on__gte=quarter_start(today), occurred_on__lte=today
        )
        .values("unit_id")
        .annotate(
            total=Count("pk"),
            debriefed=Count("pk", filter=Q(debrief_offered_at__isnull=False)),
            followed_up=Count("pk", filter=Q(followed_up_at__isnull=False)),
        )
        .order_by()
    }
    return [
        UnitIncidents(
            unit_id=unit.pk,
            unit_name=unit.name,
            total=rows.get(unit.pk, {}).get("total", 0),
            debriefed=rows.get(unit.pk, {}).get("debriefed", 0),
            followed_up=rows.get(unit.pk, {}).get("followed_up", 0),
        )
        for unit in units
    ]


def get_incident_to_debrief(user: User, *, pk: int) -> Incident:
    """An incident the user reads as the told mentor (not as its person or manager); 404
    otherwise."""
    incident = get_incident_for(user, pk=pk)
    if incident.person_id == user.pk or not permissions.is_told_mentor(user, incident):
        raise Http404
    return incident


# --------------------------------------------------------------------------------------------
# The municipality's own routine (kommunens rutin)
# --------------------------------------------------------------------------------------------
def questions_for(organisation_ids) -> dict:
    """The checklist's wording where the person makes the check: their municipality's own
    questions when there is one municipality (nearly always), the national ones otherwise. Only
    the reworded questions: the form fills in the rest."""
    organisation_ids = set(organisation_ids)
    if len(organisation_ids) != 1:
        return {}
    routine = SafetySettings.objects.filter(organisation_id__in=organisation_ids).first()
    if routine is None:
        return {}
    return {
        name: text for name in DEFAULT_QUESTIONS if (text := getattr(routine, f"{name}_question"))
    }


def reporting_routines_for(organisation_ids) -> list[SafetySettings]:
    """The municipalities' own reporting routines (a link to KIA or IA, a text) that have one."""
    return list(
        SafetySettings.objects.filter(organisation_id__in=set(organisation_ids))
        .exclude(reporting_url="", reporting_text="")
        .select_related("organisation")
        .order_by("organisation__name")
    )


def administered_municipalities(user: User) -> list[Organisation]:
    return list(
        Organisation.objects.filter(
            pk__in=people_permissions.administered_organisation_ids(user)
        ).order_by("name")
    )


def get_routine_to_edit(user: User, *, organisation_id: int) -> SafetySettings:
    """The routine of a municipality the user administers (unsaved if it has none yet); 404
    for any other municipality, existing or not."""
    if organisation_id not in people_permissions.administered_organisation_ids(user):
        raise Http404
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        raise Http404
    routine = SafetySettings.objects.filter(organisation=organisation).first()
    return routine or SafetySettings(organisation=organisation)


def reporting_routine_of(incident: Incident) -> list[SafetySettings]:
    """The incident's municipality's reporting routine, if it has one (read with the incident
    by get_incident_for)."""
    routine = getattr(incident.organisation, "safety_settings", None)
    if routine is None or not (routine.reporting_url or routine.reporting_text):
        return []
    return [routine]
