"""core.compiled: a query compiled once per process gives exactly the rows the QuerySet gives,
for other people and other days, on SQLite and PostgreSQL, and falls back to building the
query on every call (with a warning) where its SQL depends on more than its arguments."""

import datetime

import pytest
from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.compiled import CompiledQuery, Many
from people.models import Membership, Role
from tests.factories import MembershipFactory, UnitFactory
from tests.logs import logged
from tests.queries import prepared_statements

pytestmark = pytest.mark.django_db

FAR_DAYS = (datetime.date(1901, 3, 4), datetime.date(1903, 5, 6))


def _started(unit_id, since, role=Role.NEW_HIRE):
    return (
        Membership.objects.filter(unit_id=unit_id, role=role, start_date__gte=since)
        .annotate(weekish=F("start_date"), n=Count("user__memberships"))
        .order_by("user__email")
        .values("user__email", "start_date", "weekish", "n", "created_at")
    )


@pytest.fixture
def units():
    today = timezone.localdate()
    first, second = UnitFactory(), UnitFactory()
    for unit, days in ((first, (3, 20, 40)), (second, (1, 2))):
        for back in days:
            MembershipFactory(unit=unit, start_date=today - datetime.timedelta(days=back))
    MembershipFactory(unit=first, role=Role.MENTOR)
    return first, second


def test_rows_are_the_querysets_for_other_arguments_and_one_query_each(units):
    built = []

    def build(unit_id, since):
        built.append(unit_id)
        return _started(unit_id, since)

    query = CompiledQuery(
        "test", build, probes={"unit_id": (-7_000_001, -7_000_003), "since": FAR_DAYS}
    )
    today = timezone.localdate()
    with logged("core.compiled") as log:
        for unit in units:
            for back in (0, 5, 30, 100):
                since = today - datetime.timedelta(days=back)
                expected = list(_started(unit.pk, since))
                assert query.rows(unit_id=unit.pk, since=since) == expected
    assert not log.messages
    # Compiled at the first call (two probes and the real arguments), never again.
    assert len(built) == 3
    with CaptureQueriesContext(connection) as queries:
        rows = query.rows(unit_id=units[0].pk, since=today - datetime.timedelta(days=30))
    assert len(queries) == 1
    assert [row["user__email"] for row in rows] == [
        m.user.email
        for m in Membership.objects.filter(unit=units[0], role=Role.NEW_HIRE)
        .filter(start_date__gte=today - datetime.timedelta(days=30))
        .order_by("user__email")
    ]
    # Converters applied as the ORM applies them: aware datetimes, dates as dates.
    assert all(timezone.is_aware(row["created_at"]) for row in rows)
    assert all(isinstance(row["start_date"], datetime.date) for row in rows)


def test_a_date_offset_from_an_argument_is_bound_and_the_shape_keys_the_sql(units):
    def build(unit_id, day, mentors):
        role = Role.MENTOR if mentors else Role.NEW_HIRE
        return (
            Membership.objects.filter(unit_id=unit_id, role=role)
            .filter(Q(start_date__gte=day - datetime.timedelta(days=21)) | Q(start_date=day))
            .order_by("pk")
            .values_list("pk", "start_date")
        )

    query = CompiledQuery("test", build, probes={"unit_id": (-1, -2), "day": FAR_DAYS})
    today = timezone.localdate()
    for mentors in (False, True, False):
        for unit in units:
            for day in (today, today - datetime.timedelta(days=19)):
                expected = list(build(unit.pk, day, mentors))
                assert query.rows(unit_id=unit.pk, day=day, mentors=mentors) == expected
    assert len(query._templates) == 2


def test_flat_values(units):
    def build(unit_id):
        return (
            Membership.objects.filter(unit_id=unit_id).order_by("pk").values_list("pk", flat=True)
        )

    query = CompiledQuery("test", build, probes={"unit_id": (-1, -2)})
    for unit in units:
        assert query.rows(unit_id=unit.pk) == list(build(unit.pk))


