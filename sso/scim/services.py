"""Writes for provisioning from the municipality's directory (katalogsynk, SCIM 2.0).

Every write acts as the municipal admin who created the token (ScimToken.created_by) and
goes through the same services as the staff pages (people.services.invite_person,
people.staff.change_membership / deactivate_person / reactivate_person), so the same rules,
reach and audit lines apply; an extra audit line says the directory asked. The view runs
each request in one transaction: a refused part leaves nothing half-saved.
"""

import hashlib
import secrets

from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from core import outbox
from people import open_work, permissions, staff
from people.audit import Choice, WordList, record_event
from people.models import UNIT_ROLES, AuditAction, Membership, Role, Unit, User
from people.services import invite_person
from sso.models import (
    DirectoryAccount,
    DirectoryGroup,
    DirectorySync,
    EmailDomain,
    IdentityProvider,
    ScimToken,
)
from sso.services import NOT_YOUR_MUNICIPALITY, parse_group_roles

EMAIL_REQUIRED = _("Ange en e-postadress (userName eller emails).")
EMAIL_INVALID = _("E-postadressen %(email)s är inte giltig.")
EMAIL_OTHER_MUNICIPALITY = _(
    "E-postadressen %(email)s hör till en annan kommuns domän och kan inte läggas upp här."
)
EMAIL_OUTSIDE_DOMAINS = _(
    "E-postadressen %(email)s är inte i kommunens domäner (%(domains)s) för inloggning."
)
EMAIL_TAKEN = _("Det finns redan ett konto med e-postadressen %(email)s.")
NAME_REQUIRED = _("Ange personens namn (displayName eller name).")
UNIT_UNKNOWN = _("Enheten ”%(unit)s” finns inte i kommunen. Lägg upp den eller ändra %(attr)s.")
UNIT_REQUIRED = _(
    "Katalogen anger ingen enhet (%(attr)s) och kommunen har ingen enhet för nya konton."
)
OPEN_WORK_REFUSED = _(
    "%(name)s kan inte avaktiveras ännu: öppet arbete måste lämnas över först (%(items)s). "
    "Kommunadministratören har fått ett meddelande."
)
MEMBER_UNKNOWN = _("Personen med id %(id)s finns inte i kommunen.")
OUT_OF_REACH = _(
    "Den här personen kan inte ändras av katalogen (till exempel administratören som skapade "
    "nyckeln). Ändra på personalsidan."
)
TOKEN_LABEL_REQUIRED = _("Ge nyckeln en benämning, till exempel Entra ID.")

# Roles a group gives when the municipality has written no mapping: a group named as the role
# (its value or its Swedish name). Municipality-wide roles are given only by a written line.
DEFAULT_GROUP_ROLES = (Role.NEW_HIRE, Role.SOCIAL_SECRETARY, Role.MENTOR, Role.MANAGER)
# The role a person the directory creates gets until a group says otherwise: new hires get an
# onboarding plan, which a directory's existing staff must not.
DEFAULT_ROLE = Role.SOCIAL_SECRETARY


class OpenWorkRefusedError(ValidationError):
    """Deactivation refused while the person holds open work; the view tells the admins after
    the request's transaction has rolled back."""

    def __init__(self, message, *, person: User, notify: bool = True):
        super().__init__(message, code="mutability")
        self.person = person
        # The admins' email speaks of a deactivation; a role kept back is the directory's
        # error to show (Entra ID's provisioning log), with where to hand the work over.
        self.notify = notify


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


# --------------------------------------------------------------------------------------------
# Tokens
# --------------------------------------------------------------------------------------------
@transaction.atomic
def create_scim_token(actor: User, *, organisation_id: int, label: str) -> tuple[ScimToken, str]:
    """Create a SCIM token (SCIM-nyckel) for the admin's municipality; returns the row and the
    token itself, which is shown once and stored only as its SHA-256."""
    if organisation_id not in permissions.administered_organisation_ids(actor):
        raise PermissionDenied(NOT_YOUR_MUNICIPALITY)
    if not label.strip():
        raise ValidationError({"label": TOKEN_LABEL_REQUIRED})
    raw = secrets.token_urlsafe(32)
    token = ScimToken(
        organisation_id=organisation_id,
        label=label.strip(),
        token_hash=hash_token(raw),
        prefix=raw[:6],
        created_by=actor,
    )
    token.full_clean()
    token.save()
    record_event(
        actor,
        action=AuditAction.CREATE,
        obj=token,
        organisation=organisation_id,
        note=gettext_noop("SCIM-nyckel skapad: %(label)s"),
        note_values={"label": token.label},
    )
    return token, raw


