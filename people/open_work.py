"""A leaver's open work (avslut): the one rule that decides what a person still holds and
must hand over before they are deactivated or anonymised.

people sits below the apps that own most of that work (cases and mentorships in mentoring,
course-run places in learning), so it cannot read them itself. Each kind of open work is a
`Kind` registered here: people registers the units a person manages; the top layer (team,
which may import every app) registers the rest in its AppConfig.ready(). The leaver page and
people's deactivate/anonymise services read only this registry, so a kind registered later is
listed, reassigned and checked everywhere at once.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

OPEN_WORK_LEFT = _(
    "%(name)s har fortfarande öppet arbete som måste lämnas över eller avslutas först: %(items)s."
)
ROLE_OPEN_WORK_REFUSED = _(
    "%(name)s kan inte lämna rollen %(role)s ännu: öppet arbete måste lämnas över först "
    "(%(items)s) på personens sida under Avslut."
)
NOBODY_TO_TAKE_OVER = _(
    "Det finns ingen att lämna över till: ingen annan aktiv person i kommunen har den roll som "
    "behövs. Ge någon rollen under Personal, så visas hen här."
)
# The open work (kind keys) that comes with a role and must be handed over before the role is
# taken away, on the staff pages or by the directory (SCIM): a mentor's mentees and the
# high-risk cases they supervise, the units only this manager manages, the course runs a
# course leader leads. Other open work (cases they handle themselves) stays theirs whatever
# their role. Role values, not people.models.Role, so this module imports no models.
ROLE_OPEN_WORK = {
    "mentor": ("mentorship_mentor", "case_supervised"),
    "manager": ("managed_unit",),
    "course_leader": ("course_run_led",),
}


@dataclass(frozen=True)
class OpenItem:
    """One piece of open work: what it is, who may take it over, and whether it can be
    closed instead."""

    kind: str
    pk: int
    title: str
    candidates: tuple[tuple[int, str], ...] = ()
    can_close: bool = True

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.pk}"

    @property
    def can_reassign(self) -> bool:
        return bool(self.candidates)


@dataclass(frozen=True)
class Kind:
    """A kind of open work. `items(person)` lists the person's open items of this kind;
    `reassign(actor, person=, pk=, to=)` hands one over to another person and
    `close(actor, person=, pk=)` ends it; both raise ValidationError with a Swedish message
    when they cannot, and are idempotent (an item already handed over is left alone)."""

    key: str
    label: str
    items: Callable
    reassign: Callable | None = None
    close: Callable | None = None
    reassign_label: str = field(default=_("Lämna över till"))
    close_label: str = field(default=_("Avsluta"))
    order: int = 100
    # Whether the person who takes an item over is told by email (the confirmation says so).
    notifies: bool = False
    # What the admin reads for an item that can be neither handed over (nobody has the role it
    # needs) nor closed: the way out, instead of a card without a button.
    stuck_hint: str = field(default=NOBODY_TO_TAKE_OVER)

    def can_close_item(self, item: "OpenItem") -> bool:
        return self.can_close and item.can_close

    def is_stuck(self, item: "OpenItem") -> bool:
        """Nothing on the leaver page can resolve this item until someone gets the role."""
        return not item.can_reassign and not self.can_close_item(item)

    @property
    def can_close(self) -> bool:
        return self.close is not None


_KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    _KINDS[kind.key] = kind
    return kind


def kinds() -> list[Kind]:
    return sorted(_KINDS.values(), key=lambda kind: (kind.order, kind.key))


def kind(key: str) -> Kind | None:
    return _KINDS.get(key)


@dataclass(frozen=True)
class OpenWorkGroup:
    kind: Kind
    items: list[OpenItem]


def open_work_for(person) -> list[OpenWorkGroup]:
    """The person's open work, grouped by kind, in a fixed order; empty groups left out."""
    groups = []
    for registered in kinds():
        items = list(registered.items(person))
        if items:
            groups.append(OpenWorkGroup(kind=registered, items=items))
    return groups


def describe(groups: list[OpenWorkGroup]) -> str:
    return "; ".join(
        f"{group.kind.label}: {', '.join(item.title for item in group.items)}" for group in groups
    )


def open_work_of_role(person, role: str) -> list[OpenWorkGroup]:
    """The person's open work that comes with `role` (ROLE_OPEN_WORK)."""
    kinds = ROLE_OPEN_WORK.get(role, ())
    return [group for group in open_work_for(person) if group.kind.key in kinds] if kinds else []


def role_work_refusal(person, role: str, label: str) -> str | None:
    """The message refusing to take `role` (named `label`) from the person while it still holds
    open work, or None when it holds none."""
    groups = open_work_of_role(person, role)
    if not groups:
        return None
    return ROLE_OPEN_WORK_REFUSED % {
        "name": person.get_full_name(),
        "role": label,
        "items": describe(groups),
    }


def refuse_if_open_work(person) -> None:
    """Deactivating or anonymising a person who still holds open work is refused, with a
    message that lists it."""
    groups = open_work_for(person)
    if groups:
        raise ValidationError(
            OPEN_WORK_LEFT % {"name": person.get_full_name(), "items": describe(groups)}
        )
