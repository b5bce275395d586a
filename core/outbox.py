"""The transactional outbox (utkorgen): everything that leaves the system after a commit.

`enqueue` writes a row in the caller's transaction and, once that commits, asks a worker to
deliver it at once. If the broker is down the request still succeeds: the row stays pending
and the periodic job (`deliver_due`, every minute) delivers it. A failed delivery is retried
with exponential backoff (OUTBOX_RETRY_FIRST doubling up to OUTBOX_RETRY_MAX) for at least
OUTBOX_GIVE_UP_AFTER (24 hours) before the row is marked failed for the municipal admin.

A handler is a plain function registered with `@handler`; it takes the row's JSON arguments.
When it returns an email, the outbox sends it with a Message-ID made from the row, so the one
email a crash between "sent" and "marked delivered" could send twice is recognisable.
"""

import datetime
import logging
import time
from collections.abc import Callable
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as KombuOperationalError

from core.models import OutboxMessage

logger = logging.getLogger(__name__)

_HANDLERS: dict[str, Callable] = {}
MAX_ERROR_LENGTH = 2000


def handler(function: Callable) -> Callable:
    """Allow `function` to be run by the outbox (only registered functions ever are)."""
    name = f"{function.__module__}.{function.__qualname__}"
    _HANDLERS[name] = function
    function.outbox_name = name
    return function


def _resolve(name: str) -> Callable:
    if name not in _HANDLERS:
        module = name.rpartition(".")[0]
        # Importing the handler's module registers it; only our own apps' modules.
        if apps.is_installed(module.split(".")[0]):
            import_module(module)
    return _HANDLERS[name]


def enqueue(
    function: Callable,
    *,
    args: dict | None = None,
    key: str | None = None,
    recipient_id: int | None = None,
    organisation_id: int | None = None,
    coalesce: bool = False,
) -> OutboxMessage | None:
    """Write an outbox row in the current transaction (call it inside the business
    transaction, so the row commits with the change or not at all) and deliver it after
    commit. With a `key` already used, nothing is written and None is returned; likewise with
    `coalesce` when the same call waits untried (for idempotent work that reads the current
    state, such as applying an onboarding plan)."""
    name = getattr(function, "outbox_name", None)
    if name is None or _HANDLERS.get(name) is not function:
        raise ValueError(f"{function!r} is not an outbox handler")
    fields = {
        "handler": name,
        "args": args or {},
        "recipient_id": recipient_id,
        "organisation_id": organisation_id,
    }
    with transaction.atomic():
        if coalesce and _untried_twin(name, fields["args"]) is not None:
            return None
        if key is None:
            row = OutboxMessage.objects.create(**fields)
        else:
            row, created = OutboxMessage.objects.get_or_create(key=key, defaults=fields)
            if not created:
                return None
        transaction.on_commit(lambda: deliver_soon(row.pk))
    return row


def _untried_twin(name: str, args: dict) -> OutboxMessage | None:
    twins = OutboxMessage.objects.filter(
        handler=name, args=args, status=OutboxMessage.Status.PENDING, attempts=0
    ).order_by("pk")
    if connection.features.has_select_for_update_skip_locked:
        # A twin a worker is running right now is locked and skipped: it may have read the
        # state before this change, so the change gets its own row.
        twins = twins.select_for_update(skip_locked=True)
    return twins.first()


# After a failed hand-off, this process leaves rows to the periodic job for a while instead of
# trying the broker again for each row: a bulk invitation of 500 people writes about 1,000 rows
# in one request, and 0.3 s each against a broker that is down would time the request out.
BROKER_PAUSE_SECONDS = 30
_broker_down_until = 0.0


def deliver_soon(outbox_id: int) -> None:
    """Hand the row to a worker (or, without a broker, deliver it in-process). Nothing here
    may fail the request whose transaction just committed: a broker that is down or a mail
    server that refuses leaves the row pending for the periodic job."""
    global _broker_down_until
    from core.tasks import deliver as deliver_task

    if time.monotonic() < _broker_down_until:
        return
    try:
        # With Redis down, give up at once (0.3 s measured) instead of holding the response
        # while Celery reconnects for broker_connection_timeout (6 s measured): the periodic
        # job is the retry. Its own connection, so workers keep their patient reconnects.
        with deliver_task.app.connection_for_write(transport_options={"max_retries": 0}) as conn:
            deliver_task.apply_async((outbox_id,), retry=False, connection=conn)
    except Exception as error:
        if isinstance(error, KombuOperationalError | ConnectionError):
            _broker_down_until = time.monotonic() + BROKER_PAUSE_SECONDS
        logger.warning("Outbox row %s left for the periodic job", outbox_id, exc_info=True)


