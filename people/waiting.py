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
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import models
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Cast
from django.utils import timezone


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


def read_rows(parts_by_provider: dict[str, list[Part]]) -> dict[str, list[dict]]:
    """All parts in one query: {provider key: its rows}."""
    querysets = [part.values(key) for key, parts in parts_by_provider.items() for part in parts]
    found: dict[str, list[dict]] = defaultdict(list)
    if not querysets:
        return found
    first, *rest = querysets
    for row in first.union(*rest, all=True) if rest else first:
        found[row["w_provider"]].append(row)
    return found


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
    parts = {}
    for provider in applying:
        given = provider.parts(context) if provider.parts is not None else None
        if given is not None:
            parts[provider.key] = list(given)
    rows = read_rows(parts)
    groups = []
    for provider in applying:
        if provider.key in parts:
            items = provider.render(rows.get(provider.key, []), context)
        else:
            items = provider.items(context) if provider.items is not None else []
        items = list(items or [])
        if items:
            groups.append(WaitingGroup(label=provider.label, items=items))
    return groups
