"""Writes for safety checks (säkerhetsbedömningar)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from core import outbox
from core.dates import add_months
from mentoring.models import Mentorship, SupervisedCase, SupervisionSession
from mentoring.services import log_session
from mentoring.services.common import queue_once
from people import permissions as people_permissions
from people.audit import FieldNames, record_event
from people.models import AuditAction, Organisation, Unit, User
from safety import permissions, selectors, tasks
from safety.models import (
    DEFAULT_QUESTIONS,
    Incident,
    IncidentReminder,
    SafetyCheck,
    SafetySettings,
)
from safety.rules import assess

NOT_YOUR_UNIT = _("Du kan bara göra en säkerhetsbedömning i en enhet där du arbetar.")
NOT_YOUR_CASE = _("Du kan bara göra en säkerhetsbedömning för ett öppet ärende som du har.")
PLANNED_IN_PAST = _("Bedömningen görs före mötet: välj dagens datum eller ett senare.")
PLANNED_TOO_FAR = _("Datumet ligger mer än ett år fram i tiden. Kontrollera årtalet.")
# A check is made for a visit in the coming weeks; a year ahead is a typing error.
MAX_MONTHS_AHEAD = 12


@transaction.atomic
def make_safety_check(
    actor: User,
    *,
    planned_on: datetime.date,
    location: str,
    known_threats: str,
    weapons: str,
    animals: str,
    earlier_incidents: str,
    decision_to_communicate: bool,
    who_knows: str,
    notes: str = "",
    unit: Unit | None = None,
    case: SupervisedCase | None = None,
    questions: dict | None = None,
) -> SafetyCheck:
    """Make a safety check (säkerhetsbedömning) before a planned visit or meeting; it ends in
    the one rule's recommendation. "Two together" or stricter in the person's first year tells
    their manager and mentor (by email through the outbox, once each)."""
    if case is not None:
        if case.holder_id != actor.pk or not case.is_open:
            raise PermissionDenied(NOT_YOUR_CASE)
        unit = case.unit
    if unit is None or unit.pk not in selectors.holder_unit_ids(actor):
        raise PermissionDenied(NOT_YOUR_UNIT)
    today = timezone.localdate()
    errors: dict[str, list] = {}
    if planned_on and planned_on < today:
        errors["planned_on"] = [PLANNED_IN_PAST]
    elif planned_on and planned_on > add_months(today, MAX_MONTHS_AHEAD):
        errors["planned_on"] = [PLANNED_TOO_FAR]
    answers = {
        "location": location,
        "known_threats": known_threats,
        "weapons": weapons,
        "animals": animals,
        "earlier_incidents": earlier_incidents,
        "decision_to_communicate": bool(decision_to_communicate),
        "who_knows": who_knows,
    }
    check = SafetyCheck(
        person=actor,
        organisation_id=unit.organisation_id,
        unit=unit,
        case=case,
        planned_on=planned_on,
        notes=(notes or "").strip(),
        # The wording the person answered (the municipality's or the national one), kept with
        # the answers; only the checklist's own questions, each as long as a question may be.
        questions={
            name: str(text)[:300]
            for name, text in (questions or {}).items()
            if name in DEFAULT_QUESTIONS and text
        },
        recommendation="",
        **answers,
    )
    try:
        check.full_clean(exclude=["recommendation"])
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    check.recommendation = assess(**answers).recommendation
    check.full_clean()
    check.save()
    if check.tells_manager_and_mentor and selectors.is_in_first_year(
        actor, organisation_id=unit.organisation_id, today=today
    ):
        for recipient in selectors.people_to_tell(check):
            outbox.enqueue(
                tasks.check_told_email,
                args={"check_id": check.pk, "user_id": recipient.pk},
                key=f"safety-check:{check.pk}:{recipient.pk}",
                recipient_id=recipient.pk,
                organisation_id=check.organisation_id,
            )
    return check


# --------------------------------------------------------------------------------------------
# Incidents (händelser) and the employer's follow-up
# --------------------------------------------------------------------------------------------
INCIDENT_IN_FUTURE = _("Händelsen kan inte ha skett i framtiden. Kontrollera datumet.")
INCIDENT_TOO_OLD = _(
    "Händelsen ligger mer än ett år tillbaka. Kontrollera årtalet, eller prata med din chef."
)
NOT_YOUR_INCIDENT_UNIT = _("Du kan bara registrera en händelse i en enhet där du arbetar.")
NOT_THE_MANAGER = _("Det är chefen för enheten som erbjuder avlastningssamtal och följer upp.")
DEBRIEF_ALREADY = _("Avlastningssamtal är redan erbjudet.")
FOLLOW_UP_BEFORE_DEBRIEF = _("Erbjud avlastningssamtal innan du registrerar uppföljningen.")
FOLLOW_UP_ALREADY = _("Uppföljningen är redan gjord.")
# An incident older than this is a typing error in the year (or a matter for the manager).
INCIDENT_MONTHS_BACK = 12
# A debrief reminder goes out from this long after the incident was recorded (a day before
# the 72 hours run out), then once a day until the debrief is offered.
DEBRIEF_REMINDER_AFTER = datetime.timedelta(hours=48)


@transaction.atomic
def record_incident(
    actor: User,
    *,
    occurred_on: datetime.date,
    kind: str,
    reported_in_system: bool,
    tell_mentor: bool,
    unit: Unit | None,
) -> Incident:
    """Record that something happened (händelse). The person's manager is always told, the
    mentor if the person chooses; the manager then offers a debrief within 72 hours and follows
    up after two weeks (reminders until done)."""
    if unit is None or unit.pk not in selectors.holder_unit_ids(actor):
        raise PermissionDenied(NOT_YOUR_INCIDENT_UNIT)
    today = timezone.localdate()
    errors: dict[str, list] = {}
    if occurred_on and occurred_on > today:
        errors["occurred_on"] = [INCIDENT_IN_FUTURE]
    elif occurred_on and occurred_on < add_months(today, -INCIDENT_MONTHS_BACK):
        errors["occurred_on"] = [INCIDENT_TOO_OLD]
    incident = Incident(
        person=actor,
        organisation_id=unit.organisation_id,
        unit=unit,
        occurred_on=occurred_on,
        kind=kind,
        reported_in_system=bool(reported_in_system),
        tell_mentor=bool(tell_mentor),
    )
    try:
        incident.full_clean()
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    incident.save()
    told = [(u, True) for u in selectors.managers_to_tell(incident)]
    told += [
        (u, False)
        for u in selectors.mentors_to_tell(incident)
        if u.pk not in {m.pk for m, _ in told}
    ]
    for recipient, as_manager in told:
        outbox.enqueue(
            tasks.incident_told_email,
            args={"incident_id": incident.pk, "user_id": recipient.pk, "as_manager": as_manager},
            key=f"incident:{incident.pk}:told:{recipient.pk}",
            recipient_id=recipient.pk,
            organisation_id=incident.organisation_id,
        )
    return incident


def _locked(incident: Incident) -> Incident:
    return Incident.objects.select_for_update().get(pk=incident.pk)


@transaction.atomic
def offer_debrief(actor: User, *, incident: Incident) -> Incident:
    """The manager records that a debrief (avlastningssamtal) has been offered. The row is
    locked so two managers clicking at once record it once."""
    if not permissions.manages_incident(actor, incident):
        raise PermissionDenied(NOT_THE_MANAGER)
    incident = _locked(incident)
    if incident.debrief_offered_at is not None:
        raise ValidationError(DEBRIEF_ALREADY, code="already")
    incident.debrief_offered_at = timezone.now()
    incident.debrief_offered_by = actor
    incident.save(update_fields=["debrief_offered_at", "debrief_offered_by"])
    return incident


@transaction.atomic
def record_follow_up(actor: User, *, incident: Incident) -> Incident:
    """The manager records the follow-up (uppföljning) two weeks on; it needs the debrief."""
    if not permissions.manages_incident(actor, incident):
        raise PermissionDenied(NOT_THE_MANAGER)
    incident = _locked(incident)
    if incident.debrief_offered_at is None:
        raise ValidationError(FOLLOW_UP_BEFORE_DEBRIEF, code="order")
    if incident.followed_up_at is not None:
        raise ValidationError(FOLLOW_UP_ALREADY, code="already")
    incident.followed_up_at = timezone.now()
    incident.followed_up_by = actor
    incident.save(update_fields=["followed_up_at", "followed_up_by"])
    return incident


def due_task(incident: Incident, *, now: datetime.datetime) -> str | None:
    """Which reminder is due for the incident now: the debrief from 48 hours on until it is
    offered, then the follow-up from two weeks on until it is done."""
    if incident.debrief_offered_at is None:
        if now >= incident.created_at + DEBRIEF_REMINDER_AFTER:
            return IncidentReminder.Task.DEBRIEF
        return None
    if incident.followed_up_at is None and now >= incident.follow_up_due:
        return IncidentReminder.Task.FOLLOW_UP
    return None


def send_incident_reminders(now: datetime.datetime | None = None) -> list[IncidentReminder]:
    """The daily job: remind the managers of each incident whose debrief or follow-up is due,
    once a day until it is done. The reminder row's unique key (incident, task, day) makes a
    repeated or retried run send nothing twice."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    sent = []
    for incident in selectors.open_incidents().order_by("pk"):
        task = due_task(incident, now=now)
        if task is None:
            continue

        def deliver(reminder, incident=incident):
            for manager in selectors.managers_to_tell(incident):
                outbox.enqueue(
                    tasks.incident_reminder_email,
                    args={"reminder_id": reminder.pk, "user_id": manager.pk},
                    key=f"incident-reminder:{reminder.pk}:{manager.pk}",
                    recipient_id=manager.pk,
                    organisation_id=incident.organisation_id,
                )

        reminder = queue_once(IncidentReminder, deliver, incident=incident, task=task, day=day)
        if reminder is not None:
            sent.append(reminder)
    return sent


