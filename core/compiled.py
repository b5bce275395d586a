"""ORM queries compiled to SQL once per process (issue 23): one mechanism for every page that
needs it.

Building a QuerySet and compiling it costs Python time on every request, and for the pages a
person opens all day it cost more than PostgreSQL spends running the query: "Mina adepter"
9.5 ms of CPU for a 1 ms query, Mitt team's 12-week chart ~11 ms for 0.7 ms
(benchmarks/README.md). The SQL of such a query changes only with its *shape* (which filters
apply, how many days, the language); the values inside (a person's id, a course, today) are
parameters. So the query is written once, as an ordinary QuerySet built from named
arguments, and compiled here for two made-up *probe* values of each argument:

- both probes must give the same SQL;
- each parameter must be a constant (equal in both), an argument (its probe value, as the
  database driver is given it), or, for dates and datetimes, an argument plus a fixed offset
  (`today + 7 days`);
- and the first real call compiles the real arguments once more and must get exactly what
  the bound template gives.

Anything else (a builder that reads the clock, another attribute of the person, a list whose
length varies) and the query is built on every call, as it would be without this module, with
a warning in the log: a wrong guess costs speed, never a wrong row. Rows come back as the
QuerySet would give them (`.values()` dicts or `.values_list()` tuples), with Django's
converters applied (SQLite's dates, time zones, JSON).

The time zone, the language and the database are part of the shape on their own: a query with
`__date` or a translated label is compiled per zone and language.

On PostgreSQL the compiled SQL also runs as a server-side prepared statement (`execute`), so
the database plans it once per connection rather than on every request: planning was most of
the cost of the largest of these queries ("Väntar på mig" on Mina adepter at 30,000 staff:
2.3 -> 1.0 ms at best, median 5.1 -> 1.2-2.4 ms at load 5, benchmarks/README.md "Mentor
overview, session 32"). Django's own queries bind their parameters on the client and are never
prepared; the switch is the database's OPTIONS `prepare_threshold` (config/settings.py,
`DATABASE_PREPARED_STATEMENTS`)."""

import datetime
import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.backends.utils import CursorDebugWrapper
from django.db.models import QuerySet
from django.db.models.query import FlatValuesListIterable, ValuesIterable, ValuesListIterable
from django.db.models.sql import Query
from django.utils import timezone, translation

logger = logging.getLogger(__name__)

# Shapes are few (days x languages x zones); the bound only guards a long-lived process.
MAX_SHAPES = 256
_PER_CALL = object()


_DICTS, _TUPLES, _FLAT = "dicts", "tuples", "flat"


@dataclass(frozen=True)
class Parameter:
    """One parameter of a compiled query: a constant, or an argument (plus a fixed offset for
    dates and datetimes) as the database driver is given it."""

    constant: Any = None
    name: Any = None  # the argument's name (a sequence's item: (name, i)); None: a constant
    offset: datetime.timedelta | None = None
    adapt: Callable[[Any], Any] | None = None

    def value(self, args: dict):
        if self.name is None:
            return self.constant
        argument = args[self.name]
        return self.adapt(argument if self.offset is None else argument + self.offset)


@dataclass(frozen=True)
class _Template:
    sql: str
    parameters: tuple[Parameter, ...]
    names: tuple[str, ...]
    converters: dict
    rows_as: str

    def params(self, args: dict) -> list:
        return [parameter.value(args) for parameter in self.parameters]


def _rows_as(queryset: QuerySet) -> str | None:
    """How the QuerySet hands out rows; None for model instances (not compiled here)."""
    iterable = queryset._iterable_class
    if issubclass(iterable, FlatValuesListIterable):
        return _FLAT
    if issubclass(iterable, ValuesListIterable):
        return _TUPLES
    if issubclass(iterable, ValuesIterable):
        return _DICTS
    return None


def _compile(queryset: QuerySet, connection) -> tuple[str, list, tuple, dict]:
    query = queryset.query
    compiler = query.get_compiler(connection=connection)
    sql, params = compiler.as_sql()
    converters = compiler.get_converters([col for col, _sql, _alias in compiler.select])
    return sql, list(params), tuple(query.selected or ()), converters


def _adapters(connection) -> list[Callable[[Any], Any]]:
    """How an argument may reach the driver: as it is, or as the backend adapts a date or a
    datetime (text on SQLite)."""
    ops = connection.ops
    return [_as_is, ops.adapt_datefield_value, ops.adapt_datetimefield_value]