def test_a_builder_that_depends_on_more_than_its_arguments_is_built_every_call(units):
    """A value read inside the builder (here the clock, as a constant that is not a probe)
    would be stale if compiled: the probes disagree, so it is not."""

    def build(unit_id):
        return (
            Membership.objects.filter(unit_id=unit_id, created_at__lte=timezone.now())
            .order_by("pk")
            .values("pk")
        )

    query = CompiledQuery("test", build, probes={"unit_id": (-1, -2)})
    with logged("core.compiled") as log:
        rows = query.rows(unit_id=units[0].pk)
        assert query.rows(unit_id=units[1].pk) == list(build(units[1].pk))
    assert rows == list(build(units[0].pk))
    assert "neither a constant nor an argument" in log.text
    assert rows  # the rows are real, not an empty fallback


def test_the_real_call_must_give_the_probes_sql(units):
    """An argument that changes the SQL only for real values (here: a unit id above zero
    adds a filter) is caught when the first real call is compared with the template."""

    def build(unit_id):
        rows = Membership.objects.filter(unit_id=unit_id)
        if unit_id > 0:
            rows = rows.filter(role=Role.NEW_HIRE)
        return rows.order_by("pk").values("pk")

    query = CompiledQuery("test", build, probes={"unit_id": (-1, -2)})
    with logged("core.compiled") as log:
        assert query.rows(unit_id=units[0].pk) == list(build(units[0].pk))
        assert query.rows(unit_id=units[1].pk) == list(build(units[1].pk))
    assert ["the real call differs from the probes" in m for m in log.messages] == [True]


def test_probes_that_change_the_sql_fall_back_with_a_warning(units):
    def build(unit_id):
        rows = Membership.objects.filter(unit_id=unit_id)
        if unit_id == -1:
            rows = rows.exclude(role=Role.MENTOR)
        return rows.order_by("pk").values("pk")

    query = CompiledQuery("test", build, probes={"unit_id": (-1, -2)})
    with logged("core.compiled") as log:
        assert query.rows(unit_id=units[0].pk) == list(build(units[0].pk))
    assert "the probes' SQL differs" in log.text


def test_model_instances_are_not_compiled(units):
    def build(unit_id):
        return Membership.objects.filter(unit_id=unit_id).order_by("pk")

    query = CompiledQuery("test", build, probes={"unit_id": (-1, -2)})
    with logged("core.compiled") as log:
        assert query.rows(unit_id=units[0].pk) == list(build(units[0].pk))
    assert "model instances" in log.text


@pytest.mark.parametrize("zone", ["Europe/Stockholm", "America/Los_Angeles", "Asia/Tokyo"])
def test_a_date_of_a_datetime_is_compiled_per_time_zone(units, zone):
    """`created_at__date` is a time-zone conversion in SQL: the zone is part of the shape."""

    def build(unit_id, day):
        return (
            Membership.objects.filter(unit_id=unit_id, created_at__date__lte=day)
            .order_by("pk")
            .values("pk")
        )

    query = CompiledQuery("test", build, probes={"unit_id": (-1, -2), "day": FAR_DAYS})
    for name in ("UTC", zone):
        with timezone.override(name):
            day = timezone.localdate()
            for unit in units:
                assert query.rows(unit_id=unit.pk, day=day) == list(build(unit.pk, day))
    assert len(query._templates) == 2


