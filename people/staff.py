"""Writes for the staff lifecycle (Personal): change a person's role, unit and start date,
resend or revoke a pending invitation, hand over open work, deactivate and reactivate.

Every action is for a municipal admin on a person within their reach
(permissions.can_manage_person), is audited, and is idempotent: repeating it changes nothing
more and writes no second audit line.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import outbox
from core.dates import start_date_problem
from people import open_work, permissions
from people.audit import record_event
from people.models import UNIT_ROLES, AuditAction, Membership, Role, Unit, User
from people.services import add_membership, sync_role_groups

NOT_YOUR_STAFF = _("Du kan bara ändra personal i din egen kommun.")
UNIT_REQUIRED = _("Den här rollen kräver en enhet.")
UNIT_ELSEWHERE = _("Enheten hör inte till personens kommun.")
ROLE_NOT_ASSIGNABLE = _("Den rollen kan du inte ge här.")
MEMBERSHIP_EXISTS = _("Personen har redan den rollen i den enheten.")
NOT_INVITED = _("%(name)s har redan valt ett lösenord och har ingen inbjudan som väntar.")
INVITATION_SENT_TODAY = _("Inbjudan till %(name)s har redan skickats igen i dag.")
ANONYMISED_FOR_GOOD = _("En anonymiserad person kan inte aktiveras igen.")
NOT_A_CANDIDATE = _("Välj någon i listan som kan ta över.")
CANNOT_CLOSE = _("Det här kan inte avslutas, bara lämnas över.")
UNKNOWN_WORK = _("Det finns inget sådant öppet arbete för personen.")

# Roles an admin gives on the staff pages: everything but the national editor role.
ASSIGNABLE_ROLES = [role for role in Role if role != Role.EDITOR]


def _check_reach(actor: User, person: User) -> None:
    if not permissions.can_manage_person(actor, person):
        raise PermissionDenied(NOT_YOUR_STAFF)


def _audit(actor: User, person: User, *, summary: str, action=AuditAction.UPDATE) -> None:
    for organisation_id in set(person.memberships.values_list("organisation_id", flat=True)):
        record_event(
            actor, action=action, obj=person, organisation=organisation_id, summary=summary
        )


def _lock(person: User) -> User:
    return User.objects.select_for_update().get(pk=person.pk)


def close_account(person: User, *, on: datetime.date | None = None) -> None:
    """Close a locked person's account and record the day their employment ended
    (anställningen upphörde), unless an earlier closing already did: the one place that
    deactivates, so every closed account has the end date follow-up's retention counts by.
    The caller holds the row lock and saves the other fields it changes."""
    person.is_active = False
    if person.employment_ended_on is None:
        person.employment_ended_on = on or timezone.localdate()
    person.save(update_fields=["is_active", "employment_ended_on"])


# --------------------------------------------------------------------------------------------
# Role, unit and start date
# --------------------------------------------------------------------------------------------
@transaction.atomic
def change_membership(
    actor: User,
    *,
    membership: Membership,
    role: str,
    unit: Unit | None,
    start_date: datetime.date,
) -> Membership:
    """Change a person's role, unit or start date (audited). A new hire's onboarding plan
    follows a new start date: learning re-dates it when the membership is saved."""
    _check_reach(actor, membership.user)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    errors: dict[str, list] = {}
    if role not in ASSIGNABLE_ROLES:
        errors.setdefault("role", []).append(ROLE_NOT_ASSIGNABLE)
    if role in UNIT_ROLES and unit is None:
        errors.setdefault("unit", []).append(UNIT_REQUIRED)
    if role not in UNIT_ROLES:
        unit = None
    if unit is not None and unit.organisation_id != membership.organisation_id:
        errors.setdefault("unit", []).append(UNIT_ELSEWHERE)
    if problem := start_date_problem(start_date, today=timezone.localdate()):
        errors.setdefault("start_date", []).append(problem)
    if errors:
        raise ValidationError(errors)
    before = (membership.role, membership.unit_id, membership.start_date)
    if before == (role, unit.pk if unit else None, start_date):
        return membership
    twin = Membership.objects.filter(
        user_id=membership.user_id,
        organisation_id=membership.organisation_id,
        unit=unit,
        role=role,
    ).exclude(pk=membership.pk)
    if twin.exists():
        raise ValidationError({"role": [MEMBERSHIP_EXISTS]})
    if role != membership.role:
        refusal = open_work.role_work_refusal(
            membership.user, membership.role, membership.get_role_display()
        )
        if refusal is not None:
            raise ValidationError({"role": [refusal]})
    old_role, old_unit, old_start = (
        membership.role,
        membership.unit.name if membership.unit else "",
        membership.start_date,
    )
    membership.role, membership.unit, membership.start_date = role, unit, start_date
    membership.full_clean()
    membership.save()
    sync_role_groups(membership.user)
    municipality = membership.organisation.name
    record_event(
        actor,
        action=AuditAction.ROLE_CHANGE,
        obj=membership,
        organisation=membership.organisation_id,
        details={
            "old_role": old_role,
            "old_unit": old_unit or municipality,
            "old_start": old_start.isoformat(),
            "role": role,
            "unit": unit.name if unit else municipality,
            "start": start_date.isoformat(),
        },
    )
    return membership


# --------------------------------------------------------------------------------------------
# Pending invitations
# --------------------------------------------------------------------------------------------
@transaction.atomic
def resend_pending_invitation(actor: User, *, person: User) -> bool:
    """Send a pending invitation (inbjudan) again through the outbox; at most once a day, so a
    second click sends nothing more. Returns whether an email was queued."""
    from people.tasks import invitation_email

    _check_reach(actor, person)
    person = _lock(person)
    if not person.is_invited:
        raise ValidationError(NOT_INVITED % {"name": person.get_full_name()})
    organisation_id = person.memberships.values_list("organisation_id", flat=True).first()
    row = outbox.enqueue(
        invitation_email,
        args={"user_id": person.pk},
        key=f"people.invitation-again:{person.pk}:{timezone.localdate():%Y%m%d}",
        recipient_id=person.pk,
        organisation_id=organisation_id,
    )
    if row is None:
        return False
    _audit(actor, person, summary="Inbjudan skickad igen")
    return True


@transaction.atomic
def revoke_invitation(actor: User, *, person: User) -> User:
    """Revoke a pending invitation (återkalla): the account is closed before it was ever used,
    so the link in the email no longer works. Reversible: reactivating reopens it."""
    _check_reach(actor, person)
    person = _lock(person)
    if person.has_usable_password() or person.is_anonymised:
        raise ValidationError(NOT_INVITED % {"name": person.get_full_name()})
    if not person.is_active:
        return person
    open_work.refuse_if_open_work(person)
    close_account(person)
    _audit(actor, person, summary="Inbjudan återkallad")
    return person


# --------------------------------------------------------------------------------------------
# Deactivate and reactivate
# --------------------------------------------------------------------------------------------
@transaction.atomic
def deactivate_person(actor: User, *, person: User) -> User:
    """Deactivate a person (avaktivera): they can no longer log in (an open session ends at
    its next request) and receive nothing, and every record about them stays. Refused while
    they hold open work (people.open_work). Reversible with reactivate_person."""
    _check_reach(actor, person)
    return _deactivate(actor, person)


@transaction.atomic
def reactivate_person(actor: User, *, person: User) -> User:
    """Reactivate a deactivated person (aktivera igen): the same account, records and password
    as before; an anonymised person cannot come back."""
    _check_reach(actor, person)
    return _reactivate(actor, person)


@transaction.atomic
def set_account_active(actor: User, *, person: User, active: bool) -> User:
    """The platform operator's "active" switch in the user admin: the same deactivation and
    reactivation as a municipal admin's (open work refused, the end of employment recorded,
    audited), for any account the operator may edit there, since a superuser is in no
    municipality's reach."""
    if not permissions.can_administer_accounts(actor):
        raise PermissionDenied(NOT_YOUR_STAFF)
    return _reactivate(actor, person) if active else _deactivate(actor, person)