DEBRIEF_SESSION_ALREADY = _("Avlastningssamtalet för händelsen är redan loggat.")
NOT_TOLD_MENTOR = _(
    "Bara den mentor som personen har valt att berätta för loggar avlastningssamtalet."
)
DEBRIEF_HEADINGS = (
    ("what_happened", _("Vad hände?")),
    ("how_you_are", _("Hur mår du?")),
    ("support_needed", _("Vilket stöd behöver du?")),
    ("changes", _("Vad behöver ändras i ärendet eller i rutinerna?")),
)


@transaction.atomic
def log_debrief_session(
    mentor: User,
    *,
    incident: Incident,
    date: datetime.date,
    duration_minutes: int,
    format: str,
    what_happened: str = "",
    how_you_are: str = "",
    support_needed: str = "",
    changes: str = "",
) -> SupervisionSession:
    """The mentor logs the debrief after an incident (avlastningssamtal efter händelse) as a
    session in the pair's log, with a structured note that only the two of them read; the
    incident records that it took place. The incident row is locked: one debrief session."""
    mentorship = Mentorship.objects.filter(
        mentor=mentor, mentee_id=incident.person_id, status=Mentorship.Status.ACTIVE
    ).first()
    if mentorship is None or not incident.tell_mentor:
        raise PermissionDenied(NOT_TOLD_MENTOR)
    incident = _locked(incident)
    if incident.debrief_session_id is not None:
        raise ValidationError(DEBRIEF_SESSION_ALREADY, code="already")
    answers = {
        "what_happened": what_happened,
        "how_you_are": how_you_are,
        "support_needed": support_needed,
        "changes": changes,
    }
    # The note is written in the mentor's language at the time; headings make it readable in
    # the session log, where the answers stay as they were written.
    notes = "\n\n".join(
        f"{heading}\n{answers[name].strip()}"
        for name, heading in DEBRIEF_HEADINGS
        if answers[name].strip()
    )
    session = log_session(
        mentor,
        mentorship=mentorship,
        kind=SupervisionSession.Kind.DEBRIEF,
        date=date,
        duration_minutes=duration_minutes,
        format=format,
        notes=notes,
    )
    incident.debrief_session = session
    incident.save(update_fields=["debrief_session"])
    return session


