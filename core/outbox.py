"""The transactional outbox (utkorgen): everything that leaves the system after a commit.

`enqueue` writes a row in the caller's transaction and, once that commits, asks a worker to
deliver it at once. If the broker is down the request still succeeds: the row stays pending
and the periodic job (`deliver_due`, every minute) delivers it. A failed delivery is retried
with exponential backoff (OUTBOX_RETRY_FIRST doubling up to OUTBOX_RETRY_MAX) for at least
OUTBOX_GIVE_UP_AFTER (24 hours) before the row is marked failed for the municipal admin.

A handler is a plain function registered with `@handler`; it takes the row's JSON arguments.
When it returns an email, the outbox sends it with a Message-ID made from the row, so the
emails a crash between "sent" and "marked delivered" could send twice are recognisable.
High-volume work (the daily reminders) registers a `@batch_handler`, which takes the
arguments of a whole group of rows and returns one result per row, and writes its rows with
`enqueue_many`: thousands of rows in a few statements, delivered by a few batch tasks.
"""

import contextlib
import datetime
import json
import logging
import math
import re
import smtplib
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import sanitize_address
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string
from kombu.exceptions import OperationalError as KombuOperationalError
from psycopg import sql as psycopg_sql

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


def batch_handler(function: Callable) -> Callable:
    """Like `handler`, for a function that takes a list of argument dicts (a group of rows)
    and returns one result per row in the same order: what the group needs is read once. It
    must not write: the group's rows are marked together."""
    function.outbox_many = True
    return handler(function)


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


def enqueue_many(
    function: Callable, rows: Iterable[tuple[str, dict, int | None, int | None]]
) -> int:
    """Write many rows in the current transaction, each given as (key, args, recipient_id,
    organisation_id); a key already in the outbox is skipped, so running the same job twice
    writes nothing the second time. Returns how many rows are new. Delivery is the caller's
    to ask for after commit (`deliver_batches_soon`), or the periodic job's."""
    name = getattr(function, "outbox_name", None)
    if name is None or _HANDLERS.get(name) is not function:
        raise ValueError(f"{function!r} is not an outbox handler")
    written = 0
    rows = list(rows)
    with transaction.atomic():
        for start in range(0, len(rows), ENQUEUE_CHUNK):
            chunk = {key: rest for key, *rest in rows[start : start + ENQUEUE_CHUNK]}
            existing = set(
                OutboxMessage.objects.filter(key__in=chunk).values_list("key", flat=True)
            )
            new = [
                OutboxMessage(
                    handler=name,
                    key=key,
                    args=args,
                    recipient_id=recipient_id,
                    organisation_id=organisation_id,
                )
                for key, (args, recipient_id, organisation_id) in chunk.items()
                if key not in existing
            ]
            # ignore_conflicts: a concurrent run that wrote the same key first wins.
            OutboxMessage.objects.bulk_create(new, ignore_conflicts=True)
            written += len(new)
    return written


ENQUEUE_CHUNK = 5000


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
    from core.tasks import deliver as deliver_task

    if time.monotonic() < _broker_down_until:
        return
    _hand_over(deliver_task, (outbox_id,))


def deliver_batches_soon(rows: int) -> int:
    """Ask the workers for enough batch tasks to deliver `rows` rows (spread over the worker
    processes); returns how many were handed over. Like `deliver_soon`, a broker that is
    down leaves the rows to the periodic job."""
    from core.tasks import deliver_batch as batch_task

    handed = 0
    for _ in range(math.ceil(rows / BATCH_SIZE)):
        if time.monotonic() < _broker_down_until or not _hand_over(batch_task, ()):
            break
        handed += 1
    return handed


def _hand_over(task, args: tuple) -> bool:
    global _broker_down_until
    try:
        # With Redis down, give up at once (0.3 s measured) instead of holding the response
        # while Celery reconnects for broker_connection_timeout (6 s measured): the periodic
        # job is the retry. Its own connection, so workers keep their patient reconnects.
        with task.app.connection_for_write(transport_options={"max_retries": 0}) as conn:
            task.apply_async(args, retry=False, connection=conn)
    except Exception as error:
        if isinstance(error, KombuOperationalError | ConnectionError):
            _broker_down_until = time.monotonic() + BROKER_PAUSE_SECONDS
        logger.warning(
            "Outbox work (%s%s) left for the periodic job", task.name, args, exc_info=True
        )
        return False
    return True


def message_id(row: OutboxMessage | int) -> str:
    """The row's own Message-ID: the same for every attempt, so the messages a crash could send
    twice are recognisable as one."""
    pk = row if isinstance(row, int) else row.pk
    domain = settings.SITE_URL.split("//")[-1].split("/")[0].split(":")[0] or "introsteg"
    return f"<outbox-{pk}@{domain}>"