def _deactivate(actor: User, person: User) -> User:
    person = _lock(person)
    if not person.is_active:
        return person
    open_work.refuse_if_open_work(person)
    close_account(person)
    _audit(actor, person, summary="Avaktiverad")
    return person


def _reactivate(actor: User, person: User) -> User:
    person = _lock(person)
    if person.is_anonymised:
        raise ValidationError(ANONYMISED_FOR_GOOD)
    if person.is_active:
        return person
    person.is_active = True
    person.employment_ended_on = None
    person.save(update_fields=["is_active", "employment_ended_on"])
    _audit(actor, person, summary="Aktiverad igen")
    return person


# --------------------------------------------------------------------------------------------
# Open work: hand over or close, one item at a time
# --------------------------------------------------------------------------------------------
@transaction.atomic
def resolve_open_work(
    actor: User, *, person: User, kind: str, pk: int, to: User | None = None
) -> bool:
    """Hand one piece of a leaver's open work over to `to`, or close it when `to` is None.
    The item must still be the person's open work, and `to` one of its listed candidates.
    Returns False when the item was already handled (a second click)."""
    _check_reach(actor, person)
    registered = open_work.kind(kind)
    if registered is None:
        raise ValidationError(UNKNOWN_WORK)
    item = next((item for item in registered.items(person) if item.pk == pk), None)
    if item is None:
        return False
    if to is None:
        if not item.can_close or registered.close is None:
            raise ValidationError(CANNOT_CLOSE)
        registered.close(actor, person=person, pk=pk)
        return True
    if to.pk not in {candidate for candidate, _name in item.candidates}:
        raise ValidationError(NOT_A_CANDIDATE)
    registered.reassign(actor, person=person, pk=pk, to=to)
    return True


