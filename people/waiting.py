""" "Väntar på mig" (waiting for me): what waits for a person, at the top of their landing
page: sessions to confirm, the next booked mentor meeting, proposals to answer, reviews to
sign, open cases with an alert, incidents to follow up, modules due soon, a pulse to answer.

people sits below the apps that own that work, so it cannot read them itself. Each app
registers its providers here in its AppConfig.ready() (as people.open_work does for a leaver's
open work); a landing page calls `waiting_for(user)` once and includes
"includes/waiting.html".

The whole block costs one query, however many providers there are (issue 23 allows two):
a provider gives one or more `Part`s, querysets of its own rows that the registry reads as
uniform columns (COLUMNS), and all parts of all providers go to the database as ONE
`UNION ALL`. A provider's `render` turns its rows into items in Python, with no query: the
rows carry the names, titles and levels they need. A provider applies to
`roles` only; the roles come from the chrome's cached navigation roles (no query on a warm
session), so a provider that does not apply costs nothing. What a person may see is still
decided by the database: every part filters on the person, or on their memberships through
a subquery, never on the cached roles.

Building a group's querysets and compiling them cost more than running the query (15 `Cast`
columns a part; about half of the learner dashboard's time at 30,000 staff, issue 23), and the
SQL only changes with the shape of the request, not with the person. So each group's SQL is
compiled once per process and shape (its roles, language, time zone, the hints given, the
day) and reused with the request's parameters: the person's id, today and now, and values
derived from them by a fixed offset (`today + 14 days`). See `_compiled` for how the
parameters are found and checked; a group whose SQL depends on anything else is built on every
request, as before.
"""

import datetime
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections, models, router
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Cast
from django.utils import timezone, translation

from core.compiled import execute, parameter

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class WaitingItem:
    """One thing that waits: what to do, where to do it, and when (overdue items are marked)."""

    title: str
    url: str = ""
    detail: str = ""
    day: datetime.date | None = None
    is_urgent: bool = False


# The columns every part reads, with their types: a part leaves out what it does not need
# (NULL of the column's type, so PostgreSQL's UNION resolves each column to one type).
COLUMNS: dict[str, models.Field] = {
    "w_provider": models.CharField(),
    "w_kind": models.CharField(),
    "w_id": models.IntegerField(),
    "w_day": models.DateField(),
    "w_day2": models.DateField(),
    "w_at": models.DateTimeField(),
    "w_at2": models.DateTimeField(),
    "w_time": models.TimeField(),
    "w_name": models.CharField(),
    "w_text": models.CharField(),
    "w_code": models.CharField(),
    "w_number": models.IntegerField(),
    "w_ref1": models.IntegerField(),
    "w_ref2": models.IntegerField(),
    "w_ref3": models.IntegerField(),
}


@dataclass(frozen=True)
class Part:
    """One SELECT of the block's UNION: `queryset` and, per column of COLUMNS without its
    "w_" prefix (kind, id, day, ...), a field name or an expression."""

    queryset: models.QuerySet
    kind: str | models.Expression
    columns: dict = field(default_factory=dict)

    def values(self, provider_key: str) -> models.QuerySet:
        kind = Value(self.kind) if isinstance(self.kind, str) else self.kind
        given = {"provider": Value(provider_key), "kind": kind, **self.columns}
        unknown = set(given) - {name.removeprefix("w_") for name in COLUMNS}
        if unknown:
            raise ValueError(f"unknown waiting columns {unknown}")
        annotations = {}
        for name, output in COLUMNS.items():
            value = given.get(name.removeprefix("w_"))
            if value is None:
                value = Value(None)
            elif isinstance(value, str) and name not in ("w_provider", "w_kind"):
                value = models.F(value)
            annotations[name] = Cast(value, output_field=output)
        return self.queryset.annotate(**annotations).order_by().values(*COLUMNS)


@dataclass
class Context:
    """What a provider knows about the request: the person, their roles (cached), today, and
    what the landing page already read (`hints`, e.g. the dashboard's courses)."""

    user: object
    roles: frozenset
    today: datetime.date
    now: datetime.datetime
    hints: dict


@dataclass(frozen=True)
class Provider:
    """A group of the block. `parts(context)` gives the provider's Parts (read in the block's
    one query) and `render(rows, context)` makes items of its rows; where `parts` returns None,
    `items(context)` makes the items with no query, from what the page already read (`hints`).
    `roles`: the roles it applies to (empty: everyone signed in)."""

    key: str
    label: str
    parts: Callable | None = None
    render: Callable | None = None
    order: int = 100
    roles: frozenset = frozenset()
    items: Callable | None = None

    def applies_to(self, roles: Iterable[str]) -> bool:
        return not self.roles or bool(self.roles & set(roles))


@dataclass(frozen=True)
class WaitingGroup:
    label: str
    items: list[WaitingItem]