def message_id(row: OutboxMessage) -> str:
    domain = settings.SITE_URL.split("//")[-1].split("/")[0].split(":")[0] or "introsteg"
    return f"<outbox-{row.pk}@{domain}>"


def backoff(attempts: int) -> datetime.timedelta:
    """The wait after the `attempts`-th failure: doubling from OUTBOX_RETRY_FIRST, capped."""
    seconds = settings.OUTBOX_RETRY_FIRST * 2 ** max(attempts - 1, 0)
    return datetime.timedelta(seconds=min(seconds, settings.OUTBOX_RETRY_MAX))


def deliver(outbox_id: int) -> bool:
    """Deliver one pending row: run its handler and send the email it returns. The row is
    locked while this runs (rows another worker holds are skipped), so a row is delivered by
    one worker at a time and a duplicated task finds it delivered. True when delivered now."""
    with transaction.atomic():
        pending = OutboxMessage.objects.filter(pk=outbox_id, status=OutboxMessage.Status.PENDING)
        if connection.features.has_select_for_update_skip_locked:
            pending = pending.select_for_update(skip_locked=True)
        row = pending.first()
        if row is None:
            return False
        row.attempts += 1
        try:
            # A savepoint: a failing handler's own writes are undone, the attempt is kept.
            with transaction.atomic():
                result = _resolve(row.handler)(**row.args)
                if isinstance(result, EmailMessage):
                    result.extra_headers["Message-ID"] = message_id(row)
                    result.send()
        except Exception as error:
            _record_failure(row, error)
            return False
        row.status = OutboxMessage.Status.DELIVERED
        row.delivered_at = timezone.now()
        row.last_error = ""
        row.save(update_fields=["status", "attempts", "delivered_at", "last_error"])
        return True


def _record_failure(row: OutboxMessage, error: Exception) -> None:
    now = timezone.now()
    row.last_error = f"{type(error).__name__}: {error}"[:MAX_ERROR_LENGTH]
    give_up = now - row.created_at >= datetime.timedelta(seconds=settings.OUTBOX_GIVE_UP_AFTER)
    if give_up:
        row.status = OutboxMessage.Status.FAILED
        logger.error("Outbox row %s (%s) failed for good: %s", row.pk, row.handler, error)
    else:
        row.next_attempt_at = now + backoff(row.attempts)
        logger.warning("Outbox row %s (%s) failed, retrying: %s", row.pk, row.handler, error)
    row.save(update_fields=["status", "attempts", "next_attempt_at", "last_error"])


def due_ids(*, now: datetime.datetime | None = None, limit: int = 500) -> list[int]:
    return list(
        OutboxMessage.objects.filter(
            status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now or timezone.now()
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


# The periodic job runs every minute: a run that waits on a hanging mail server (EMAIL_TIMEOUT
# per row) stops after this long, leaving the rest due for the next run, rather than
# overlapping the next runs and filling every worker process.
DELIVER_DUE_BUDGET_SECONDS = 50


def deliver_due(*, now: datetime.datetime | None = None, limit: int = 500) -> int:
    """The periodic job: deliver every pending row whose time has come (the ones a broker
    outage left behind and the retries), within a time budget. Returns how many were
    delivered."""
    deadline = time.monotonic() + DELIVER_DUE_BUDGET_SECONDS
    delivered = 0
    for pk in due_ids(now=now, limit=limit):
        if time.monotonic() > deadline:
            break
        delivered += deliver(pk)
    return delivered


def purge_delivered(*, now: datetime.datetime | None = None) -> int:
    """Forget delivered rows after OUTBOX_KEEP_DAYS, and failed ones (the admin's list) after
    OUTBOX_KEEP_FAILED_DAYS, so the table does not grow year after year."""
    now = now or timezone.now()
    delivered = OutboxMessage.objects.filter(
        status=OutboxMessage.Status.DELIVERED,
        delivered_at__lt=now - datetime.timedelta(days=settings.OUTBOX_KEEP_DAYS),
    )
    failed = OutboxMessage.objects.filter(
        status=OutboxMessage.Status.FAILED,
        created_at__lt=now - datetime.timedelta(days=settings.OUTBOX_KEEP_FAILED_DAYS),
    )
    return delivered.delete()[0] + failed.delete()[0]
