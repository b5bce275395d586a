"""Follow-up's daily Celery task: a thin wrapper around the service, safe to rerun."""

from celery import shared_task

from core.tasks import RETRY
from followup import services


@shared_task(**RETRY)
def refresh_quarter_facts() -> int:
    """Daily (Celery beat): recompute the per-quarter facts the follow-up pages read."""
    return services.refresh_quarter_facts()
