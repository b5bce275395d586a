"""The audit log (granskningslogg): one function writes it, one selector reads it."""

from django.db.models import QuerySet

from people import permissions
from people.models import AuditAction, AuditEvent, Organisation, User

# The record types the audit log tracks (mentoring's services write a line whenever one is
# created, changed or, for cases and supervision sessions, read), each with the path to the
# municipality it belongs to. Named by label: people sits below the apps that define them.
TRACKED_RECORD_TYPES = {
    "mentoring.supervisedcase": "organisation",
    "mentoring.casereview": "case__organisation",
    "mentoring.supervisionsession": "mentorship__organisation",
    "mentoring.entrustmentdecision": "case_type__organisation",
}


def record_event(
    actor: User | None,
    *,
    action: str,
    obj=None,
    organisation: Organisation | int,
    object_type: str = "",
    object_id: str | int = "",
    summary: str = "",
) -> AuditEvent:
    """Append one line to the municipality's audit log; the object is named by type and id."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    known = actor is not None and actor.is_authenticated
    return AuditEvent.objects.create(
        actor=actor if known else None,
        actor_label=actor.get_full_name() if known else "",
        organisation_id=organisation_id,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        summary=summary[:240],
    )


def audit_events_for(
    user: User, *, action: str = "", object_type: str = ""
) -> QuerySet[AuditEvent]:
    """The audit lines a municipal admin may read: their own municipalities only."""
    events = AuditEvent.objects.filter(
        organisation_id__in=permissions.administered_organisation_ids(user)
    ).select_related("organisation", "actor")
    if action in AuditAction.values:
        events = events.filter(action=action)
    if object_type:
        events = events.filter(object_type=object_type)
    return events
