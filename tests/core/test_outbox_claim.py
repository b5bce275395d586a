"""How a group is claimed on PostgreSQL: the first rows of the due index, not a sort of every
due row (the daily reminders claim some 2,000 groups from 50,000 pending rows)."""

import os

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core import outbox
from core.models import OutboxMessage

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="PostgreSQL's query plan (DATABASE_URL=postgres://...)",
)


@pytest.mark.django_db
def test_a_claim_reads_the_due_index_in_order_without_sorting_the_due_rows():
    OutboxMessage.objects.bulk_create(
        [OutboxMessage(handler="learning.tasks.reminder_email", args={}) for _ in range(50)]
    )
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        claimed = outbox._claim(10, ids=None, now=timezone.now())
    assert len(claimed) == 10
    claim = next(query["sql"] for query in queries if "SKIP LOCKED" in query["sql"])
    with connection.cursor() as cursor:
        # As on a table of 50,000 rows: a table this small would be read whole either way.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + claim)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "outbox_due" in plan
    assert "Sort" not in plan, plan


@pytest.mark.django_db
@pytest.mark.parametrize("plan", ["hash", "nested loop"])
def test_a_claim_takes_at_most_its_size_whatever_plan_postgresql_chooses(plan):
    """A plan that runs the locking subquery once for each row it joins (a nested loop, as
    PostgreSQL chose after a table was emptied by DELETE) must still claim 10 of 50."""
    OutboxMessage.objects.bulk_create(
        [OutboxMessage(handler="learning.tasks.reminder_email", args={}) for _ in range(50)]
    )
    with transaction.atomic(), connection.cursor() as cursor:
        if plan == "nested loop":
            for setting in ("enable_hashjoin", "enable_mergejoin", "enable_material"):
                cursor.execute(f"SET LOCAL {setting} = off")
        claimed = outbox._claim(10, ids=None, now=timezone.now())
    assert len(claimed) == 10
    assert OutboxMessage.objects.filter(attempts=1).count() == 10
