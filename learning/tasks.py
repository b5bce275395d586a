"""Celery tasks for learning: thin, idempotent wrappers around services."""

from celery import shared_task

from people.models import Membership

RETRY = {"acks_late": True, "autoretry_for": (OSError,), "retry_backoff": True, "max_retries": 5}


@shared_task(**RETRY)
def apply_onboarding_plan(membership_id: int) -> int:
    """Enrol a new hire per their onboarding plan; safe to run any number of times."""
    from learning.onboarding import apply_onboarding_plan as apply

    membership = Membership.objects.filter(pk=membership_id).select_related("user").first()
    if membership is None:
        return 0
    return len(apply(membership))
