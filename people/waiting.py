""" "Väntar på mig" (waiting for me): what waits for a person, at the top of their landing
page: sessions to confirm, the next booked mentor meeting, proposals to answer, reviews to
sign, open cases with an alert, incidents to follow up, modules due soon.

people sits below the apps that own that work, so it cannot read them itself. Each app
registers its providers here in its AppConfig.ready() (as people.open_work does for a leaver's
open work); a landing page calls `waiting_for(user)` once and includes
"includes/waiting.html". A provider is one group on the page and reads at most two queries,
none when the person has no part in it (its roles come from the cached memberships).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class WaitingItem:
    """One thing that waits: what to do, where to do it, and when (overdue items are marked)."""

    title: str
    url: str = ""
    detail: str = ""
    day: datetime.date | None = None
    is_urgent: bool = False


@dataclass(frozen=True)
class Provider:
    """`items(user, hints)` lists the user's waiting items of this group. `hints` carries what
    the landing page already read (the dashboard's courses), so nothing is read twice."""

    key: str
    label: str
    items: Callable
    order: int = 100


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


def waiting_for(user, **hints) -> list[WaitingGroup]:
    """The user's waiting items, grouped in a fixed order; empty groups left out."""
    if not user.is_authenticated:
        return []
    groups = []
    for provider in providers():
        items = list(provider.items(user, hints))
        if items:
            groups.append(WaitingGroup(label=provider.label, items=items))
    return groups
