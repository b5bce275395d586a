"""Who may see and make safety checks: the one place that decides.

A check is the person's own. Their mentor (in an active mentorship) and the managers of the
check's unit read it, because they are the ones who act on it; nobody else does, not the
municipal admin, not a case's named supervisor, not a colleague."""

from django.db.models import Q

from mentoring.models import Mentorship
from people import permissions as people_permissions
from people.models import User


def check_scope(user: User) -> Q:
    if not user.is_authenticated:
        return Q(pk__in=[])
    mentees = Mentorship.objects.filter(mentor=user, status=Mentorship.Status.ACTIVE).values(
        "mentee_id"
    )
    return (
        Q(person=user)
        | Q(person_id__in=mentees)
        | Q(unit_id__in=people_permissions.managed_unit_ids(user))
    )


def incident_scope(user: User) -> Q:
    """An incident is read by its person, the managers of its unit and, when the person chose
    to tell them, their mentor in an active mentorship."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    mentees = Mentorship.objects.filter(mentor=user, status=Mentorship.Status.ACTIVE).values(
        "mentee_id"
    )
    return (
        Q(person=user)
        | Q(person_id__in=mentees, tell_mentor=True)
        | Q(unit_id__in=people_permissions.managed_unit_ids(user))
    )


def manages_incident(user: User, incident) -> bool:
    """The follow-up (debrief offered, followed up) is the manager's: the employer's duty."""
    return incident.unit_id in people_permissions.managed_unit_ids(user)


def is_told_mentor(user: User, incident) -> bool:
    return (
        incident.tell_mentor
        and Mentorship.objects.filter(
            mentor=user, mentee_id=incident.person_id, status=Mentorship.Status.ACTIVE
        ).exists()
    )
