"""Celery tasks for learning: thin, idempotent wrappers around services."""

from celery import shared_task

from core import outbox
from core.tasks import RETRY
from people.models import Membership


@outbox.handler
def onboarding_plan(membership_id: int) -> int:
    """Enrol a new hire per their onboarding plan; safe to run any number of times."""
    from learning.onboarding import apply_onboarding_plan as apply

    membership = Membership.objects.filter(pk=membership_id).select_related("user").first()
    if membership is None:
        return 0
    return len(apply(membership))


@shared_task(**RETRY)
def daily_reminders() -> int:
    """Queue today's reminders in the outbox, then send them in batches on the workers."""
    from django.utils import timezone

    from learning import reminders

    reminders.queue_daily_reminders(timezone.localdate())
    return _dispatch()


@shared_task(**RETRY)
def weekly_digest() -> int:
    """Queue this week's digest for every first-line manager, then send in batches."""
    from django.utils import timezone

    from learning import reminders

    reminders.queue_weekly_digests(timezone.localdate())
    return _dispatch()


def _dispatch() -> int:
    from learning import reminders

    ids = reminders.unsent_reminder_ids()
    for start in range(0, len(ids), reminders.BATCH_SIZE):
        send_reminder_batch.delay(ids[start : start + reminders.BATCH_SIZE])
    return len(ids)


@shared_task(**RETRY)
def send_reminder_batch(reminder_ids: list[int]) -> int:
    """Send a batch of reminders; rows already sent are skipped, so a retry sends nothing twice."""
    from learning import reminders

    return reminders.send_reminders(reminder_ids)


@outbox.handler
def run_email(place_id: int, template: str):
    """Tell a person about their place in a course run (kursomgång): moved up from the
    waitlist, nominated by their municipal admin, or their request decided."""
    from learning.runs import build_run_email

    return build_run_email(place_id, template)
