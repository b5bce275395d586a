"""Reads for SCIM, every one scoped to the token's municipality: a person or group of another
municipality is not found (404), whatever its id."""

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from people import permissions
from people.models import ANONYMISED_EMAIL_DOMAIN, UNIT_ROLES, Membership, User
from sso.models import DirectoryGroup, ScimToken
from sso.scim.services import hash_token

# A token's "last used" time is written at most this often, not on every request.
LAST_USED_EVERY_SECONDS = 300


def token_for(raw: str) -> ScimToken | None:
    """The active token with this value, whose creator is still an active admin of its
    municipality; None otherwise (the request gets 401)."""
    if not raw:
        return None
    token = (
        ScimToken.objects.select_related("created_by", "organisation")
        .filter(token_hash=hash_token(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.created_by.is_active:
        return None
    if token.organisation_id not in permissions.administered_organisation_ids(token.created_by):
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > (
        LAST_USED_EVERY_SECONDS
    ):
        ScimToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def people_for(token: ScimToken) -> QuerySet[User]:
    """The people the municipality's directory sees: wholly the municipality's staff (as a
    municipal admin's reach), not anonymised, not deleted by the directory."""
    organisation_id = token.organisation_id
    return (
        permissions.staff_of_organisations([organisation_id])
        .exclude(email__endswith=ANONYMISED_EMAIL_DOMAIN)
        .exclude(directory_account__deleted_at__isnull=False)
        .select_related("directory_account")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(
                    organisation_id=organisation_id, role__in=UNIT_ROLES
                )
                .select_related("unit")
                .order_by("created_at", "pk"),
                to_attr="scim_unit_memberships",
            ),
            Prefetch(
                "directory_groups",
                queryset=DirectoryGroup.objects.filter(organisation_id=organisation_id),
                to_attr="scim_groups",
            ),
        )
        .order_by("pk")
    )


def get_person_for(token: ScimToken, *, resource_id: str) -> User:
    if not resource_id.isdigit():
        raise Http404
    person = people_for(token).filter(pk=int(resource_id)).first()
    if person is None:
        raise Http404
    return person


def groups_for(token: ScimToken) -> QuerySet[DirectoryGroup]:
    return (
        DirectoryGroup.objects.filter(organisation_id=token.organisation_id)
        .prefetch_related("members")
        .order_by("pk")
    )


def get_group_for(token: ScimToken, *, resource_id: str) -> DirectoryGroup:
    if not resource_id.isdigit():
        raise Http404
    group = groups_for(token).filter(pk=int(resource_id)).first()
    if group is None:
        raise Http404
    return group
