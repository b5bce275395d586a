"""Aggregates the ORM has only for one database: the project runs on PostgreSQL (tests, CI,
production) and on SQLite (`make run`), so each here has an SQL spelling for both."""

from django.db.models import Aggregate, JSONField


class JSONArrayAgg(Aggregate):
    """The group's values as one JSON array (None for no rows): PostgreSQL's JSONB_AGG,
    SQLite's JSON_GROUP_ARRAY. django.contrib.postgres's JSONBAgg has no SQLite spelling, and
    the module page, which reads its learner's started and done modules with it, failed there
    with "no such function: JSONB_AGG"."""

    function = "JSONB_AGG"
    output_field = JSONField()

    def as_sqlite(self, compiler, connection, **extra_context):
        # JSON_GROUP_ARRAY gives '[]' for no rows where JSONB_AGG gives NULL: one answer for both.
        return super().as_sql(
            compiler,
            connection,
            function="JSON_GROUP_ARRAY",
            template="NULLIF(%(function)s(%(distinct)s%(expressions)s), '[]')",
            **extra_context,
        )