def backoff(attempts: int) -> datetime.timedelta:
    """The wait after the `attempts`-th failure: doubling from OUTBOX_RETRY_FIRST, capped."""
    seconds = settings.OUTBOX_RETRY_FIRST * 2 ** max(attempts - 1, 0)
    return datetime.timedelta(seconds=min(seconds, settings.OUTBOX_RETRY_MAX))


# Delivery works in groups: one transaction claims a group of rows (locked, so no other worker
# takes them), sends their emails over the batch's one SMTP connection and marks them delivered.
# A worker killed mid-group leaves its rows pending (the transaction rolls back and the locks go
# with the connection); the emails of that group already handed to the mail server are the only
# ones that can go out twice, each with its row's Message-ID. The group grows towards
# GROUP_SECONDS of sending, capped at GROUP_MAX rows: that cap is what can be in flight.
GROUP_FIRST = 10
GROUP_MAX = 200
GROUP_SECONDS = 0.5
# Rows one batch task delivers at most (the rest is for the next task or the periodic job).
BATCH_SIZE = 1000


@dataclass
class _Row:
    pk: int
    handler: str
    args: dict
    attempts: int
    created_at: datetime.datetime
    error: Exception | None = None


# Refusals of one message (a recipient, the sender, the data); anything else is the connection.
MESSAGE_ERRORS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)


class _Line:
    """One connection to the mail server, opened when its first email is sent. After a
    connection-level failure it stays broken for the rest of the group (the server is away:
    the group's other emails fail at once instead of waiting EMAIL_TIMEOUT each)."""

    def __init__(self):
        self.connection = None
        self.broken: Exception | None = None
        self._senders = {}

    def send(self, message: EmailMessage) -> None:
        if self.broken is not None:
            raise self.broken
        try:
            if self.connection is None:
                self.connection = get_connection()
                self.connection.open()
            if isinstance(self.connection, SMTPBackend) and self.connection.connection:
                self._sendmail(message)
            else:
                self.connection.send_messages([message])
        except MESSAGE_ERRORS:
            raise  # this message only: the connection goes on with the next one
        except Exception as error:
            self.broken = error
            self.close()
            raise

    def _sendmail(self, message: EmailMessage) -> None:
        """What Django's SMTP backend does for one message (its `_send`), without
        parsing the same sender address again for every email and with a plain address
        taken as it is: `sanitize_address` was more than a millisecond an email here under
        load, more than building the email."""
        recipients = message.recipients()
        if not recipients:
            return
        encoding = message.encoding or settings.DEFAULT_CHARSET
        if (message.from_email, encoding) not in self._senders:
            self._senders[(message.from_email, encoding)] = sanitize_address(
                message.from_email, encoding
            )
        sender = self._senders[(message.from_email, encoding)]
        recipients = [_sanitize(address, encoding) for address in recipients]
        data = message.message().as_bytes(linesep="\r\n")
        self.connection.connection.sendmail(sender, recipients, data)

    def close(self) -> None:
        if self.connection is not None:
            with contextlib.suppress(Exception):
                self.connection.close()
            self.connection = None


# A plain address (dot-atom local part, ASCII domain, no display name) is its own sanitized
# form (tests/core/test_outbox_smtp.py compares with Django's sanitize_address).
_PLAIN_ADDRESS = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\Z"
)


def _sanitize(address, encoding: str) -> str:
    if isinstance(address, str) and _PLAIN_ADDRESS.match(address):
        return address
    return sanitize_address(address, encoding)


# A group's emails go out over up to SMTP_CONNECTIONS connections at once (threads; each waits
# on the mail server's replies, four round trips an email, so they overlap). Only with Django's
# SMTP backend, where there is a network to wait on, and one connection for every
# EMAILS_PER_CONNECTION emails of the group, so a handful of emails keep to one connection.
SMTP_CONNECTIONS = 4
EMAILS_PER_CONNECTION = 25