def _as_is(value):
    return value


def _matches(adapt, values: tuple, params: tuple) -> bool:
    try:
        return tuple(adapt(value) for value in values) == params
    except (AttributeError, TypeError, ValueError):
        return False


def parameter(first, second, probes: dict, connection) -> Parameter | None:
    """What a parameter is, from its values in the SQL compiled for the two probes
    (`probes`: {argument: (first probe, second probe)}); None when it is neither a constant
    nor an argument (plus a fixed offset, for dates and datetimes)."""
    if first == second and type(first) is type(second):
        return Parameter(constant=first)
    for name, pair in probes.items():
        for adapt in _adapters(connection):
            if _matches(adapt, pair, (first, second)):
                return Parameter(name=name, adapt=adapt)
        offset = _offset((first, second), pair)
        if offset is not None:
            for adapt in _adapters(connection):
                if _matches(adapt, (pair[0] + offset, pair[1] + offset), (first, second)):
                    return Parameter(name=name, offset=offset, adapt=adapt)
    return None


def _offset(params: tuple, probes: tuple) -> datetime.timedelta | None:
    """The timedelta by which both parameters are their probes moved, if the same."""
    if not all(isinstance(probe, datetime.date) for probe in probes):
        return None
    moved = []
    for param, probe in zip(params, probes, strict=True):
        value = param
        if isinstance(param, str):
            parse = datetime.datetime if isinstance(probe, datetime.datetime) else datetime.date
            try:
                value = parse.fromisoformat(param)
            except ValueError:
                return None
        if not isinstance(value, datetime.date):
            return None
        if isinstance(value, datetime.datetime) and timezone.is_naive(value):
            value = value.replace(tzinfo=datetime.UTC)  # as SQLite's adapter writes UTC
        try:
            moved.append(value - probe)
        except TypeError:
            return None
    return moved[0] if moved[0] == moved[1] else None


@dataclass(frozen=True)
class Many:
    """The probes of an argument that is a sequence of ids (a team's units): for a sequence of
    n, `first`, `first - 1`, … and `second`, `second - 1`, …; n is part of the shape."""

    first: int
    second: int

    def pair(self, n: int) -> tuple[list[int], list[int]]:
        return [self.first - i for i in range(n)], [self.second - i for i in range(n)]


def _flat(args: dict) -> dict:
    """Each argument as scalars: a sequence's items as (name, i)."""
    flat = {}
    for name, value in args.items():
        if isinstance(value, list | tuple):
            flat.update({(name, i): item for i, item in enumerate(value)})
        else:
            flat[name] = value
    return flat


