"""Who may do what in mentoring: the one place that decides."""

from people import permissions as people_permissions
from people.models import Organisation, Role, Unit, User

# Roles that may be proposed a mentor (adepter) and roles that may mentor.
MENTEE_ROLES = (Role.NEW_HIRE,)
MENTOR_ROLES = (Role.MENTOR, Role.SOCIAL_SECRETARY)


def can_run_matching(user: User, *, organisation: Organisation, unit: Unit | None = None) -> bool:
    """Municipal admins for their whole municipality; first-line managers for their units."""
    if organisation.pk in people_permissions.administered_organisation_ids(user):
        return True
    return (
        unit is not None
        and unit.organisation_id == organisation.pk
        and unit.pk in people_permissions.managed_unit_ids(user)
    )


def is_participant(user: User, mentorship) -> bool:
    return user.pk in (mentorship.mentor_id, mentorship.mentee_id)


def is_manager(user: User) -> bool:
    return bool(people_permissions.managed_unit_ids(user))


def matching_scopes(user: User) -> tuple[set[int], set[int]]:
    """(municipality ids the user may match in, unit ids the user may match in)."""
    return (
        people_permissions.administered_organisation_ids(user),
        people_permissions.managed_unit_ids(user),
    )