def test_a_sequence_of_ids_is_bound_item_by_item_and_its_length_is_the_shape(units):
    """Mitt team's units: one or several; each length compiled once, every item a parameter."""
    built = []

    def build(unit_ids, day):
        built.append(len(unit_ids))
        return (
            Membership.objects.filter(unit_id__in=unit_ids, start_date__lte=day)
            .order_by("pk")
            .values_list("pk", "unit_id")
        )

    query = CompiledQuery("test", build, probes={"unit_ids": Many(-1_000, -2_000), "day": FAR_DAYS})
    today = timezone.localdate()
    first, second = (unit.pk for unit in units)
    for unit_ids in ([first], [second], [first, second], [second, first], [first]):
        assert query.rows(unit_ids=unit_ids, day=today) == list(build(unit_ids, today))
    assert len(query._templates) == 2
    # Built for the probes and the first real call of each length (3 + 3), then once per
    # check above (5): compiled rows never call build again.
    assert len(built) == 6 + 5


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
)


@postgresql_only
def test_on_postgresql_the_sql_is_prepared_once_and_logged_with_its_values(units):
    """PostgreSQL plans a prepared statement once per connection, not on every request
    (planning was most of the cost of Mina adepter's largest query); the query log still
    reads as Django's own, values in place, so a logged query can be run again."""
    assert connection.settings_dict["OPTIONS"]["prepare_threshold"] is not None
    query = CompiledQuery(
        "test", _started, probes={"unit_id": (-7_000_001, -7_000_003), "since": FAR_DAYS}
    )
    since = timezone.localdate() - datetime.timedelta(days=30)
    for unit in (*units, units[0]):
        assert query.rows(unit_id=unit.pk, since=since) == list(_started(unit.pk, since))
    prepared = {
        sql: runs for sql, runs in prepared_statements().items() if "people_membership" in sql
    }
    ((sql, runs),) = prepared.items()
    assert runs == 3
    assert "$1" in sql and str(units[0].pk) not in sql
    with CaptureQueriesContext(connection) as compiled:
        query.rows(unit_id=units[1].pk, since=since)
    with CaptureQueriesContext(connection) as orm:
        list(_started(units[1].pk, since))
    assert [q["sql"] for q in compiled] == [q["sql"] for q in orm]
    assert prepared_statements()[sql] == 4


@postgresql_only
def test_without_prepare_threshold_nothing_is_prepared(units, monkeypatch):
    """DATABASE_PREPARED_STATEMENTS=False (a pooler that cannot keep them) leaves the
    OPTIONS without prepare_threshold: the same rows through Django's ordinary cursor."""
    monkeypatch.delitem(connection.settings_dict["OPTIONS"], "prepare_threshold")
    query = CompiledQuery(
        "test", _started, probes={"unit_id": (-7_000_001, -7_000_003), "since": FAR_DAYS}
    )
    since = timezone.localdate() - datetime.timedelta(days=30)
    before = prepared_statements()
    for unit in units:
        with CaptureQueriesContext(connection) as captured:
            assert query.rows(unit_id=unit.pk, since=since) == list(_started(unit.pk, since))
        assert len(captured) == 2  # the compiled query and the check's own
    assert prepared_statements() == before


@postgresql_only
def test_a_rolled_back_savepoint_costs_a_new_prepare_not_an_error(units):
    """psycopg forgets (and deallocates) every prepared statement when a transaction or a
    savepoint is rolled back, as a view's failed atomic block does: the next call prepares
    the statement again and gives the same rows."""
    query = CompiledQuery(
        "test", _started, probes={"unit_id": (-7_000_001, -7_000_003), "since": FAR_DAYS}
    )
    since = timezone.localdate() - datetime.timedelta(days=30)
    expected = list(_started(units[0].pk, since))
    assert query.rows(unit_id=units[0].pk, since=since) == expected
    with pytest.raises(RuntimeError), transaction.atomic():
        assert query.rows(unit_id=units[0].pk, since=since) == expected
        raise RuntimeError
    assert query.rows(unit_id=units[0].pk, since=since) == expected
    assert query.rows(unit_id=units[1].pk, since=since) == list(_started(units[1].pk, since))
    prepared = [runs for sql, runs in prepared_statements().items() if "people_membership" in sql]
    assert prepared == [2]  # prepared again after the rollback, then reused