@transaction.atomic
def revoke_scim_token(actor: User, *, token: ScimToken) -> ScimToken:
    """Revoke a SCIM token (återkalla); the directory's next request gets 401. Idempotent."""
    if token.organisation_id not in permissions.administered_organisation_ids(actor):
        raise PermissionDenied(NOT_YOUR_MUNICIPALITY)
    token = ScimToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record_event(
        actor,
        action=AuditAction.UPDATE,
        obj=token,
        organisation=token.organisation_id,
        note=gettext_noop("SCIM-nyckel återkallad: %(label)s"),
        note_values={"label": token.label},
    )
    return token


@transaction.atomic
def save_directory_sync(actor: User, *, sync: DirectorySync) -> DirectorySync:
    """Save how the directory's attributes and groups map to units and roles."""
    if sync.organisation_id not in permissions.administered_organisation_ids(actor):
        raise PermissionDenied(NOT_YOUR_MUNICIPALITY)
    sync.full_clean()
    parse_group_roles(sync.group_roles)
    if sync.default_unit_id and sync.default_unit.organisation_id != sync.organisation_id:
        raise ValidationError({"default_unit": staff.UNIT_ELSEWHERE})
    created = sync.pk is None
    sync.save()
    record_event(
        actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=sync,
        organisation=sync.organisation_id,
        note=gettext_noop("Katalogsynk: inställningar sparade"),
    )
    return sync


def sync_for(organisation_id: int) -> DirectorySync:
    """The municipality's settings, or the defaults (unsaved) when it has written none."""
    return DirectorySync.objects.select_related("default_unit").filter(
        organisation_id=organisation_id
    ).first() or DirectorySync(organisation_id=organisation_id)


# --------------------------------------------------------------------------------------------
# People
# --------------------------------------------------------------------------------------------
def _audit(token: ScimToken, person: User, note: str, action=AuditAction.UPDATE, **values) -> None:
    """`note` is Swedish, marked with gettext_noop: the log shows it in the reader's language."""
    record_event(
        token.created_by,
        action=action,
        obj=person,
        organisation=token.organisation_id,
        note=note,
        note_values={"key": token.prefix, **values},
    )


def _check_email(token: ScimToken, email: str) -> None:
    from django.core.validators import validate_email

    if not email:
        raise ValidationError({"email": EMAIL_REQUIRED})
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError({"email": EMAIL_INVALID % {"email": email}}) from error
    domain = email.rpartition("@")[2]
    owner = (
        EmailDomain.objects.filter(domain=domain)
        .values_list("identity_provider__organisation_id", flat=True)
        .first()
    )
    if owner is not None and owner != token.organisation_id:
        raise ValidationError({"email": EMAIL_OTHER_MUNICIPALITY % {"email": email}})
    idp = IdentityProvider.objects.filter(organisation_id=token.organisation_id).first()
    if idp is not None:
        domains = sorted(idp.domains.values_list("domain", flat=True))
        if domains and domain not in domains:
            raise ValidationError(
                {"email": EMAIL_OUTSIDE_DOMAINS % {"email": email, "domains": ", ".join(domains)}}
            )


def _unit_for(token: ScimToken, sync: DirectorySync, unit_name: str | None) -> Unit:
    attr = sync.unit_attribute
    if unit_name:
        unit = Unit.objects.filter(
            organisation_id=token.organisation_id, name__iexact=unit_name
        ).first()
        if unit is None:
            raise ValidationError({"unit": UNIT_UNKNOWN % {"unit": unit_name[:80], "attr": attr}})
        return unit
    if sync.default_unit_id:
        return sync.default_unit
    idp = IdentityProvider.objects.filter(organisation_id=token.organisation_id).first()
    if idp is not None and idp.default_unit_id:
        return idp.default_unit
    raise ValidationError({"unit": UNIT_REQUIRED % {"attr": attr}})


