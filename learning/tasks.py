"""Celery tasks for learning: thin, idempotent wrappers around services."""

from celery import shared_task

from core import outbox
from core.tasks import RETRY
from people.models import Membership


@outbox.handler
def onboarding_plan(membership_id: int) -> int:
    """Enrol a new hire per their onboarding plan; safe to run any number of times."""
    from learning.services.onboarding import apply_onboarding_plan as apply

    membership = Membership.objects.filter(pk=membership_id).select_related("user").first()
    if membership is None:
        return 0
    return len(apply(membership))


@outbox.batch_handler
def reminder_email(rows: list[dict]) -> list:
    """Daily module and certificate reminders and the managers' weekly digest: the emails of
    a group of outbox rows, read and rendered together (see learning.reminders)."""
    from learning.reminders import reminder_emails

    return reminder_emails(rows)


@shared_task(**RETRY)
def daily_reminders() -> int:
    """Write today's reminders to the outbox, then ask the workers to deliver them in
    batches. Returns how many were new."""
    from django.utils import timezone

    from learning import reminders

    written = reminders.queue_daily_reminders(timezone.localdate())
    outbox.deliver_batches_soon(written)
    return written


@shared_task(**RETRY)
def weekly_digest() -> int:
    """Write this week's digest for every first-line manager to the outbox and deliver it."""
    from django.utils import timezone

    from learning import reminders

    written = reminders.queue_weekly_digests(timezone.localdate())
    outbox.deliver_batches_soon(written)
    return written


@outbox.handler
def run_email(place_id: int, template: str):
    """Tell a person about their place in a course run (kursomgång): moved up from the
    waitlist, nominated by their municipal admin, or their request decided."""
    from learning.emails import build_run_email

    return build_run_email(place_id, template)


@outbox.handler
def run_message_email(run_id: int, user_id: int, sender_id: int | None, subject: str, message: str):
    """A message from whoever manages a course run to one of its participants."""
    from learning.emails import build_run_message_email

    return build_run_message_email(run_id, user_id, sender_id, subject, message)
