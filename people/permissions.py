"""Who may do what with people, municipalities and units: the one place that decides."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from people.models import LEARNER_ROLES, Membership, Role, User


def _memberships(user) -> list[Membership]:
    """The user's memberships, fetched once per request object and kept on the user."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_membership_cache", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("unit", "organisation"))
        user._membership_cache = cached
    return cached


def roles_of(user) -> set[str]:
    return {m.role for m in _memberships(user)}


def has_role(user, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))


def is_learner(user) -> bool:
    return has_role(user, *LEARNER_ROLES)


def administered_organisation_ids(user) -> set[int]:
    """Municipalities where the user is municipal admin (kommunadministratör)."""
    return {m.organisation_id for m in _memberships(user) if m.role == Role.MUNICIPAL_ADMIN}


def managed_unit_ids(user) -> set[int]:
    """Units the user leads as first-line manager (första linjens chef)."""
    return {m.unit_id for m in _memberships(user) if m.role == Role.MANAGER}


def managed_units(user) -> list:
    """The Unit objects the user leads as manager, from the memberships already fetched."""
    units = {m.unit_id: m.unit for m in _memberships(user) if m.role == Role.MANAGER}
    return sorted(units.values(), key=lambda unit: unit.name)


# Roles that see case data or supervision records, and so must use two-step verification.
MFA_ROLES = (Role.MENTOR, Role.MANAGER, Role.MUNICIPAL_ADMIN)


def requires_mfa(user) -> bool:
    return user.is_superuser or has_role(user, *MFA_ROLES)


def has_mfa(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def can_invite_to(user, *, organisation_id: int) -> bool:
    return organisation_id in administered_organisation_ids(user)


def can_edit_curriculum(user) -> bool:
    return user.is_superuser or has_role(user, Role.EDITOR)


# The curriculum is national: its editors (redaktörer) work for every municipality, whichever
# municipality their membership names, as do superusers and Django admin staff. No municipal
# admin may act on them as a person (anonymise, and so end their account).
NATIONAL_ROLES = (Role.EDITOR,)


def people_within_reach(actor) -> QuerySet:
    """People a municipal admin may act on as a whole person: staff whose every
    membership is in a municipality the admin administers, holding no national role, and not
    the admin themself. Everyone else is out of reach (a 404, whether they exist or not)."""
    organisation_ids = administered_organisation_ids(actor)
    elsewhere = Membership.objects.filter(user=OuterRef("pk")).exclude(
        organisation_id__in=organisation_ids
    )
    national = Membership.objects.filter(user=OuterRef("pk"), role__in=NATIONAL_ROLES)
    return (
        User.objects.filter(memberships__organisation_id__in=organisation_ids)
        .exclude(Q(is_superuser=True) | Q(is_staff=True) | Exists(elsewhere) | Exists(national))
        .exclude(pk=actor.pk)
        .distinct()
    )