def primary_membership(person: User, organisation_id: int) -> Membership | None:
    """The membership the directory steers: the person's first unit role in the municipality."""
    return (
        Membership.objects.filter(user=person, organisation_id=organisation_id, role__in=UNIT_ROLES)
        .select_related("unit")
        .order_by("created_at", "pk")
        .first()
    )


def _account(token: ScimToken, person: User) -> DirectoryAccount:
    account, _created = DirectoryAccount.objects.get_or_create(
        user=person, defaults={"organisation_id": token.organisation_id}
    )
    return account


def _set_external_id(token: ScimToken, person: User, external_id: str | None) -> None:
    account = _account(token, person)
    value = (external_id or "").strip()
    if account.external_id != value or account.deleted_at is not None:
        account.external_id = value
        account.deleted_at = None
        account.full_clean()
        account.save()


@transaction.atomic
def create_person(
    token: ScimToken,
    *,
    email: str,
    full_name: str,
    unit_name: str | None,
    active: bool,
    external_id: str | None,
) -> User:
    """The directory adds a person: invited into the municipality's unit (inbjudan, as from
    the staff page), with the default role until a group gives another."""
    email = email.strip().lower()
    _check_email(token, email)
    sync = sync_for(token.organisation_id)
    errors: dict[str, list] = {}
    if not full_name.strip():
        errors["full_name"] = [NAME_REQUIRED]
    try:
        unit = _unit_for(token, sync, unit_name)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    # A person the directory deleted earlier and now adds again comes back as the same account.
    returning = (
        permissions.staff_of_organisations([token.organisation_id])
        .filter(email__iexact=email, directory_account__deleted_at__isnull=False)
        .first()
    )
    if returning is not None:
        update_person(
            token,
            person=returning,
            email=email,
            full_name=full_name,
            unit_name=unit_name,
            active=active,
            external_id=external_id,
        )
        return returning
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            {"email": ValidationError(EMAIL_TAKEN % {"email": email}, code="uniqueness")}
        )
    person = invite_person(
        token.created_by,
        email=email,
        full_name=full_name,
        unit=unit,
        role=DEFAULT_ROLE,
        start_date=timezone.localdate(),
    )
    _set_external_id(token, person, external_id)
    _audit(
        token,
        person,
        gettext_noop("Katalogsynk (SCIM), nyckel %(key)s: konto upplagt"),
        action=AuditAction.CREATE,
    )
    if not active:
        staff.deactivate_person(token.created_by, person=person)
    return person


@transaction.atomic
def update_person(
    token: ScimToken,
    *,
    person: User,
    email: str,
    full_name: str,
    unit_name: str | None,
    active: bool | None,
    external_id: str | None,
) -> User:
    """The directory changes a person: name, address, unit (through the mapped attribute) and
    whether the account is active, each through the staff pages' services and audited."""
    actor = token.created_by
    if not permissions.can_manage_person(actor, person):
        raise PermissionDenied(OUT_OF_REACH)
    person = User.objects.select_for_update().get(pk=person.pk)
    email = email.strip().lower()
    full_name = full_name.strip()
    if not full_name:
        raise ValidationError({"full_name": NAME_REQUIRED})
    if email != person.email:
        _check_email(token, email)
        if User.objects.filter(email__iexact=email).exclude(pk=person.pk).exists():
            raise ValidationError(
                {"email": ValidationError(EMAIL_TAKEN % {"email": email}, code="uniqueness")}
            )
    changes = []
    if full_name != person.full_name:
        changes.append(gettext_noop("namn"))
    if email != person.email:
        changes.append(gettext_noop("e-postadress"))
    if changes:
        old_email = person.email
        person.full_name, person.email = full_name, email
        person.full_clean()
        person.save(update_fields=["full_name", "email"])
        if email != old_email:
            EmailAddress.objects.filter(user=person).delete()
            EmailAddress.objects.create(user=person, email=email, primary=True, verified=False)
        _audit(
            token,
            person,
            gettext_noop("Katalogsynk (SCIM), nyckel %(key)s: ändrat %(fields)s"),
            fields=WordList(tuple(changes)),
        )
    if unit_name is not None:
        sync = sync_for(token.organisation_id)
        unit = _unit_for(token, sync, unit_name)
        membership = primary_membership(person, token.organisation_id)
        if membership is not None and membership.unit_id != unit.pk:
            staff.change_membership(
                actor,
                membership=membership,
                role=membership.role,
                unit=unit,
                start_date=membership.start_date,
            )
    _set_external_id(token, person, external_id)
    if active is False and person.is_active:
        _deactivate(token, person)
    elif active is True and not person.is_active:
        staff.reactivate_person(actor, person=person)
    return person


