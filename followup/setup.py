"""Writes of the county set-up (länsindelning), the platform operator's alone: which county
(län) each municipality is followed up in, and who coordinates a county (länssamordnare).

Every change is written to the audit log (granskningslogg) of each municipality it concerns,
so that a municipality can see who was given its figures and when it changed county, and to
Django's admin history of the county, which the operator reads."""

from dataclasses import dataclass, field

from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from followup import permissions
from followup.models import CooperationMember
from people.audit import record_event
from people.models import (
    AuditAction,
    County,
    FollowUpAssignment,
    FollowUpLevel,
    Organisation,
    User,
)

OPERATOR_ONLY = _("Bara plattformens förvaltare kan ändra länsindelningen.")
ALREADY_HERE = _("%(names)s ligger redan i %(county)s.")
NO_SUCH_PERSON = _("Det finns inget konto med e-postadressen %(email)s.")
ALREADY_COORDINATOR = _("%(name)s är redan länssamordnare för %(county)s.")
NOT_THIS_COUNTY = _("Uppdraget gäller inte det här länet.")
NOTHING_TO_DO = _(
    "Välj minst en ändring: en kommun att flytta hit, en ny eller en borttagen länssamordnare."
)


@dataclass
class CountyChanges:
    """What the operator asked for, checked and ready to show for confirmation."""

    county: County
    move: list[Organisation] = field(default_factory=list)
    appoint: list[User] = field(default_factory=list)
    remove: list[FollowUpAssignment] = field(default_factory=list)
    # Cooperation groups a moving municipality leaves (they belong to its old county).
    leaves_groups: list[CooperationMember] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.move or self.appoint or self.remove)


def _check_operator(actor: User) -> None:
    if not permissions.can_set_up_counties(actor):
        raise PermissionDenied(OPERATOR_ONLY)


def plan_county_changes(
    actor: User,
    *,
    county: County,
    move: list[Organisation],
    appoint_emails: list[str],
    remove: list[FollowUpAssignment],
) -> CountyChanges:
    """Check the changes without making them: a ValidationError names what is wrong."""
    _check_operator(actor)
    errors: dict[str, list] = {}
    here = sorted(o.name for o in move if o.county_area_id == county.pk)
    if here:
        errors["move"] = [ALREADY_HERE % {"names": ", ".join(here), "county": county.name}]
    appoint = []
    for email in appoint_emails:
        user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
        if user is None:
            errors.setdefault("appoint", []).append(NO_SUCH_PERSON % {"email": email})
            continue
        if FollowUpAssignment.objects.filter(
            user=user, level=FollowUpLevel.COUNTY, county=county
        ).exists():
            errors.setdefault("appoint", []).append(
                ALREADY_COORDINATOR % {"name": user.get_full_name(), "county": county.name}
            )
            continue
        appoint.append(user)
    if any(a.county_id != county.pk or a.level != FollowUpLevel.COUNTY for a in remove):
        errors["remove"] = [NOT_THIS_COUNTY]
    if errors:
        raise ValidationError(errors)
    changes = CountyChanges(county=county, move=list(move), appoint=appoint, remove=list(remove))
    if changes.is_empty:
        raise ValidationError(NOTHING_TO_DO)
    changes.leaves_groups = list(
        CooperationMember.objects.filter(organisation__in=move)
        .exclude(group__county=county)
        .select_related("group", "organisation")
        .order_by("organisation__name")
    )
    return changes


def _audit(actor, *, organisations, action, object_type, object_id, note, subject=None, **values):
    """The change in every municipality it concerns, as a note put into the reader's words
    when the log is read (people.audit.render_note)."""
    for organisation_id in organisations:
        record_event(
            actor,
            action=action,
            organisation=organisation_id,
            object_type=object_type,
            object_id=object_id,
            note=note,
            note_values=values,
            subject=subject,
        )


@transaction.atomic
def apply_county_changes(actor: User, *, changes: CountyChanges) -> None:
    """Make the confirmed changes. A municipality that moves takes the county's name as its
    county text too (what mentor matching compares), so the daily job never links it back,
    and leaves a cooperation group of its old county (groups never span counties)."""
    _check_operator(actor)
    county = changes.county
    for member in changes.leaves_groups:
        _audit(
            actor,
            organisations=[member.organisation_id],
            action=AuditAction.DELETE,
            object_type="followup.cooperationmember",
            object_id=member.group_id,
            note=gettext_noop("Lämnade samverkansgruppen %(group)s"),
            group=member.group.name,
        )
        member.delete()
    for organisation in changes.move:
        old = organisation.county_area.name if organisation.county_area_id else organisation.county
        organisation.county_area = county
        organisation.county = county.name
        organisation.full_clean()
        organisation.save(update_fields=["county_area", "county"])
        _audit(
            actor,
            organisations=[organisation.pk],
            action=AuditAction.UPDATE,
            object_type="people.organisation",
            object_id=organisation.pk,
            note=gettext_noop("Län för uppföljning: från %(old)s till %(county)s"),
            old=old,
            county=county.name,
        )
    in_county = list(county.organisations.values_list("pk", flat=True))
    for user in changes.appoint:
        assignment = FollowUpAssignment(user=user, level=FollowUpLevel.COUNTY, county=county)
        assignment.full_clean()
        assignment.save()
        _audit(
            actor,
            organisations=in_county,
            action=AuditAction.ROLE_CHANGE,
            object_type="people.followupassignment",
            object_id=assignment.pk,
            note=gettext_noop("Länssamordnare för %(county)s"),
            county=county.name,
            subject=user,
        )
    for assignment in changes.remove:
        _audit(
            actor,
            organisations=in_county,
            action=AuditAction.DELETE,
            object_type="people.followupassignment",
            object_id=assignment.pk,
            note=gettext_noop("Inte längre länssamordnare för %(county)s"),
            county=county.name,
            subject=assignment.user_id,
        )
        assignment.delete()
    LogEntry.objects.log_actions(
        user_id=actor.pk,
        queryset=[county],
        action_flag=CHANGE,
        change_message=_summary(changes),
        single_object=True,
    )


def _summary(changes: CountyChanges) -> str:
    parts = []
    if changes.move:
        parts.append("Flyttade hit: " + ", ".join(o.name for o in changes.move))
    if changes.appoint:
        parts.append("Ny länssamordnare: " + ", ".join(u.email for u in changes.appoint))
    if changes.remove:
        parts.append("Borttagen länssamordnare: " + ", ".join(a.user.email for a in changes.remove))
    return "; ".join(parts)
