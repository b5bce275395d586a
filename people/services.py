"""Writes for people: invitations, memberships and the Wagtail groups that roles imply."""

import datetime

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import outbox
from core.dates import start_date_problem
from core.models import OutboxMessage
from people import permissions
from people.audit import record_event
from people.models import ROLE_GROUPS, AuditAction, Membership, Unit, User

EMAIL_TAKEN = _("Det finns redan ett konto med den e-postadressen.")
NOT_YOUR_MUNICIPALITY = _("Du kan bara bjuda in personer till din egen kommun.")


def sync_role_groups(user: User) -> None:
    """Editors and municipal admins get their Wagtail admin group; nobody else reaches it.

    Only the difference is written: two queries when nothing changes (the person's roles, the
    role groups they hold), where an add or remove of every role group cost four, on every
    membership the staff pages, SCIM and invitations write."""
    roles = set(Membership.objects.filter(user=user).values_list("role", flat=True))
    wanted = {name for role, name in ROLE_GROUPS.items() if role in roles}
    held = dict(user.groups.filter(name__in=ROLE_GROUPS.values()).values_list("name", "pk"))
    if missing := wanted - held.keys():
        user.groups.add(*Group.objects.filter(name__in=missing))
    if extra := held.keys() - wanted:
        user.groups.remove(*(held[name] for name in extra))


@transaction.atomic
def add_membership(
    actor: User | None,
    *,
    user: User,
    role: str,
    start_date: datetime.date,
    unit: Unit | None = None,
    organisation=None,
    audit_action: str = AuditAction.ROLE_CHANGE,
) -> Membership:
    """Give a person a role in a unit (or, for editors and admins, in a municipality); the
    audit log calls it an invitation (audit_action) when it comes with one."""
    organisation = unit.organisation if unit else organisation
    membership, created = Membership.objects.get_or_create(
        user=user,
        organisation=organisation,
        unit=unit,
        role=role,
        defaults={"start_date": start_date},
    )
    changed = created or membership.start_date != start_date
    membership.start_date = start_date
    membership.full_clean()
    membership.save()
    sync_role_groups(user)
    if changed:
        record_event(
            actor,
            action=audit_action,
            obj=membership,
            organisation=organisation,
            details={
                "role": role,
                "unit": unit.name if unit else organisation.name,
                "start": start_date.isoformat(),
            },
        )
    return membership


@transaction.atomic
def invite_person(
    actor: User,
    *,
    email: str,
    full_name: str,
    unit: Unit,
    role: str,
    start_date: datetime.date,
) -> User | None:
    """Invite a person (bjud in) to a unit with a role; the email lets them set a password.

    An address that already has an account in the admin's own municipality is refused as
    taken. Any other existing account (another municipality's staff, a national editor) gets
    the same answer as a new address, so the form cannot be used to find out who works
    where: nothing is created, the person is told by email that someone tried, and None is
    returned."""
    from people.tasks import existing_account_email, invitation_email

    if not permissions.can_invite_to(actor, organisation_id=unit.organisation_id):
        raise PermissionDenied(NOT_YOUR_MUNICIPALITY)
    email = email.strip().lower()
    user = User(email=email, full_name=full_name.strip())
    user.set_unusable_password()
    # The same checks whether or not the address exists, so neither answer tells them apart.
    errors: dict[str, list] = {}
    try:
        user.full_clean(validate_unique=False)
    except ValidationError as error:
        errors = error.message_dict
    if problem := start_date_problem(start_date, today=timezone.localdate()):
        errors.setdefault("start_date", []).append(problem)
    if errors:
        raise ValidationError(errors)
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        if Membership.objects.filter(
            user=existing, organisation_id__in=permissions.administered_organisation_ids(actor)
        ).exists():
            raise ValidationError({"email": EMAIL_TAKEN})
        if existing.is_active:
            outbox.enqueue(
                existing_account_email,
                args={"user_id": existing.pk, "organisation_id": unit.organisation_id},
                # At most one such email a day per municipality: repeated tries are no spam.
                key=f"people.invitation-existing:{existing.pk}:{unit.organisation_id}:"
                f"{timezone.localdate():%Y%m%d}",
                recipient_id=existing.pk,
            )
        return None
    user.save()
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
    add_membership(
        actor,
        user=user,
        unit=unit,
        role=role,
        start_date=start_date,
        audit_action=AuditAction.INVITE,
    )
    outbox.enqueue(
        invitation_email,
        args={"user_id": user.pk},
        recipient_id=user.pk,
        organisation_id=unit.organisation_id,
    )
    return user


INVITATION_ALREADY_RESENT = _("Inbjudan har redan skickats igen.")
INVITATION_NOT_NEEDED = _("%(name)s har redan valt ett lösenord och behöver ingen ny inbjudan.")


@transaction.atomic
def resend_invitation(actor: User, *, delivery: OutboxMessage) -> OutboxMessage:
    """Send a failed invitation again (skicka inbjudan igen), by the rule that decides who may
    invite: a municipal admin of the person's municipality. The failed row is locked and points
    at its replacement, so a second click sends nothing more."""
    from people.tasks import invitation_email

    delivery = OutboxMessage.objects.select_for_update().get(pk=delivery.pk)
    person = User.objects.filter(pk=delivery.recipient_id).first()
    organisation_id = next(
        (
            organisation_id
            for organisation_id in Membership.objects.filter(user=person).values_list(
                "organisation_id", flat=True
            )
            if permissions.can_invite_to(actor, organisation_id=organisation_id)
        ),
        None,
    )
    if (
        person is None
        or organisation_id is None
        or delivery.handler != invitation_email.outbox_name
    ):
        raise PermissionDenied(NOT_YOUR_MUNICIPALITY)
    if delivery.replaced_by_id is not None or delivery.status != OutboxMessage.Status.FAILED:
        raise ValidationError(INVITATION_ALREADY_RESENT)
    if person.has_usable_password() or not person.is_active:
        raise ValidationError(INVITATION_NOT_NEEDED % {"name": person.get_full_name()})
    delivery.replaced_by = outbox.enqueue(
        invitation_email,
        args={"user_id": person.pk},
        recipient_id=person.pk,
        organisation_id=organisation_id,
    )
    delivery.save(update_fields=["replaced_by"])
    record_event(
        actor,
        action=AuditAction.UPDATE,
        obj=person,
        organisation=organisation_id,
        summary="Inbjudan skickad igen",
    )
    return delivery.replaced_by


def mark_email_verified(user: User) -> None:
    """Verify the person's primary address (used when an invitation link has been followed)."""
    EmailAddress.objects.filter(user=user, email__iexact=user.email).update(verified=True)


@transaction.atomic
def set_preferred_language(user: User, *, language: str) -> User:
    """The language switcher saves the language alone: only that field is validated, so a
    name stored before a guard existed (say, one the identity-number guard now refuses) never
    turns a language switch into an error."""
    user.preferred_language = language
    user.clean_fields(
        exclude=[f.name for f in User._meta.concrete_fields if f.name != "preferred_language"]
    )
    user.save(update_fields=["preferred_language"])
    return user


@transaction.atomic
def update_profile(
    user: User, *, full_name: str, preferred_language: str, receives_digest: bool
) -> User:
    """A person changes their own name, language and whether they get the weekly digest."""
    user.full_name = full_name.strip()
    user.preferred_language = preferred_language
    user.receives_digest = receives_digest
    user.full_clean()
    user.save(update_fields=["full_name", "preferred_language", "receives_digest"])
    return user
