"""Celery tasks: thin, idempotent wrappers that send mentoring emails."""

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from mentoring import selectors, services
from mentoring.models import CaseAlert, Mentorship, Reminder
from people.emails import build_email


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def _send(template: str, *, to, context: dict) -> None:
    build_email(f"mentoring/email/{template}", to=to, context=context).send()


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_proposal_emails(mentorship_id: int) -> None:
    """Tell the proposed mentor and mentee (förslag på mentorskap); each answers on the site."""
    mentorship = (
        Mentorship.objects.filter(pk=mentorship_id, status=Mentorship.Status.PROPOSED)
        .select_related("mentor", "mentee")
        .first()
    )
    if mentorship is None:
        return
    url = _absolute(reverse("mentoring:respond", args=[mentorship.pk]))
    for recipient, other, as_mentor in (
        (mentorship.mentor, mentorship.mentee, True),
        (mentorship.mentee, mentorship.mentor, False),
    ):
        context = {"recipient": recipient, "other": other, "as_mentor": as_mentor, "url": url}
        _send("proposal", to=recipient, context=context)


def _send_once(queryset, pk: int, send) -> None:
    """Email one notice (reminder, alert) unless it was sent already. The row is locked while
    sending, so a duplicated task waits and then finds it sent."""
    with transaction.atomic():
        notice = (
            queryset.select_for_update(of=("self",)).filter(pk=pk, sent_at__isnull=True).first()
        )
        if notice is None:
            return
        send(notice)
        type(notice).objects.filter(pk=pk).update(sent_at=timezone.now())


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_checkin_reminder(reminder_id: int) -> None:
    """Remind the mentor that a check-in is overdue; a reminder already sent is not resent."""

    def send(reminder: Reminder) -> None:
        mentorship = reminder.mentorship
        context = {
            "recipient": mentorship.mentor,
            "mentee": mentorship.mentee,
            "url": _absolute(reverse("mentoring:log_session", args=[mentorship.pk])),
        }
        _send("checkin_reminder", to=mentorship.mentor, context=context)

    queryset = Reminder.objects.select_related("mentorship__mentor", "mentorship__mentee")
    _send_once(queryset, reminder_id, send)


@shared_task
def send_due_checkin_reminders() -> int:
    """Daily (Celery beat): remind mentors whose check-in is overdue."""
    return len(services.send_due_checkin_reminders())


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_case_alert(alert_id: int) -> None:
    """Email an alert about a case to its named supervisor and the unit's managers; an alert
    already sent is not resent."""

    def send(alert: CaseAlert) -> None:
        case = alert.case
        recipients = {u.pk: u for u in selectors.managers_of_units([case.unit_id])[case.unit_id]}
        if case.supervisor is not None and case.supervisor.is_active:
            recipients[case.supervisor.pk] = case.supervisor
        url = _absolute(reverse("mentoring:case", args=[case.pk]))
        for recipient in recipients.values():
            context = {"recipient": recipient, "alert": alert, "case": case, "url": url}
            _send("case_alert", to=recipient, context=context)

    queryset = CaseAlert.objects.select_related(
        "case__case_type", "case__holder", "case__supervisor", "case__unit"
    )
    _send_once(queryset, alert_id, send)


@shared_task
def send_case_alerts() -> int:
    """Daily (Celery beat): alerts about unsupervised high-risk cases and cases without a
    named supervisor."""
    return len(services.scan_case_alerts())


@shared_task(acks_late=True)
def purge_expired_cases() -> int:
    """Daily (Celery beat): delete closed cases past the municipality's retention period."""
    return services.purge_expired_cases()