class _Mail:
    """The batch's connections to the mail server (see _Line), kept from group to group."""

    def __init__(self):
        self.lines = [_Line()]
        self._pool = None

    def send(self, message: EmailMessage) -> None:
        self.lines[0].send(message)

    def send_all(self, pairs: list[tuple["_Row", EmailMessage]]) -> None:
        """Send each (row, email); a row whose email fails gets `error`."""
        count = 1
        if len(pairs) > EMAILS_PER_CONNECTION and _smtp_backend():
            count = min(SMTP_CONNECTIONS, len(pairs) // EMAILS_PER_CONNECTION)
        if count == 1:
            self._send_on(self.lines[0], pairs)
            return
        while len(self.lines) < count:
            self.lines.append(_Line())
        if self._pool is None:
            self._pool = ThreadPoolExecutor(SMTP_CONNECTIONS, thread_name_prefix="outbox-smtp")
        share = math.ceil(len(pairs) / count)
        chunks = [pairs[start : start + share] for start in range(0, len(pairs), share)]
        for done in [
            self._pool.submit(self._send_on, line, chunk)
            for line, chunk in zip(self.lines, chunks, strict=False)
        ]:
            done.result()

    @staticmethod
    def _send_on(line: _Line, pairs) -> None:
        for row, message in pairs:
            try:
                line.send(message)
            except Exception as error:
                row.error = error

    def next_group(self) -> None:
        for line in self.lines:
            line.broken = None

    def close(self) -> None:
        for line in self.lines:
            line.close()
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None


def _smtp_backend() -> bool:
    return issubclass(import_string(settings.EMAIL_BACKEND), SMTPBackend)


def _claim(size: int, *, ids: list[int] | None, now: datetime.datetime | None) -> list[_Row]:
    """Lock up to `size` pending rows in one statement and count the attempt (committed with
    the group, or rolled back with it when the worker dies). Rows other workers hold are
    skipped. `ids` restricts the claim to those rows, due or not; otherwise only due rows."""
    table = OutboxMessage._meta.db_table
    conditions, params = ["status = %s"], [OutboxMessage.Status.PENDING]
    if ids is not None:
        conditions.append("id IN (" + ", ".join(["%s"] * len(ids)) + ")")
        params.extend(ids)
    else:
        conditions.append("next_attempt_at <= %s")
        params.append(now or timezone.now())
    where = " AND ".join(conditions)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Composed by psycopg: the table is quoted as an identifier and the conditions are
            # our own constant text with placeholders; every value is a parameter.
            # In the order of the outbox_due index (status, next_attempt_at), so PostgreSQL
            # reads the first `size` entries and stops: with ", id" added it sorted every due
            # row for each group (50,000 rows, some 2,000 times in the daily reminders;
            # PostgreSQL's CPU per reminder fell 15 % without it). Rows written together
            # differ in next_attempt_at by microseconds (the default is taken per row), so the
            # order is still first-come.
            # The locked ids in a MATERIALIZED CTE: as `WHERE id IN (SELECT … LIMIT n FOR
            # UPDATE SKIP LOCKED)` PostgreSQL may run the subquery more than once (a plan
            # chosen from the table's statistics), and each run skips the rows the last one
            # locked: a claim of 10 took 50 (tests/core/test_outbox_claim.py, after a table
            # emptied by DELETE). A CTE with MATERIALIZED runs once.
            query = psycopg_sql.SQL(
                "WITH claimed AS MATERIALIZED ("
                "SELECT id FROM {table} WHERE {where} ORDER BY next_attempt_at "
                "LIMIT %s FOR UPDATE SKIP LOCKED) "
                "UPDATE {table} SET attempts = attempts + 1 FROM claimed "
                "WHERE {table}.id = claimed.id "
                "RETURNING {table}.id, handler, args, attempts, created_at"
            ).format(table=psycopg_sql.Identifier(table), where=psycopg_sql.SQL(where))
            cursor.execute(query, [*params, size])
            found = cursor.fetchall()
    else:
        # SQLite (make run): one writer at a time anyway, so select, then update.
        pending = OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING)
        pending = (
            pending.filter(pk__in=ids)
            if ids is not None
            else pending.filter(next_attempt_at__lte=now or timezone.now())
        )
        pks = list(pending.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:size])
        if not pks:
            return []
        OutboxMessage.objects.filter(pk__in=pks).update(attempts=F("attempts") + 1)
        found = OutboxMessage.objects.filter(pk__in=pks).values_list(
            "pk", "handler", "args", "attempts", "created_at"
        )
    rows = [
        _Row(pk, name, args if isinstance(args, dict) else json.loads(args), n, created)
        for pk, name, args, n, created in found
    ]
    return sorted(rows, key=lambda row: row.pk)


def _run_group(rows: list[_Row], mail: _Mail) -> None:
    """Run each row's handler and send the email it returns; a row that fails gets `error`."""
    by_handler = defaultdict(list)
    for row in rows:
        by_handler[row.handler].append(row)
    for name, group in by_handler.items():
        try:
            function = _resolve(name)
        except Exception as error:
            for row in group:
                row.error = error
            continue
        if getattr(function, "outbox_many", False):
            # A batch handler reads what the whole group needs at once and writes nothing.
            try:
                results = function([row.args for row in group])
            except Exception as error:
                for row in group:
                    row.error = error
                continue
            pairs = []
            for row, result in zip(group, results, strict=True):
                if isinstance(result, EmailMessage):
                    result.extra_headers["Message-ID"] = message_id(row.pk)
                    pairs.append((row, result))
            mail.send_all(pairs)
            continue
        for row in group:
            try:
                # A savepoint: a failing handler's own writes are undone with its email.
                with transaction.atomic():
                    result = function(**row.args)
                    _send(row, result, mail)
                    if row.error is not None:
                        raise row.error
            except Exception as error:
                row.error = error