def _deactivate(token: ScimToken, person: User) -> None:
    groups = open_work.open_work_for(person)
    if groups:
        raise OpenWorkRefusedError(
            OPEN_WORK_REFUSED
            % {"name": person.get_full_name(), "items": open_work.describe(groups)},
            person=person,
        )
    staff.deactivate_person(token.created_by, person=person)


@transaction.atomic
def delete_person(token: ScimToken, *, person: User) -> None:
    """The directory deletes a person: the leaver flow's deactivation (refused while open work
    must be handed over); every record stays, and SCIM no longer shows them."""
    if not permissions.can_manage_person(token.created_by, person):
        raise PermissionDenied(OUT_OF_REACH)
    if person.is_active:
        _deactivate(token, person)
    account = _account(token, person)
    account.deleted_at = timezone.now()
    account.save(update_fields=["deleted_at", "updated_at"])
    for group in person.directory_groups.filter(organisation_id=token.organisation_id):
        group.members.remove(person)
    _audit(
        token,
        person,
        gettext_noop("Katalogsynk (SCIM), nyckel %(key)s: borttagen i katalogen (avaktiverad)"),
        action=AuditAction.DELETE,
    )


def tell_admins_of_refusal(token: ScimToken, *, person: User, detail: str) -> int:
    """Email the municipality's admins that the directory could not deactivate a person while
    they hold open work; at most once a day per person and admin (the directory retries)."""
    from sso.tasks import directory_refusal_email

    admins = Membership.objects.filter(
        organisation_id=token.organisation_id,
        role=Role.MUNICIPAL_ADMIN,
        user__is_active=True,
    ).values_list("user_id", flat=True)
    sent = 0
    with transaction.atomic():
        for admin_id in sorted(set(admins)):
            row = outbox.enqueue(
                directory_refusal_email,
                args={"admin_id": admin_id, "person_id": person.pk, "detail": detail[:1000]},
                key=f"sso.scim-open-work:{person.pk}:{admin_id}:{timezone.localdate():%Y%m%d}",
                recipient_id=admin_id,
                organisation_id=token.organisation_id,
            )
            sent += row is not None
    return sent


# --------------------------------------------------------------------------------------------
# Groups and the roles they give
# --------------------------------------------------------------------------------------------
def _role_lines(sync: DirectorySync) -> list[tuple[str, str]]:
    if sync.group_roles.strip():
        return parse_group_roles(sync.group_roles)
    lines = []
    for role in DEFAULT_GROUP_ROLES:
        lines.append((role.value, role.value))
        lines.append((str(role.label), role.value))
    return lines


def role_from_groups(sync: DirectorySync, groups) -> str | None:
    """The role of the first mapping line that names one of the person's groups (by name, id
    or externalId, names without regard to case), or None."""
    names = set()
    for group in groups:
        names.update({group.display_name.lower(), str(group.pk), group.external_id.lower()})
    names.discard("")
    for group, role in _role_lines(sync):
        if group.lower() in names:
            return role
    return None


def _refuse_if_role_holds_work(person: User, role: str) -> None:
    """The directory may not take a role away while it holds open work (people.open_work's
    ROLE_OPEN_WORK), as the staff pages may not."""
    refusal = open_work.role_work_refusal(person, role, Role(role).label)
    if refusal is not None:
        raise OpenWorkRefusedError(refusal, person=person, notify=False)


def _end_wide_role(token: ScimToken, membership: Membership) -> None:
    """A municipality-wide role (kommunadministratör, kursledare) the person's groups no
    longer give ends: the membership goes, audited as the staff pages' role changes are."""
    from people.services import sync_role_groups

    person, role = membership.user, membership.role
    membership.delete()
    sync_role_groups(person)
    record_event(
        token.created_by,
        action=AuditAction.ROLE_CHANGE,
        obj=person,
        organisation=token.organisation_id,
        note=gettext_noop("Katalogsynk (SCIM), nyckel %(key)s: rollen %(role)s borttagen"),
        note_values={"key": token.prefix, "role": Choice("people.membership", "role", role)},
    )