# --------------------------------------------------------------------------------------------
# The municipality's own routine (kommunens rutin), set by its municipal admin
# --------------------------------------------------------------------------------------------
NOT_YOUR_MUNICIPALITY = _("Du kan bara ändra rutinen för en kommun som du administrerar.")
ROUTINE_FIELDS = (
    "reporting_url",
    "reporting_text",
    *(f"{name}_question" for name in DEFAULT_QUESTIONS),
)


@transaction.atomic
def update_safety_settings(actor: User, *, organisation: Organisation, **values) -> SafetySettings:
    """A municipal admin sets the municipality's routine (kommunens rutin): the link to and the
    text about its own incident reporting, and its wording of the safety check's questions.
    Empty means the national default. Written to the audit log; earlier checks keep the
    wording they were made with (SafetyCheck.questions)."""
    if organisation.pk not in people_permissions.administered_organisation_ids(actor):
        raise PermissionDenied(NOT_YOUR_MUNICIPALITY)
    unknown = set(values) - set(ROUTINE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    routine, _created = SafetySettings.objects.select_for_update().get_or_create(
        organisation=organisation
    )
    changed = []
    for name in ROUTINE_FIELDS:
        if name in values:
            value = (values[name] or "").strip()
            if getattr(routine, name) != value:
                setattr(routine, name, value)
                changed.append(name)
    routine.updated_at = timezone.now()
    routine.updated_by = actor
    routine.full_clean()
    routine.save()
    record_event(
        actor,
        action=AuditAction.UPDATE,
        obj=routine,
        organisation=organisation,
        # Field names only: the texts are the municipality's, the log says what changed.
        note=gettext_noop("Ändrat: %(fields)s")
        if changed
        else gettext_noop("Sparad utan ändringar"),
        note_values={"fields": FieldNames(routine._meta.label_lower, tuple(changed))},
    )
    return routine