def active_staff_of(organisation_id: int, *, roles, unit_id: int | None = None, exclude=()):
    """(id, name) of active, named staff in a municipality (or one unit) with one of `roles`:
    the people who may take over a leaver's work."""
    memberships = Membership.objects.filter(
        user=OuterRef("pk"), organisation_id=organisation_id, role__in=roles
    )
    if unit_id is not None:
        memberships = memberships.filter(unit_id=unit_id)
    people = User.objects.filter(Exists(memberships), is_active=True).exclude(pk__in=exclude)
    return tuple(
        (pk, name)
        for pk, name in people.annotate(name=User.full_name_expression())
        .order_by("name", "pk")
        .values_list("pk", "name")
    )


# Units a person manages (första linjens chef) are open work while nobody else manages them.
def _managed_units(person: User) -> list[open_work.OpenItem]:
    others = Membership.objects.filter(
        unit=OuterRef("unit"), role=Role.MANAGER, user__is_active=True
    ).exclude(user=person)
    rows = (
        Membership.objects.filter(user=person, role=Role.MANAGER)
        .exclude(Exists(others))
        .select_related("unit")
        .order_by("unit__name")
    )
    return [
        open_work.OpenItem(
            kind="managed_unit",
            pk=row.unit_id,
            title=row.unit.name,
            candidates=active_staff_of(
                row.organisation_id,
                roles=(Role.MANAGER, Role.SOCIAL_SECRETARY, Role.MENTOR),
                exclude=(person.pk,),
            ),
            can_close=False,
        )
        for row in rows
    ]


def _hand_over_unit(actor: User, *, person: User, pk: int, to: User) -> None:
    unit = Unit.objects.get(pk=pk)
    add_membership(actor, user=to, role=Role.MANAGER, unit=unit, start_date=timezone.localdate())


open_work.register(
    open_work.Kind(
        key="managed_unit",
        label=_("Enheter som personen är chef för"),
        items=_managed_units,
        reassign=_hand_over_unit,
        reassign_label=_("Ny chef"),
        order=60,
    )
)