class CompiledQuery:
    """A QuerySet `build(**kwargs)` (of `.values()` or `.values_list()`) whose SQL is compiled
    once per process and shape.

    `probes` names each argument that varies with two made-up values no real call uses (ids no
    row has, dates far from today), of the argument's type, or `Many(…)` for a sequence of ids.
    The other keyword arguments of `rows()` are the shape: passed to `build` as they are, and
    part of the cache key."""

    def __init__(self, label: str, build: Callable[..., QuerySet], *, probes: dict[str, tuple]):
        self.label = label
        self.build = build
        self.probes = probes
        self._templates: dict[tuple, Any] = {}

    def rows(self, **kwargs) -> list:
        """The rows `list(build(**kwargs))` gives (dicts, tuples or values, as built)."""
        args = {name: kwargs[name] for name in self.probes}
        shape = {name: value for name, value in kwargs.items() if name not in self.probes}
        lengths = tuple(
            (name, len(args[name])) for name, spec in self.probes.items() if isinstance(spec, Many)
        )
        queryset = None
        key = (
            tuple(sorted(shape.items())),
            lengths,
            translation.get_language(),
            timezone.get_current_timezone_name(),
        )
        template = self._templates.get(key)
        if template is None:
            queryset = self.build(**kwargs)
            template = self._template(shape, args, dict(lengths), queryset)
            if len(self._templates) >= MAX_SHAPES:
                self._templates.clear()
            self._templates[key] = template
        if template is _PER_CALL:
            return list(queryset if queryset is not None else self.build(**kwargs))
        connection, template = template
        return self._execute(template, _flat(args), connections[connection])

    def _probe_pairs(self, lengths: dict) -> dict:
        """{argument: (first probe, second probe)}, sequences at the call's length."""
        return {
            name: spec.pair(lengths[name]) if isinstance(spec, Many) else spec
            for name, spec in self.probes.items()
        }

    def _template(self, shape: dict, args: dict, lengths: dict, queryset: QuerySet):
        rows_as = _rows_as(queryset)
        if rows_as is None:
            return self._not_compiled("it gives model instances")
        connection = connections[queryset.db or router.db_for_read(queryset.model)]
        pairs = self._probe_pairs(lengths)
        try:
            probed = [
                _compile(
                    self.build(**shape, **{name: pair[i] for name, pair in pairs.items()}),
                    connection,
                )
                for i in (0, 1)
            ]
            real_sql, real_params, _names, _converters = _compile(queryset, connection)
        except EmptyResultSet:
            return self._not_compiled("a call selects nothing")
        (sql, params, names, converters), (sql_b, params_b, _names_b, _conv_b) = probed
        if sql != sql_b or len(params) != len(params_b):
            return self._not_compiled("the probes' SQL differs")
        flat_a, flat_b = (_flat({name: pair[i] for name, pair in pairs.items()}) for i in (0, 1))
        flat_pairs = {key: (flat_a[key], flat_b[key]) for key in flat_a}
        parameters = tuple(
            parameter(a, b, flat_pairs, connection) for a, b in zip(params, params_b, strict=True)
        )
        if any(found is None for found in parameters):
            return self._not_compiled("a parameter is neither a constant nor an argument")
        template = _Template(sql, parameters, names, converters, rows_as)
        if (real_sql, real_params) != (sql, template.params(_flat(args))):
            return self._not_compiled("the real call differs from the probes")
        return connection.alias, template

    def _not_compiled(self, why: str):
        logger.warning("%s: built on every call (%s)", self.label, why)
        return _PER_CALL

    @staticmethod
    def _execute(template: _Template, args: dict, connection) -> list:
        rows = execute(connection, template.sql, template.params(args))
        if template.converters:
            compiler = Query(None).get_compiler(connection=connection)
            rows = compiler.apply_converters(rows, template.converters)
        if template.rows_as == _DICTS:
            return [dict(zip(template.names, row, strict=True)) for row in rows]
        if template.rows_as == _FLAT:
            return [row[0] for row in rows]
        return [tuple(row) for row in rows]


# --- Server-side prepared statements ----------------------------------------------------------


def prepares(connection) -> bool:
    """Whether compiled SQL runs as a prepared statement on this connection: PostgreSQL through
    psycopg 3 with the OPTIONS `prepare_threshold` set (None, Django's default, turns them off,
    as a PgBouncer in transaction mode before 1.22 needs)."""
    return (
        connection.vendor == "postgresql"
        and connection.settings_dict["OPTIONS"].get("prepare_threshold") is not None
        and _prepared_cursor_class() is not None
    )


def execute(connection, sql: str, params: list) -> list[tuple]:
    """The rows of SQL compiled here (its parameters bound on each call): prepared on the
    server where `prepares(connection)`, else through Django's ordinary cursor. Either way the
    query goes through Django's cursor wrapper, so the query log, `execute_wrapper`s and the
    tests' query counts see it as they see any other."""
    if not prepares(connection):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    # What connection.cursor() does, with our cursor in place of Django's.
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    with connection.wrap_database_errors:
        raw = _prepared_cursor_class()(connection.connection)
    if connection.queries_logged:
        cursor = _LoggedPreparedCursor(raw, connection)
    else:
        cursor = connection.make_cursor(raw)
    with cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@functools.cache
def _prepared_cursor_class():
    """A psycopg 3 cursor that binds on the server and prepares every statement it runs (None
    without psycopg 3). Django's own cursor binds on the client, which cannot prepare."""
    try:
        from django.db.backends.postgresql.base import ServerBindingCursor
    except ImportError:  # no psycopg 3
        return None

    class PreparedCursor(ServerBindingCursor):
        def execute(self, query, params=None, **_kwargs):
            return super().execute(query, params, prepare=True)

    return PreparedCursor


class _LoggedPreparedCursor(CursorDebugWrapper):
    """Django's debug wrapper logs what the driver sent; for a prepared statement that is the
    SQL with $1, $2 … and no values. Logged with the values in place instead, as for every
    other query, so a query log (and benchmarks.inprocess --explain) can run it again."""

    def execute(self, sql, params=None):
        with self.debug_sql(self.db.ops.compose_sql(sql, params), params):
            return self._execute_with_wrappers(sql, params, many=False, executor=self._execute)
