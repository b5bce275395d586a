"""core.aggregates on both databases the project runs on: the suite's own (PostgreSQL in CI)
and, whatever the suite's is, an in-memory SQLite as `make run` has it."""

import sqlite3

import pytest
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper
from django.db.models import Value
from wagtail.models import Page

from core.aggregates import JSONArrayAgg


@pytest.mark.django_db
def test_the_values_come_back_as_one_json_list(course):
    ids = Page.objects.order_by().aggregate(ids=JSONArrayAgg("id"))["ids"]
    assert sorted(ids) == sorted(Page.objects.values_list("id", flat=True))
    assert Page.objects.filter(pk=-1).aggregate(ids=JSONArrayAgg("id"))["ids"] is None


def test_sqlite_has_a_spelling_of_it():
    sqlite = DatabaseWrapper(
        {**connection.settings_dict, "ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"},
        alias="sqlite-check",
    )
    compiler = Page.objects.none().query.get_compiler(connection=sqlite)
    sql, params = JSONArrayAgg(Value(1)).as_sqlite(compiler, sqlite)
    assert "JSON_GROUP_ARRAY(" in sql
    # Run by Python's own sqlite3 (pytest-django keeps tests from Django's connections).
    database = sqlite3.connect(":memory:")
    try:
        # SQL the aggregate compiled, its parameters kept apart.
        aggregate = sql.replace("%s", "?")
        two_rows = f"SELECT {aggregate} FROM (SELECT 1 UNION ALL SELECT 2)"  # noqa: S608
        no_rows = f"SELECT {aggregate} FROM (SELECT 1 WHERE 0)"  # noqa: S608
        assert database.execute(two_rows, params).fetchone()[0] == "[1,1]"
        # As JSONB_AGG: NULL for no rows, not '[]'.
        assert database.execute(no_rows, params).fetchone()[0] is None
    finally:
        database.close()