_PROVIDERS: dict[str, Provider] = {}


def register(provider: Provider) -> Provider:
    _PROVIDERS[provider.key] = provider
    return provider


def providers() -> list[Provider]:
    return sorted(_PROVIDERS.values(), key=lambda p: (p.order, p.key))


def name_of(user_field: str) -> Subquery:
    """The name of the user in `user_field`, as get_full_name() gives it, in the row's SELECT
    (a lookup per row: the people named are few, the users many)."""
    from people.models import User

    names = (
        User.objects.filter(pk=OuterRef(user_field))
        .annotate(w_full_name=User.full_name_expression())
        .order_by()
    )
    return Subquery(names.values("w_full_name")[:1], output_field=models.CharField())


def _roles(user) -> frozenset:
    from people import chrome

    return chrome.nav_roles_of(user)


# --- Compiled once per shape ------------------------------------------------------------------
# Two made-up requests (a person who does not exist, days centuries away whose "now" lies on
# another day, so a date taken from "now" cannot pass for one taken from "today"): a parameter
# that differs between them is the request's, and must be the person's id, today or now plus
# the same offset in both; one that is the same in both is a constant of the shape.
_PROBES = (
    (
        -2_000_000_011,
        datetime.date(2403, 3, 7),
        datetime.datetime(2403, 3, 10, 23, 30, tzinfo=datetime.UTC),
    ),
    (
        -2_000_000_029,
        datetime.date(2611, 10, 23),
        datetime.datetime(2611, 10, 18, 0, 30, tzinfo=datetime.UTC),
    ),
)
# A cache entry for a group whose SQL is built on every request.
_PER_REQUEST = object()
# Shapes are few (roles x languages x days); the bound only guards a long-lived process.
_MAX_SHAPES = 512
_COMPILED: dict[tuple, object] = {}


@dataclass(frozen=True)
class _Compiled:
    """A group's parts as SQL text (None: a part that selects nothing) with, per parameter,
    a constant or one of the request's values (core.compiled.Parameter); and the converters
    Django applies to its rows."""

    parts: tuple
    converters: dict

    def bind(self, context) -> list[tuple[str, list]]:
        arguments = _arguments(context)
        return [
            (sql, [bound.value(arguments) for bound in parameters])
            for sql, parameters in self.parts
            if sql is not None
        ]


def _arguments(context) -> dict:
    """The request's values a compiled group's parameters may be (core.compiled.parameter)."""
    return {"user": context.user.pk, "today": context.today, "now": context.now}


# The probes as core.compiled.parameter reads them: {argument: (first probe, second probe)}.
_PROBE_ARGUMENTS = {
    name: (first, second)
    for name, first, second in zip(("user", "today", "now"), *_PROBES, strict=True)
}


def _compile_parts(parts: list[Part], provider_key: str, connection) -> tuple[list, dict]:
    """Each part as the SELECT the block's UNION ALL gives it (Django's own combinator SQL),
    and the first part's converters (as the union's rows get them: its first query's)."""
    compiled, converters = [], None
    for part in parts:
        query = part.values(provider_key).query
        compiler = query.get_compiler(connection=connection)
        try:
            sql, params = compiler.as_sql(with_col_aliases=True)
        except EmptyResultSet:
            compiled.append((None, []))
            continue
        if converters is None:
            converters = compiler.get_converters([col for col, _sql, _alias in compiler.select])
            columns = [alias for _col, _sql, alias in compiler.select]
            if columns != list(COLUMNS):
                raise ValueError(f"waiting columns out of order: {columns}")
        compiled.append((sql, list(params)))
    return compiled, converters or {}


def _probe_context(context, probe) -> "Context":
    from people.models import User

    pk, day, now = probe
    return Context(
        user=User(pk=pk),
        roles=context.roles,
        today=day,
        now=now,
        hints=context.hints,
    )


def _compiled(provider: Provider, context, connection) -> "_Compiled | None":
    """The provider's SQL for the request's shape, compiled once per process: None when the
    provider has no parts for it (its items come from the page's hints), _PER_REQUEST when
    its SQL must be built on every request.

    Compiled for two probe requests and for the real one: the two probes must give the same
    SQL and parameters that are the request's values or constants, and the template bound to
    the real request must give exactly what compiling the real request gives; otherwise the
    provider depends on something else (another attribute of the person, a hint's value, the
    clock read inside) and is built per request. The day is part of the shape, so a constant
    that was a date read inside a builder is never a day old."""
    key = (
        provider,
        context.roles,
        translation.get_language(),
        settings.LANGUAGE_CODE,  # the learning group titles by it (its translations or not)
        timezone.get_current_timezone_name(),
        tuple(sorted(name for name, value in context.hints.items() if value is not None)),
        context.today,
        connection.alias,
    )
    entry = _COMPILED.get(key)
    if entry is None:
        entry = _compile_shape(provider, context, connection)
        if len(_COMPILED) >= _MAX_SHAPES:
            _COMPILED.clear()
        _COMPILED[key] = entry
    return entry