def _send(row: _Row, result, mail: _Mail) -> None:
    if not isinstance(result, EmailMessage):
        return
    result.extra_headers["Message-ID"] = message_id(row.pk)
    try:
        mail.send(result)
    except Exception as error:
        row.error = error


def _mark(rows: list[_Row], *, cutoff: datetime.datetime) -> None:
    """One statement for the delivered rows; failed ones (rare) get their backoff in one more,
    counted from no earlier than the run's `cutoff`, so the same run never claims them again."""
    now = max(timezone.now(), cutoff)
    delivered = [row.pk for row in rows if row.error is None]
    if delivered:
        OutboxMessage.objects.filter(pk__in=delivered).update(
            status=OutboxMessage.Status.DELIVERED, delivered_at=now, last_error=""
        )
    failed = []
    for row in rows:
        if row.error is None:
            continue
        error = row.error
        message = OutboxMessage(
            pk=row.pk, last_error=f"{type(error).__name__}: {error}"[:MAX_ERROR_LENGTH]
        )
        give_up_after = datetime.timedelta(seconds=settings.OUTBOX_GIVE_UP_AFTER)
        if now - row.created_at >= give_up_after:
            message.status = OutboxMessage.Status.FAILED
            message.next_attempt_at = now
            logger.error("Outbox row %s (%s) failed for good: %s", row.pk, row.handler, error)
        else:
            message.status = OutboxMessage.Status.PENDING
            message.next_attempt_at = now + backoff(row.attempts)
            logger.warning("Outbox row %s (%s) failed, retrying: %s", row.pk, row.handler, error)
        failed.append(message)
    if failed:
        OutboxMessage.objects.bulk_update(failed, ["status", "next_attempt_at", "last_error"])


def deliver_batch(
    *,
    limit: int = BATCH_SIZE,
    ids: list[int] | None = None,
    now: datetime.datetime | None = None,
    budget: float | None = None,
) -> int:
    """Deliver up to `limit` pending rows (those in `ids`, or every due one) in groups over one
    mail connection, within `budget` seconds when given. Returns how many were delivered."""
    deadline = None if budget is None else time.monotonic() + budget
    # Due means due when the run starts: a row that fails now is due again only after its
    # backoff, never within this run.
    cutoff = now or timezone.now()
    mail = _Mail()
    delivered = tried = 0
    size = GROUP_FIRST
    try:
        while tried < limit and (deadline is None or time.monotonic() < deadline):
            started = time.monotonic()
            mail.next_group()
            with transaction.atomic():
                rows = _claim(min(size, limit - tried), ids=ids, now=cutoff)
                if not rows:
                    break
                _run_group(rows, mail)
                _mark(rows, cutoff=cutoff)
            tried += len(rows)
            delivered += sum(row.error is None for row in rows)
            elapsed = time.monotonic() - started
            rate = len(rows) / max(elapsed, 1e-3)
            size = max(1, min(GROUP_MAX, int(rate * GROUP_SECONDS), size * 2))
    finally:
        mail.close()
    return delivered


def deliver(outbox_id: int) -> bool:
    """Deliver one pending row now, due or not (queued after the commit that wrote it). A row
    another worker holds is skipped, so a duplicated task finds it delivered. True when
    delivered now."""
    return deliver_batch(limit=1, ids=[outbox_id]) == 1


# The periodic job runs every minute: a run that waits on a hanging mail server stops after
# this long, leaving the rest due for the next run, rather than overlapping the next runs and
# filling every worker process.
DELIVER_DUE_BUDGET_SECONDS = 50


def due_ids(*, now: datetime.datetime | None = None, limit: int = 500) -> list[int]:
    return list(
        OutboxMessage.objects.filter(
            status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now or timezone.now()
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def deliver_due(*, now: datetime.datetime | None = None, limit: int = 50_000) -> int:
    """The periodic job: deliver every pending row whose time has come (the ones a broker
    outage left behind, the retries, rows of a worker that died), in groups, within a time
    budget. Returns how many were delivered."""
    return deliver_batch(limit=limit, now=now, budget=DELIVER_DUE_BUDGET_SECONDS)


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
