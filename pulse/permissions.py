"""Who may see the pulse's results: the one place that decides.

An invitation is its person's alone. Results are figures, never answers: the municipal admin
(kommunadministratör) sees their municipality per unit and in total, and the free-text comments
grouped (they never leave the municipality); a first-line manager sees the figures of the
units they lead. Nobody else sees anything, and nobody sees a person."""

from people import permissions as people_permissions
from people.models import User


def results_reach(user: User) -> tuple[set[int], set[int]]:
    """(municipalities seen whole, units seen as a manager)."""
    if not user.is_authenticated:
        return set(), set()
    return (
        people_permissions.administered_organisation_ids(user),
        people_permissions.managed_unit_ids(user),
    )


def sees_comments(user: User, *, organisation_id: int) -> bool:
    return organisation_id in people_permissions.administered_organisation_ids(user)
