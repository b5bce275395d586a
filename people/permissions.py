"""Who may do what with people, municipalities and units: the one place that decides."""

from django.conf import settings
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


def managed_unit_ids_query(user) -> QuerySet:
    """managed_unit_ids read by the database, as a subquery: for reads that must not load the
    memberships first ("Väntar på mig" costs one query, people.waiting)."""
    return Membership.objects.filter(user_id=user.pk, role=Role.MANAGER).values("unit_id")


def administered_organisation_ids_query(user) -> QuerySet:
    """administered_organisation_ids as a subquery (see managed_unit_ids_query)."""
    return Membership.objects.filter(user_id=user.pk, role=Role.MUNICIPAL_ADMIN).values(
        "organisation_id"
    )


def managed_units(user) -> list:
    """The Unit objects the user leads as manager, from the memberships already fetched."""
    units = {m.unit_id: m.unit for m in _memberships(user) if m.role == Role.MANAGER}
    return sorted(units.values(), key=lambda unit: unit.name)


# Roles that see case data or supervision records, and so must use two-step verification.
MFA_ROLES = (Role.MENTOR, Role.MANAGER, Role.MUNICIPAL_ADMIN)


def follow_up_assignments(user) -> list:
    """The user's follow-up roles (länssamordnare, nationell uppföljning), fetched once per
    request object and kept on the user, like the memberships."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_follow_up_cache", None)
    if cached is None:
        from people.models import FollowUpAssignment

        cached = list(FollowUpAssignment.objects.filter(user=user).select_related("county"))
        user._follow_up_cache = cached
    return cached


def requires_mfa(user) -> bool:
    # Follow-up roles see aggregates of supervised cases (figures, not cases); a stolen
    # password must still not open them, so they are held to the same second factor.
    return user.is_superuser or has_role(user, *MFA_ROLES) or bool(follow_up_assignments(user))


def has_mfa(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def used_mfa_in_session(request) -> bool:
    """The second factor was entered in this session (at login, on re-entry, or by setting up
    the authenticator): allauth's own record of the session's authentication steps.

    A session that was logged in with the password alone (before the authenticator existed,
    or before a role that requires it was given) has no such record and does not count.
    """
    from allauth.account.authentication import get_authentication_records

    return any(
        record.get("method") == "mfa"
        for record in get_authentication_records(request, request.user)
    )


# Fail closed: a person whose role requires two-step verification reaches ONLY these pages
# until an authenticator is set up and used in this session (people.middleware.
# MFARequiredMiddleware); every other URL, including any added later, is refused.
# tests/test_access_matrix.py walks every URL pattern against this list.
MFA_OPEN_URL_NAMES = frozenset(
    {
        # Setting up and entering the second factor, and the login flow around it.
        "account_login",
        "account_logout",
        "account_reauthenticate",  # allauth asks for the password before a set-up
        "account_email_verification_sent",
        "account_confirm_email",
        "account_reset_password",
        "account_reset_password_done",
        "account_reset_password_from_key",
        "account_reset_password_from_key_done",
        "mfa_index",
        "mfa_activate_totp",
        "mfa_authenticate",
        "mfa_reauthenticate",
        # Single sign-on through the municipality's identity provider (sso/, allauth's
        # OpenID Connect and SAML providers): the login flow itself, which is how a second
        # factor the identity provider vouches for reaches the session.
        "sso:find",
        "sso:login",
        "openid_connect_login",
        "openid_connect_callback",
        "saml_login",
        "saml_acs",
        "saml_finish_acs",
        "saml_sls",
        "saml_metadata",
        "socialaccount_login_cancelled",
        "socialaccount_login_error",
        "socialaccount_signup",
        # Public pages.
        "people:set_language",
        "people:accessibility",
        "verify",
        "health",
        "learning:calendar_feed",  # the token is the key; calendar apps have no session
        # SCIM provisioning (sso/scim): the municipality's bearer token is the key, never a
        # session; without a valid token every one of these answers 401.
        "scim:root",
        "scim:users",
        "scim:user",
        "scim:groups",
        "scim:group",
        "scim:service_provider_config",
        "scim:resource_types",
        "scim:resource_type",
        "scim:schemas",
        "scim:schema",
        "scim:unknown",
    }
)
# Pages of the Wagtail tree are served by one URL pattern ("wagtail_serve"), so the page type
# decides (people.wagtail_hooks): these public types open, every other type (modules, and any
# type added later) waits for the second factor.
MFA_OPEN_PAGE_TYPES = frozenset(
    {"content.homepage", "content.catalogpage", "content.coursepage", "content.infopage"}
)
MFA_PAGE_VIEW_NAME = "wagtail_serve"


def mfa_pending(request) -> bool:
    """Two-step verification is required of this person and not yet used in this session."""
    user = request.user
    return (
        settings.MFA_REQUIRED
        and user.is_authenticated
        and not used_mfa_in_session(request)
        and requires_mfa(user)
    )


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
    return staff_of_organisations(administered_organisation_ids(actor)).exclude(pk=actor.pk)


def staff_of_organisations(organisation_ids) -> QuerySet:
    """The people that belong wholly to these municipalities: every membership in one of them,
    no national role, no superuser or Django admin staff. What a municipal admin may act on
    (people_within_reach) and what the municipality's directory may provision (sso.scim)."""
    elsewhere = Membership.objects.filter(user=OuterRef("pk")).exclude(
        organisation_id__in=organisation_ids
    )
    national = Membership.objects.filter(user=OuterRef("pk"), role__in=NATIONAL_ROLES)
    return (
        User.objects.filter(memberships__organisation_id__in=organisation_ids)
        .exclude(Q(is_superuser=True) | Q(is_staff=True) | Exists(elsewhere) | Exists(national))
        .distinct()
    )


def can_administer_accounts(actor) -> bool:
    """The platform operator's user admin (Wagtail's, at /admin/users/): whoever may edit any
    account there, by the permission that admin itself asks for (superusers have it)."""
    return actor.has_perm(f"{User._meta.app_label}.change_user")


def can_manage_person(actor, person) -> bool:
    """The one rule for every staff-lifecycle action on a person (change a role, unit or start
    date; resend or revoke an invitation; hand over open work; deactivate, reactivate,
    anonymise): a municipal admin, for people within their reach."""
    return people_within_reach(actor).filter(pk=person.pk).exists()
