"""Exact query counts, as Zulip's assert_database_query_count: a page that gains one query fails
its test, so the change is seen and explained in the commit that makes it, never hidden under a
ceiling. Where PostgreSQL and SQLite differ (savepoints, Wagtail's tree queries), each is named.
"""

import contextlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext


@contextlib.contextmanager
def exact_queries(count: int | None = None, *, sqlite: int | None = None, postgresql=None):
    """Fail unless the block runs exactly `count` queries (or the figure for this backend)."""
    if count is None:
        count = {"sqlite": sqlite, "postgresql": postgresql}[connection.vendor]
    assert count is not None, f"no expected query count for {connection.vendor}"
    with CaptureQueriesContext(connection) as captured:
        yield captured
    if len(captured) != count:
        sql = "\n".join(f"{n}. {q['sql']}" for n, q in enumerate(captured.captured_queries, 1))
        pytest.fail(
            f"{len(captured)} queries on {connection.vendor}, expected exactly {count}:\n{sql}",
            pytrace=False,
        )


def prepared_statements() -> dict[str, int]:
    """The statements prepared on the test's PostgreSQL connection (core.compiled.execute):
    {SQL with $1, $2 …: how many times it has run}."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans + custom_plans FROM pg_prepared_statements")
        return dict(cursor.fetchall())
