"""Mentoring's emails (outbox handlers) and its daily Celery tasks."""

from celery import shared_task
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from core import outbox
from mentoring import selectors, services
from mentoring.emails import MENTORSHIP_NOTICES
from mentoring.models import CaseAlert, Mentorship, Reminder, SupervisedCase
from people.emails import build_email
from people.models import User


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def _email(template: str, *, to, context: dict):
    return build_email(f"mentoring/email/{template}", to=to, context=context)


@outbox.handler
def proposal_email(mentorship_id: int, as_mentor: bool):
    """Tell the proposed mentor or mentee (förslag på mentorskap); each answers on the site.
    Nothing once the proposal is answered or withdrawn."""
    mentorship = (
        Mentorship.objects.filter(pk=mentorship_id, status=Mentorship.Status.PROPOSED)
        .select_related("mentor", "mentee")
        .first()
    )
    if mentorship is None:
        return None
    recipient, other = (
        (mentorship.mentor, mentorship.mentee)
        if as_mentor
        else (mentorship.mentee, mentorship.mentor)
    )
    url = _absolute(reverse("mentoring:respond", args=[mentorship.pk]))
    context = {"recipient": recipient, "other": other, "as_mentor": as_mentor, "url": url}
    return _email("proposal", to=recipient, context=context)


@outbox.handler
def mentorship_notice_email(mentorship_id: int, notice: str, recipient_id: int):
    """Tell a mentor or mentee that their mentorship ended, that a new mentor took over, or
    (to the mentee) that the mentor changed a confirmed session which waits for their new
    confirmation. Nothing for an unknown notice or a person who has since left."""
    mentorship = (
        Mentorship.objects.filter(pk=mentorship_id)
        .select_related("mentor", "mentee", "replaces__mentor")
        .first()
    )
    recipient = User.objects.filter(pk=recipient_id, is_active=True).first()
    if mentorship is None or recipient is None or notice not in MENTORSHIP_NOTICES:
        return None
    as_mentor = recipient.pk == mentorship.mentor_id
    path = reverse("mentoring:my_mentees" if as_mentor else "mentoring:my_mentor")
    context = {
        "recipient": recipient,
        "mentorship": mentorship,
        "other": mentorship.mentee if as_mentor else mentorship.mentor,
        "as_mentor": as_mentor,
        "notice": MENTORSHIP_NOTICES[notice],
        "url": _absolute(path),
    }
    return _email("mentorship_notice", to=recipient, context=context)


@outbox.handler
def checkin_reminder_email(reminder_id: int):
    """Remind the mentor that a check-in is overdue; the reminder row is marked sent with the
    email (both undone together if the mail server refuses)."""
    reminder = (
        Reminder.objects.filter(pk=reminder_id)
        .select_related("mentorship__mentor", "mentorship__mentee")
        .first()
    )
    if reminder is None:
        return None
    mentorship = reminder.mentorship
    Reminder.objects.filter(pk=reminder_id, sent_at__isnull=True).update(sent_at=timezone.now())
    context = {
        "recipient": mentorship.mentor,
        "mentee": mentorship.mentee,
        "url": _absolute(reverse("mentoring:log_session", args=[mentorship.pk])),
    }
    return _email("checkin_reminder", to=mentorship.mentor, context=context)


@outbox.handler
def case_alert_email(alert_id: int, user_id: int):
    """Email an alert about a case to one of its recipients (the named supervisor, a manager
    of the unit); the alert is marked sent with its first email."""
    alert = (
        CaseAlert.objects.filter(pk=alert_id)
        .select_related("case__case_type", "case__holder", "case__supervisor", "case__unit")
        .first()
    )
    recipient = User.objects.filter(pk=user_id, is_active=True).first()
    if alert is None or recipient is None:
        return None
    CaseAlert.objects.filter(pk=alert_id, sent_at__isnull=True).update(sent_at=timezone.now())
    case = alert.case
    url = _absolute(reverse("mentoring:case", args=[case.pk]))
    context = {"recipient": recipient, "alert": alert, "case": case, "url": url}
    return _email("case_alert", to=recipient, context=context)


@outbox.handler
def caseload_warning_email(case_id: int, user_id: int):
    """Tell a manager that a newly registered case took the holder above their caseload
    guideline (a warning; the case is registered). Nothing if the case is gone."""
    case = (
        SupervisedCase.objects.filter(pk=case_id)
        .select_related("holder", "unit", "case_type")
        .first()
    )
    recipient = User.objects.filter(pk=user_id, is_active=True).first()
    if case is None or recipient is None:
        return None
    rows = selectors.caseload_for_units(
        [case.unit_id], today=timezone.localdate(), user_ids=[case.holder_id]
    )
    row = rows[0] if rows else None
    url = _absolute(reverse("mentoring:caseload_unit", args=[case.unit_id]))
    context = {"recipient": recipient, "case": case, "row": row, "url": url}
    return _email("caseload_warning", to=recipient, context=context)


@shared_task
def send_due_checkin_reminders() -> int:
    """Daily (Celery beat): remind mentors whose check-in is overdue."""
    return len(services.send_due_checkin_reminders())


@shared_task
def send_case_alerts() -> int:
    """Daily (Celery beat): alerts about unsupervised high-risk cases and cases without a
    named supervisor."""
    return len(services.scan_case_alerts())


@shared_task(acks_late=True)
def purge_expired_cases() -> int:
    """Daily (Celery beat): delete closed cases past the municipality's retention period."""
    return services.purge_expired_cases()