def _compile_shape(provider: Provider, context, connection):
    probes = [_probe_context(context, probe) for probe in _PROBES]
    given = [provider.parts(probe) for probe in probes]
    if given[0] is None and given[1] is None:
        return None if provider.parts(context) is None else _PER_REQUEST
    if given[0] is None or given[1] is None:
        return _PER_REQUEST
    (first, converters), (second, _converters) = (
        _compile_parts(list(parts), provider.key, connection) for parts in given
    )
    template = []
    if len(first) != len(second):
        return _not_cached(provider, "the probes have different parts")
    for (sql_a, params_a), (sql_b, params_b) in zip(first, second, strict=True):
        if sql_a != sql_b or len(params_a) != len(params_b):
            return _not_cached(provider, "the probes' SQL differs")
        parameters = [
            parameter(a, b, _PROBE_ARGUMENTS, connection)
            for a, b in zip(params_a, params_b, strict=True)
        ]
        if any(found is None for found in parameters):
            return _not_cached(provider, "a parameter is none of the request's values")
        template.append((sql_a, parameters))
    compiled = _Compiled(parts=tuple(template), converters=converters)
    real_parts = provider.parts(context)
    real = (
        [] if real_parts is None else _compile_parts(list(real_parts), provider.key, connection)[0]
    )
    bound = compiled.bind(context)
    if bound != [(sql, params) for sql, params in real if sql is not None]:
        return _not_cached(provider, "the real request differs from the probes")
    return compiled


def _not_cached(provider: Provider, why: str):
    logger.warning("Väntar på mig: %s byggs vid varje anrop (%s)", provider.key, why)
    return _PER_REQUEST


def _read_compiled(selects: list[tuple[str, list]], converters: dict, connection) -> list:
    """The selects as one UNION ALL (as Django writes it for the database), rows as dicts of
    COLUMNS with Django's converters applied."""
    features = connection.features
    braces = "({})" if features.supports_slicing_ordering_in_compound else "{}"
    if len(selects) == 1:
        sql, params = selects[0]
    else:
        sql = " UNION ALL ".join(braces.format(sql) for sql, _params in selects)
        params = [param for _sql, part_params in selects for param in part_params]
    compiler = models.sql.Query(None).get_compiler(connection=connection)
    # A prepared statement on PostgreSQL (core.compiled.execute): planning this UNION was
    # most of its cost (Mina adepter's six parts: 2.3 -> 1.0 ms at best at 30,000 staff).
    rows = execute(connection, sql, params)
    if converters:
        rows = compiler.apply_converters(rows, converters)
    names = list(COLUMNS)
    return [dict(zip(names, row, strict=True)) for row in rows]


def read_for(applying: list[Provider], context) -> tuple[set[str], dict[str, list[dict]]]:
    """The applying providers' rows in one query: (the keys of those that read rows,
    {provider key: its rows}). Each provider's SQL comes compiled for the request's shape
    (`_compiled`) or, where it cannot, is built for the request."""
    from people.models import User

    connection = connections[router.db_for_read(User)]
    selects: list[tuple[str, list]] = []
    converters = None
    reading: set[str] = set()
    for provider in applying:
        if provider.parts is None:
            continue
        compiled = _compiled(provider, context, connection)
        if compiled is None:
            continue
        if compiled is _PER_REQUEST:
            given = provider.parts(context)
            if given is None:
                continue
            parts, part_converters = _compile_parts(list(given), provider.key, connection)
            selects += [(sql, params) for sql, params in parts if sql is not None]
        else:
            part_converters = compiled.converters
            selects += compiled.bind(context)
        reading.add(provider.key)
        converters = converters or part_converters
    found: dict[str, list[dict]] = defaultdict(list)
    if selects:
        for row in _read_compiled(selects, converters, connection):
            found[row["w_provider"]].append(row)
    return reading, found


def waiting_for(user, **hints) -> list[WaitingGroup]:
    """The user's waiting items, grouped in a fixed order; empty groups left out."""
    if not user.is_authenticated:
        return []
    context = Context(
        user=user,
        roles=_roles(user),
        today=timezone.localdate(),
        now=timezone.now(),
        hints=hints,
    )
    applying = [p for p in providers() if p.applies_to(context.roles)]
    reading, rows = read_for(applying, context)
    groups = []
    for provider in applying:
        if provider.key in reading:
            items = provider.render(rows.get(provider.key, []), context)
        else:
            items = provider.items(context) if provider.items is not None else []
        items = list(items or [])
        if items:
            groups.append(WaitingGroup(label=provider.label, items=items))
    return groups
