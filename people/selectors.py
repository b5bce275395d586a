"""Reads for people pages, scoped to the requesting user."""

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from people import permissions, personal_data
from people.models import Membership, Unit, User


def staff_for_admin(user: User) -> QuerySet[Membership]:
    """Memberships in the municipalities the user administers; 404 for anyone else."""
    organisation_ids = permissions.administered_organisation_ids(user)
    if not organisation_ids:
        raise Http404
    anonymisable = personal_data.departed_candidates(user).filter(pk=OuterRef("user_id"))
    return (
        Membership.objects.filter(organisation_id__in=organisation_ids)
        .annotate(anonymisable=Exists(anonymisable))
        .select_related("user", "unit", "organisation")
        .order_by("organisation__name", "unit__name", "user__full_name")
    )


def units_for_admin(user: User) -> QuerySet[Unit]:
    return Unit.objects.filter(
        organisation_id__in=permissions.administered_organisation_ids(user)
    ).select_related("organisation")
