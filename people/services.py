"""Writes for people: invitations, memberships and the Wagtail groups that roles imply."""

import datetime

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from people import permissions
from people.audit import record_event
from people.models import ROLE_GROUPS, AuditAction, Membership, Unit, User

EMAIL_TAKEN = _("Det finns redan ett konto med den e-postadressen.")
NOT_YOUR_MUNICIPALITY = _("Du kan bara bjuda in personer till din egen kommun.")


def sync_role_groups(user: User) -> None:
    """Editors and municipal admins get their Wagtail admin group; nobody else reaches it."""
    roles = set(Membership.objects.filter(user=user).values_list("role", flat=True))
    role_of = {name: role for role, name in ROLE_GROUPS.items()}
    for group in Group.objects.filter(name__in=role_of):
        if role_of[group.name] in roles:
            user.groups.add(group)
        else:
            user.groups.remove(group)


@transaction.atomic
def add_membership(
    actor: User | None,
    *,
    user: User,
    role: str,
    start_date: datetime.date,
    unit: Unit | None = None,
    organisation=None,
) -> Membership:
    """Give a person a role in a unit (or, for editors and admins, in a municipality)."""
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
            action=AuditAction.ROLE_CHANGE,
            obj=membership,
            organisation=organisation,
            summary=f"{membership.get_role_display()} från {start_date:%Y-%m-%d}",
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
) -> User:
    """Invite a person (bjud in) to a unit with a role; the email lets them set a password."""
    if not permissions.can_invite_to(actor, organisation_id=unit.organisation_id):
        raise PermissionDenied(NOT_YOUR_MUNICIPALITY)
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": EMAIL_TAKEN})
    user = User(email=email, full_name=full_name.strip())
    user.set_unusable_password()
    user.full_clean()
    user.save()
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
    add_membership(actor, user=user, unit=unit, role=role, start_date=start_date)

    from people.tasks import send_invitation

    transaction.on_commit(lambda: send_invitation.delay(user.pk))
    return user


def mark_email_verified(user: User) -> None:
    """Verify the person's primary address (used when an invitation link has been followed)."""
    EmailAddress.objects.filter(user=user, email__iexact=user.email).update(verified=True)


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
