"""Celery tasks for the outbox, and the retry policy every app's tasks share."""

from celery import shared_task

from core import cache, outbox

# A task that failed on a network error (mail server, Redis) is retried a few times with
# backoff; work that must not be lost goes through the outbox, which retries for a day.
RETRY = {"acks_late": True, "autoretry_for": (OSError,), "retry_backoff": True, "max_retries": 5}


@shared_task(acks_late=True)
def deliver(outbox_id: int) -> bool:
    """Deliver one outbox row now (queued after the commit that wrote it)."""
    return outbox.deliver(outbox_id)


@shared_task(acks_late=True)
def deliver_batch() -> int:
    """Deliver up to outbox.BATCH_SIZE due rows in groups over one mail connection (queued
    after a job wrote many rows, one task per BATCH_SIZE rows so the worker processes share
    them). It claims whatever is due, so a task run twice or redelivered after a killed
    worker finds the rest, never a row already delivered."""
    return outbox.deliver_batch()


@shared_task(acks_late=True)
def deliver_due() -> int:
    """Every minute (Celery beat): deliver pending rows that are due, retries included."""
    return outbox.deliver_due()


@shared_task(acks_late=True)
def purge_delivered() -> int:
    """Daily (Celery beat): forget delivered rows after OUTBOX_KEEP_DAYS."""
    return outbox.purge_delivered()


@outbox.handler
def renew_cache_version(key: str) -> None:
    """A version key (curriculum generation, pages version) that could not be renewed while
    Redis was unreachable: a new one now; raises while Redis is still down, so the outbox
    retries (core.cache.renew)."""
    cache.write_version(key)
