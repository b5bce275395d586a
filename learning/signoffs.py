"""Writes for the end of the introduction: the manager's sign-off (godkännande) after the
closing conversation (avslutande samtal), which issues the certificate (intyg), and the
municipal admin's revocation of a certificate. Both are written to the audit log."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from learning import permissions
from learning.models import Certificate, Enrolment, SignOff
from learning.selectors import requires_sign_off
from learning.services import issue_certificate, modules_done
from people import permissions as people_permissions
from people.audit import record_event
from people.models import AuditAction, User

NOT_YOURS_TO_SIGN = _("Du kan bara godkänna introduktionen för medarbetare i dina enheter.")
NO_SIGN_OFF_NEEDED = _("Den här kursen blir klar utan chefens godkännande.")
MODULES_NOT_DONE = _("Alla moduler är inte klara än. Godkänn introduktionen när de är klara.")
CONVERSATION_IN_FUTURE = _("Det avslutande samtalet kan inte ha ett datum i framtiden.")
CONVERSATION_BEFORE_START = _("Det avslutande samtalet kan inte ligga före kursstarten.")
NOT_YOURS_TO_REVOKE = _("Du kan bara återkalla intyg som din kommun har utfärdat.")
REASON_REQUIRED = _("Skriv varför intyget återkallas.")


@transaction.atomic
def sign_off_introduction(
    actor: User,
    *,
    enrolment: Enrolment,
    conversation_date: datetime.date,
    comment: str = "",
    now: datetime.datetime | None = None,
) -> Certificate:
    """Sign off a new hire's introduction after the closing conversation (avslutande samtal):
    the introduction is complete and its certificate is issued now.

    The enrolment row is locked, so a double click signs off once: the second finds the
    introduction complete and gets the same certificate back, with nothing written again.
    """
    now = now or timezone.now()
    if not permissions.may_sign_off(actor, enrolment=enrolment):
        raise PermissionDenied(NOT_YOURS_TO_SIGN)
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("course", "user")
        .get(pk=enrolment.pk)
    )
    if enrolment.status == Enrolment.Status.COMPLETED:
        certificate = Certificate.objects.filter(enrolment=enrolment).first()
        if certificate is not None:
            return certificate
    if not requires_sign_off(enrolment.course):
        raise ValidationError(NO_SIGN_OFF_NEEDED)
    if enrolment.status != Enrolment.Status.ACTIVE or not modules_done(enrolment):
        raise ValidationError(MODULES_NOT_DONE)
    if conversation_date > timezone.localdate(now):
        raise ValidationError({"conversation_date": CONVERSATION_IN_FUTURE})
    if conversation_date < timezone.localdate(enrolment.enrolled_at):
        raise ValidationError({"conversation_date": CONVERSATION_BEFORE_START})
    sign_off = SignOff(
        enrolment=enrolment,
        signed_by=actor,
        signed_by_name=actor.get_full_name(),
        conversation_date=conversation_date,
        comment=comment.strip(),
        signed_at=now,
    )
    sign_off.full_clean(validate_unique=False)
    sign_off.save()
    enrolment.status = Enrolment.Status.COMPLETED
    enrolment.completed_at = now
    enrolment.modules_completed_at = enrolment.modules_completed_at or now
    enrolment.save(update_fields=["status", "completed_at", "modules_completed_at", "updated_at"])
    certificate = issue_certificate(
        enrolment,
        signed_off_by=sign_off.signed_by_name,
        unit_ids=people_permissions.managed_unit_ids(actor),
    )
    if certificate.organisation_id is not None:
        record_event(
            actor,
            action=AuditAction.CREATE,
            obj=sign_off,
            organisation=certificate.organisation_id,
            note=gettext_noop("Introduktion godkänd, intyg %(code)s"),
            note_values={"code": certificate.code},
        )
    return certificate


@transaction.atomic
def revoke_certificate(actor: User, *, certificate: Certificate, reason: str) -> Certificate:
    """Revoke a certificate (återkalla intyg) with a reason; the public check then says so.

    Revoking a revoked certificate changes nothing: the first reason and time stand."""
    if not permissions.may_revoke(actor, certificate=certificate):
        raise PermissionDenied(NOT_YOURS_TO_REVOKE)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    certificate = Certificate.objects.select_for_update(of=("self",)).get(pk=certificate.pk)
    if certificate.is_revoked:
        return certificate
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = actor
    certificate.revocation_reason = reason
    try:
        certificate.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        # The reason is the only field the admin typed: its errors are theirs to fix.
        messages = error.message_dict.get("revocation_reason") or error.messages
        raise ValidationError({"reason": messages}) from None
    certificate.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    record_event(
        actor,
        action=AuditAction.UPDATE,
        obj=certificate,
        organisation=certificate.organisation_id,
        note=gettext_noop("Intyg %(code)s återkallat"),
        note_values={"code": certificate.code},
    )
    return certificate
