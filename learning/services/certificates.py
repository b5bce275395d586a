"""The certificate (intyg) of a completed course, issued once per enrolment."""

from django.db import transaction
from django.utils import timezone

from core.dates import add_months
from learning.certificates import new_code
from learning.models import Certificate, Enrolment
from people.models import Membership


def _holder_unit(enrolment: Enrolment, *, unit_ids=None) -> Membership | None:
    """The learner's unit membership the certificate names: in one of `unit_ids` (the signer's
    units) when given, otherwise the earliest."""
    memberships = Membership.objects.filter(user_id=enrolment.user_id, unit__isnull=False)
    if unit_ids is not None:
        memberships = memberships.filter(unit_id__in=unit_ids)
    return memberships.select_related("unit", "organisation").order_by("start_date", "pk").first()


@transaction.atomic
def issue_certificate(
    enrolment: Enrolment, *, signed_off_by: str = "", unit_ids=None
) -> Certificate:
    """Issue the certificate (intyg) for a completed course; one per enrolment, never twice.

    It names the municipality and unit, the modules covered with their estimated time, the
    completion date and who signed it off, as they are now."""
    existing = Certificate.objects.filter(enrolment=enrolment).first()
    if existing is not None:
        return existing
    course = enrolment.course
    issued_at = enrolment.completed_at or timezone.now()
    completed_on = timezone.localtime(issued_at).date()
    expires_on = None
    if course.certificate_validity_months:
        expires_on = add_months(completed_on, course.certificate_validity_months)
    membership = _holder_unit(enrolment, unit_ids=unit_ids)
    modules = [
        {"title": module.title, "minutes": module.estimated_minutes}
        for module in course.modules().only("title", "estimated_minutes")
    ]
    certificate = Certificate(
        enrolment=enrolment,
        user=enrolment.user,
        course=course,
        course_title=course.title,
        hours=course.estimated_hours,
        credits=course.credits,
        code=new_code(),
        issued_at=issued_at,
        expires_on=expires_on,
        organisation=membership.organisation if membership else None,
        organisation_name=membership.organisation.name if membership else "",
        unit_name=membership.unit.name if membership else "",
        modules=modules,
        completed_on=completed_on,
        signed_off_by_name=signed_off_by,
    )
    certificate.full_clean(validate_unique=False, validate_constraints=False)
    certificate.save()
    return certificate
