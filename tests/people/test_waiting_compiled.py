""" "Väntar på mig" compiles each group's SQL once per process and shape, and binds the
request's values to it (issue 23: building and compiling the UNION ALL was half the learner
dashboard's time). What it must keep: every person gets their own rows, dates move with
today, and a group whose SQL depends on anything else is built on every request."""

import datetime

import pytest
from django.db import connection
from django.db.models import Value
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from people import waiting
from people.models import Role, User
from tests.factories import MembershipFactory
from tests.logs import logged
from tests.queries import prepared_statements

IN_THREE_DAYS = datetime.timedelta(days=3)


def _render(rows, context):
    return [waiting.WaitingItem(title=row["w_name"], day=row["w_day"]) for row in rows]


def _register(monkeypatch, parts) -> None:
    provider = waiting.Provider("test.me", "Jag", parts=parts, render=_render)
    monkeypatch.setattr(waiting, "_PROVIDERS", {provider.key: provider})


def _items(user) -> list[waiting.WaitingItem]:
    return [item for group in waiting.waiting_for(user) for item in group.items]


@pytest.fixture
def two_new_hires(ny, enhet_a):
    """ny and a colleague with the same roles: the same shape, so the same compiled SQL."""
    other = MembershipFactory(unit=enhet_a, role=Role.NEW_HIRE).user
    assert waiting._roles(other) == waiting._roles(ny)
    return ny, other


@pytest.mark.django_db
def test_a_group_is_built_once_and_each_person_gets_their_own_rows(monkeypatch, two_new_hires):
    built = []

    def parts(context):
        built.append(context.user.pk)
        return [
            waiting.Part(
                User.objects.filter(pk=context.user.pk),
                kind="me",
                columns={"id": "pk", "name": "email", "day": Value(context.today + IN_THREE_DAYS)},
            )
        ]

    _register(monkeypatch, parts)
    first, second = two_new_hires
    due = timezone.localdate() + IN_THREE_DAYS
    assert _items(first) == [waiting.WaitingItem(title=first.email, day=due)]
    built_for_first = len(built)
    with CaptureQueriesContext(connection) as captured:
        assert _items(second) == [waiting.WaitingItem(title=second.email, day=due)]
    assert _items(first) == [waiting.WaitingItem(title=first.email, day=due)]
    # The second person's block was not built again, and it is still one query.
    assert len(built) == built_for_first
    assert len(captured) == 1


@pytest.mark.django_db
def test_a_group_that_reads_more_than_the_persons_id_is_built_per_request(
    monkeypatch, two_new_hires
):
    """The probes cannot stand in for the person's e-mail address: the SQL bound to the real
    request differs from the real request's own, so the group is built every time (and the
    log says so), and each person still gets their own rows."""
    built = []

    def parts(context):
        built.append(context.user.pk)
        return [
            waiting.Part(
                User.objects.filter(email=context.user.email),
                kind="me",
                columns={"id": "pk", "name": "email"},
            )
        ]

    _register(monkeypatch, parts)
    first, second = two_new_hires
    with logged("people.waiting") as log:
        assert [item.title for item in _items(first)] == [first.email]
    assert any("test.me byggs vid varje anrop" in message for message in log.messages)
    built_before = len(built)
    assert [item.title for item in _items(second)] == [second.email]
    assert [item.title for item in _items(first)] == [first.email]
    assert len(built) == built_before + 2


@pytest.mark.django_db
def test_the_compiled_sql_is_djangos_union(monkeypatch, two_new_hires):
    """The block's SQL is what Django writes for the union of the parts (the same query, rows
    and column types as before), with the request's parameters bound."""

    def parts(context):
        mine = User.objects.filter(pk=context.user.pk)
        return [
            waiting.Part(mine, kind="a", columns={"id": "pk", "at": Value(context.now)}),
            waiting.Part(mine, kind="b", columns={"id": "pk", "day": Value(context.today)}),
        ]

    _register(monkeypatch, parts)
    first, second = two_new_hires
    waiting.waiting_for(first)  # compiles the shape
    context = waiting.Context(
        user=second,
        roles=waiting._roles(second),
        today=timezone.localdate(),
        now=timezone.now(),
        hints={},
    )
    a, b = (part.values("test.me") for part in parts(context))
    expected_sql, expected_params = a.union(b, all=True).query.sql_with_params()
    [provider] = waiting.providers()
    compiled = waiting._compiled(provider, context, connection)
    selects = compiled.bind(context)
    braces = "({})" if connection.features.supports_slicing_ordering_in_compound else "{}"
    assert " UNION ALL ".join(braces.format(sql) for sql, _ in selects) == expected_sql
    assert [p for _sql, params in selects for p in params] == list(expected_params)
    rows = waiting.read_for([provider], context)[1]["test.me"]
    assert rows == list(a.union(b, all=True))
    by_kind = {row["w_kind"]: row for row in rows}
    # Read back as Django reads the union: an aware datetime and a date.
    assert timezone.is_aware(by_kind["a"]["w_at"]) and by_kind["b"]["w_day"] == context.today


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL prepares statements")
def test_the_blocks_query_is_prepared_once_for_everyone_of_a_shape(monkeypatch, two_new_hires):
    """The UNION's planning was most of its cost (2.3-7.9 ms a request on Mina adepter), so it
    runs as a prepared statement (core.compiled.execute): planned for the shape, not for
    each person; each person still gets their own rows, and the query log shows the SQL
    Django's union gives, values in place."""

    def parts(context):
        mine = User.objects.filter(pk=context.user.pk)
        return [
            waiting.Part(mine, kind="a", columns={"id": "pk", "name": "email"}),
            waiting.Part(mine, kind="b", columns={"name": "email", "day": Value(context.today)}),
        ]

    _register(monkeypatch, parts)
    first, second = two_new_hires
    today = timezone.localdate()
    for person in (first, second, first):
        with CaptureQueriesContext(connection) as captured:
            items = _items(person)
        assert items == [
            waiting.WaitingItem(title=person.email),
            waiting.WaitingItem(title=person.email, day=today),
        ]
        context = waiting.Context(user=person, roles=frozenset(), today=today, now=None, hints={})
        a, b = (part.values("test.me") for part in parts(context))
        with CaptureQueriesContext(connection) as orm:
            list(a.union(b, all=True))
        assert [q["sql"] for q in captured] == [q["sql"] for q in orm]
    ((sql, runs),) = [(sql, n) for sql, n in prepared_statements().items() if "w_provider" in sql]
    assert runs == 3 and "$1" in sql
