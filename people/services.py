"""Writes for people: invitations, memberships and the Wagtail groups that roles imply."""

import datetime

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, Exists, OuterRef, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import outbox
from core.compiled import CompiledQuery
from core.dates import start_date_problem
from core.models import OutboxMessage
from people import permissions
from people.audit import record_event
from people.models import ROLE_GROUPS, AuditAction, Membership, Unit, User

EMAIL_TAKEN = _("Det finns redan ett konto med den e-postadressen.")
NOT_YOUR_MUNICIPALITY = _("Du kan bara bjuda in personer till din egen kommun.")


def _role_groups_of(user_id):
    """Each role group: its id, whether the person holds it, whether a role of theirs wants it."""
    role_of_group = Case(*(When(name=name, then=Value(role)) for role, name in ROLE_GROUPS.items()))
    return (
        Group.objects.filter(name__in=ROLE_GROUPS.values())
        .alias(role=role_of_group)
        .annotate(
            held=Exists(User.groups.through.objects.filter(user_id=user_id, group=OuterRef("pk"))),
            wanted=Exists(Membership.objects.filter(user_id=user_id, role=OuterRef("role"))),
        )
        .order_by()
        .values_list("pk", "held", "wanted")
    )


# Compiled once per process (core.compiled): built and compiled on every call, the two EXISTS
# and the CASE cost 850 us of CPU a call, compiled 46 (min of 3 x 500 calls, load 3), on every
# role given.
_ROLE_GROUPS_OF = CompiledQuery(
    "people: role groups held and wanted",
    _role_groups_of,
    probes={"user_id": (-9_400_001, -9_400_003)},
)


def sync_role_groups(user: User) -> None:
    """Editors and municipal admins get their Wagtail admin group; nobody else reaches it.

    Only the difference is written, and what differs is read in one query: each role group
    with whether the person holds it and whether a role of theirs wants it. Two queries when
    nothing changed until session 35 (the roles, then the groups held), where an add or remove
    of every role group had cost four, on every membership the staff pages, SCIM, invitations
    and the tests' people write."""
    groups = _ROLE_GROUPS_OF.rows(user_id=user.pk)
    missing, extra = [], []
    for pk, held, wanted in groups:
        if wanted and not held:
            missing.append(pk)
        elif held and not wanted:
            extra.append(pk)
    if missing:
        user.groups.add(*missing)
    if extra:
        user.groups.remove(*extra)


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
    audit log calls it an invitation (audit_action) when it comes with one. The same role
    given again changes nothing; a new start date moves it (and a new hire's plan with it)."""
    arguments = {
        "user": user,
        "role": role,
        "start_date": start_date,
        "unit": unit,
        "organisation": organisation,
        "audit_action": audit_action,
    }
    try:
        return _add_membership(actor, **arguments)
    except IntegrityError:
        # Another request gave the same role between the look-up and the INSERT (the unique
        # constraints refused the twin, and the atomic block below rolled back to its
        # savepoint): the second try finds that row, as get_or_create's retry did, without
        # get_or_create's savepoint of its own around every INSERT.
        return _add_membership(actor, **arguments)


def _membership_of(user: User, *, organisation_id, unit: Unit | None, role: str):
    """The person's membership with this role in this unit (or, without one, municipality), or
    None."""
    if organisation_id is None:
        return None  # no membership is without a municipality (and the INSERT will say so)
    membership = Membership.objects.filter(
        user=user, organisation_id=organisation_id, unit=unit, role=role
    ).first()
    if membership is not None:
        membership.user, membership.unit = user, unit  # in hand: Membership.clean() reads the unit
    return membership


# What a membership's full_clean() leaves to the database here. Its foreign keys are objects
# the caller holds (the three existence checks were a SELECT each; the foreign keys still guard
# them), and its constraints were a query each: the unique ones are what the look-up before
# the INSERT just answered (a concurrent twin is refused by the database, see above), and the
# unit rule is the translated error of Membership.clean(), which runs.
_CHECKED_BY_THE_DATABASE = ["user", "organisation", "unit"]


@transaction.atomic
def _add_membership(
    actor: User | None,
    *,
    user: User,
    role: str,
    start_date: datetime.date,
    unit: Unit | None,
    organisation,
    audit_action: str,
) -> Membership:
    # The unit's organisation by id: reading the object cost a query where the unit came
    # without it, and only its id is written (the audit line names the unit).
    organisation_id = unit.organisation_id if unit else getattr(organisation, "pk", None)
    membership = _membership_of(user, organisation_id=organisation_id, unit=unit, role=role)
    if membership is None:
        membership = Membership(
            user=user, organisation_id=organisation_id, unit=unit, role=role, start_date=start_date
        )
    else:
        if membership.start_date == start_date:
            # Nothing to write, so no signal: the navigation's roles and a new hire's plan
            # stay as they are. The groups are still put right, as every call always has.
            sync_role_groups(user)
            return membership
        membership.start_date = start_date
    created = membership.pk is None
    membership.full_clean(
        exclude=_CHECKED_BY_THE_DATABASE, validate_unique=False, validate_constraints=False
    )
    # One write: an INSERT for a new role, else the start date alone.
    membership.save(update_fields=None if created else ["start_date"])
    sync_role_groups(user)
    record_event(
        actor,
        action=audit_action,
        obj=membership,
        organisation=organisation_id,
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