def _apply_roles(token: ScimToken, people: set[int], *, left: frozenset = frozenset()) -> None:
    """Give each person whose groups changed the role their groups give now: a unit role
    changes their role in their unit (change_membership); a municipality-wide role is added
    (add_membership). Without a mapped group, a unit role returns to the default role, and a
    municipality-wide role that a group they left (`left`: the roles of the groups whose
    members changed) gave ends. A role that still holds open work (a mentor's mentees) is
    refused with OpenWorkRefusedError until that work is handed over."""
    from people.services import add_membership

    sync = sync_for(token.organisation_id)
    for person in User.objects.filter(pk__in=people):
        # The admin who made the token, say, is not the directory's to change.
        if not permissions.can_manage_person(token.created_by, person):
            continue
        groups = list(person.directory_groups.filter(organisation_id=token.organisation_id))
        given = role_from_groups(sync, groups)
        role = given or DEFAULT_ROLE
        if role in UNIT_ROLES:
            membership = primary_membership(person, token.organisation_id)
            if membership is not None and membership.role != role:
                _refuse_if_role_holds_work(person, membership.role)
                staff.change_membership(
                    token.created_by,
                    membership=membership,
                    role=role,
                    unit=membership.unit,
                    start_date=membership.start_date,
                )
        else:
            add_membership(
                token.created_by,
                user=person,
                role=role,
                start_date=timezone.localdate(),
                organisation=token.organisation,
            )
        ended = Membership.objects.filter(
            user=person,
            organisation_id=token.organisation_id,
            unit__isnull=True,
            role__in=[r for r in left if r not in UNIT_ROLES and r != given],
        ).select_related("user")
        for membership in ended:
            _refuse_if_role_holds_work(person, membership.role)
            _end_wide_role(token, membership)


def _members(token: ScimToken, member_ids: list[str]) -> list[User]:
    in_reach = permissions.staff_of_organisations([token.organisation_id]).exclude(
        directory_account__deleted_at__isnull=False
    )
    people = []
    for raw in member_ids:
        person = in_reach.filter(pk=int(raw)).first() if str(raw).isdigit() else None
        if person is None:
            raise ValidationError({"members": MEMBER_UNKNOWN % {"id": str(raw)[:40]}})
        people.append(person)
    return people


@transaction.atomic
def save_group(
    token: ScimToken,
    *,
    group: DirectoryGroup | None,
    display_name: str,
    external_id: str | None,
    member_ids: list[str],
) -> DirectoryGroup:
    """Create or replace a directory group and its members; members whose groups changed get
    the role their groups now give."""
    members = _members(token, member_ids)
    created = group is None
    if group is None:
        group = DirectoryGroup(organisation_id=token.organisation_id)
    group.display_name = (display_name or "").strip()
    group.external_id = (external_id or "").strip()
    group.full_clean()
    group.save()
    before = set(group.members.values_list("pk", flat=True))
    after = {member.pk for member in members}
    group.members.set(members)
    mapped = role_from_groups(sync_for(token.organisation_id), [group])
    record_event(
        token.created_by,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=group,
        organisation=token.organisation_id,
        note=gettext_noop(
            "Katalogsynk (SCIM), nyckel %(key)s: grupp %(group)s, %(count)s medlemmar"
        ),
        note_values={
            "key": token.prefix,
            "group": group.display_name[:80],
            "count": len(after),
        },
    )
    # Only a group that gives a role changes roles: joining "Alla anställda" changes nothing.
    if mapped is not None:
        _apply_roles(token, before ^ after, left=frozenset({mapped}))
    return group


@transaction.atomic
def delete_group(token: ScimToken, *, group: DirectoryGroup) -> None:
    members = set(group.members.values_list("pk", flat=True))
    mapped = role_from_groups(sync_for(token.organisation_id), [group])
    record_event(
        token.created_by,
        action=AuditAction.DELETE,
        obj=group,
        organisation=token.organisation_id,
        note=gettext_noop("Katalogsynk (SCIM), nyckel %(key)s: grupp %(group)s"),
        note_values={"key": token.prefix, "group": group.display_name[:80]},
    )
    group.delete()
    if mapped is not None:
        _apply_roles(token, members, left=frozenset({mapped}))
