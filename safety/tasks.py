"""Safety's emails (outbox handlers) and its daily Celery task."""

from celery import shared_task
from django.conf import settings
from django.urls import reverse

from core import outbox
from people.emails import build_email
from people.models import User
from safety.models import Incident, IncidentReminder, SafetyCheck
from safety.rules import assessment_of


@outbox.handler
def check_told_email(check_id: int, user_id: int):
    """Tell a first-year person's manager or mentor that a safety check said "two together" or
    stricter, so that someone talks with them before the visit. No address, no client: the
    date, the kind of place, the recommendation and its reasons."""
    check = SafetyCheck.objects.filter(pk=check_id).select_related("person", "case").first()
    recipient = User.objects.filter(pk=user_id, is_active=True).first()
    if check is None or recipient is None:
        return None
    assessment = assessment_of(check)
    url = f"{settings.SITE_URL.rstrip('/')}{reverse('safety:check', args=[check.pk])}"
    context = {
        "recipient": recipient,
        "check": check,
        "person": check.person,
        "reasons": assessment.reasons,
        "url": url,
    }
    return build_email("safety/email/check_told", to=recipient, context=context)


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


@outbox.handler
def incident_told_email(incident_id: int, user_id: int, as_manager: bool):
    """Tell the manager (always) or the mentor (if the person chose) that an incident was
    recorded: who, when and the kind, nothing about the client. The manager's email names the
    tasks: a debrief within 72 hours, a follow-up after two weeks."""
    incident = Incident.objects.filter(pk=incident_id).select_related("person").first()
    recipient = User.objects.filter(pk=user_id, is_active=True).first()
    if incident is None or recipient is None:
        return None
    context = {
        "recipient": recipient,
        "incident": incident,
        "person": incident.person,
        "as_manager": as_manager,
        "url": _absolute(reverse("safety:incident", args=[incident.pk])),
    }
    return build_email("safety/email/incident_told", to=recipient, context=context)


@outbox.handler
def incident_reminder_email(reminder_id: int, user_id: int):
    """Remind a manager that the debrief or follow-up of an incident is due. Nothing once it is
    done (the manager may have acted between the daily run and the delivery)."""
    reminder = (
        IncidentReminder.objects.filter(pk=reminder_id).select_related("incident__person").first()
    )
    recipient = User.objects.filter(pk=user_id, is_active=True).first()
    if reminder is None or recipient is None:
        return None
    incident = reminder.incident
    is_debrief = reminder.task == IncidentReminder.Task.DEBRIEF
    if (is_debrief and not incident.needs_debrief) or (
        not is_debrief and not incident.needs_follow_up
    ):
        return None
    context = {
        "recipient": recipient,
        "incident": incident,
        "person": incident.person,
        "is_debrief": is_debrief,
        "url": _absolute(reverse("safety:incident", args=[incident.pk])),
    }
    return build_email("safety/email/incident_reminder", to=recipient, context=context)


@shared_task
def send_incident_reminders() -> int:
    """Daily (Celery beat): remind managers of debriefs and follow-ups that are due."""
    # Imported here: services imports this module for its outbox handlers.
    from safety import services

    return len(services.send_incident_reminders())
