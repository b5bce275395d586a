"""Reads for accessibility reports: who receives them, and the municipal admin's list."""

from django.db.models import QuerySet
from django.http import Http404

from people import permissions
from people.models import AccessibilityReport, Role, User


def municipal_admins(organisation_id: int) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True,
        memberships__organisation_id=organisation_id,
        memberships__role=Role.MUNICIPAL_ADMIN,
    ).distinct()


def reports_for_admin(user: User) -> QuerySet[AccessibilityReport]:
    """Reports from the municipalities the user administers; 404 for everyone else."""
    organisation_ids = permissions.administered_organisation_ids(user)
    if not organisation_ids:
        raise Http404
    return AccessibilityReport.objects.filter(organisation_id__in=organisation_ids).select_related(
        "organisation"
    )
