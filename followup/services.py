"""Writes of follow-up: the per-quarter facts (the daily job) and the cooperation groups."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from followup import permissions
from followup.indicators import ALL_INDICATORS, Indicator, Quarter, current_quarter
from followup.models import CooperationGroup, CooperationMember, QuarterFact
from people.audit import Phrase, Words, noted
from people.models import County, Organisation, Unit, User

NOT_YOUR_COUNTY = _("Du kan bara ändra samverkansgrupper i ditt eget län.")
OUTSIDE_COUNTY = _("Kommunerna måste ligga i samverkansgruppens län.")
ALREADY_GROUPED = _("%(names)s ingår redan i en annan samverkansgrupp.")
TOO_FEW = _("En samverkansgrupp behöver minst två kommuner.")


def link_counties() -> int:
    """Give every municipality without a county record the county its text names (created
    when new), so follow-up by county covers municipalities added later. Returns how many."""
    linked = 0
    for organisation in Organisation.objects.filter(county_area__isnull=True).exclude(county=""):
        county, _created = County.objects.get_or_create(name=organisation.county.strip())
        organisation.county_area = county
        organisation.save(update_fields=["county_area"])
        linked += 1
    return linked


def _write(indicator: Indicator, quarter: Quarter, organisations: dict[int, int]) -> int:
    facts = [
        QuarterFact(
            unit_id=unit_id,
            organisation_id=organisations[unit_id],
            quarter=quarter.start,
            indicator=indicator.key,
            numerator=counts.numerator,
            denominator=counts.denominator,
            people=counts.headcount,
            values=sorted(counts.values),
        )
        for unit_id, counts in indicator.compute(quarter).items()
        if unit_id in organisations
    ]
    QuarterFact.objects.filter(quarter=quarter.start, indicator=indicator.key).delete()
    QuarterFact.objects.bulk_create(facts)
    return len(facts)


@transaction.atomic
def refresh_quarter_facts(*, quarters: int = 8, indicators=None) -> int:
    """Recompute the facts of the last `quarters` quarters (kvartal) for every unit: each
    indicator's quarter is replaced as a whole, so a rerun (or a retried task) writes the
    same rows. Snapshot indicators (a caseload) are written for the current quarter only and
    keep their past quarters. Returns the number of rows written."""
    link_counties()
    organisations = dict(Unit.objects.values_list("pk", "organisation_id"))
    now = current_quarter()
    written = 0
    for indicator in indicators or ALL_INDICATORS:
        for quarter in now.trend(quarters):
            if indicator.snapshot and quarter != now:
                continue
            written += _write(indicator, quarter, organisations)
    return written


@transaction.atomic
def save_cooperation_group(
    actor: User,
    *,
    county: County,
    name: str,
    organisations: list[Organisation],
    group: CooperationGroup | None = None,
) -> CooperationGroup:
    """Create or change a cooperation group (samverkansgrupp) of municipalities in the
    coordinator's own county; a municipality may be in one group only."""
    if county.pk not in permissions.coordinated_county_ids(actor):
        raise PermissionDenied(NOT_YOUR_COUNTY)
    if len(organisations) < 2:
        raise ValidationError({"organisations": TOO_FEW})
    if any(o.county_area_id != county.pk for o in organisations):
        raise ValidationError({"organisations": OUTSIDE_COUNTY})
    taken = CooperationMember.objects.filter(organisation__in=organisations).select_related(
        "organisation"
    )
    if group is not None:
        taken = taken.exclude(group=group)
    taken = list(taken)
    if taken:
        names = ", ".join(sorted(m.organisation.name for m in taken))
        raise ValidationError({"organisations": ALREADY_GROUPED % {"names": names}})
    from people.models import AuditAction

    action = AuditAction.UPDATE if group is not None else AuditAction.CREATE
    group = group or CooperationGroup(county=county, created_by=actor)
    group.name = name
    group.full_clean()
    group.save()
    leaving = [
        m.organisation
        for m in group.members.exclude(organisation__in=organisations).select_related(
            "organisation"
        )
    ]
    group.members.exclude(organisation__in=organisations).delete()
    existing = set(group.members.values_list("organisation_id", flat=True))
    for organisation in organisations:
        if organisation.pk not in existing:
            member = CooperationMember(group=group, organisation=organisation)
            member.full_clean()
            member.save()
    _audit_group(actor, group=group, organisations=[*organisations, *leaving], action=action)
    return group


def _audit_group(actor: User, *, group: CooperationGroup, organisations, action: str) -> None:
    """Each municipality in a group sees in its audit log who grouped it with which others."""
    from people.audit import record_event

    names = ", ".join(sorted(m.organisation.name for m in group.members.all()))
    for organisation in organisations:
        record_event(
            actor,
            action=action,
            organisation=organisation,
            obj=group,
            summary=f"{group.name}: {names}",
        )


@transaction.atomic
def delete_cooperation_group(actor: User, *, group: CooperationGroup) -> None:
    if group.county_id not in permissions.coordinated_county_ids(actor):
        raise PermissionDenied(NOT_YOUR_COUNTY)
    from people.models import AuditAction

    members = [m.organisation for m in group.members.select_related("organisation")]
    _audit_group(actor, group=group, organisations=members, action=AuditAction.DELETE)
    group.delete()


def record_export(actor: User, *, area, quarter: Quarter, fmt: str) -> int:
    """Log an export of follow-up figures in the audit log (granskningslogg) of every
    municipality in the area: each municipality can see that its figures left the system,
    and who took them. One insert."""
    from django.db.models import Q

    from people.models import AuditAction, AuditEvent

    if area.is_municipality:
        scope = Q(pk=area.pk)
    elif area.is_county:
        scope = Q(county_area_id=area.pk)
    else:
        scope = Q()
    # The area's own name is a municipality's or county's proper name; the nation's is a
    # phrase, kept as such so that it reads in the reader's language.
    details, summary = noted(
        {},
        note=gettext_noop("Uppföljning som %(format)s: %(area)s, %(quarter)s"),
        note_values={
            "format": fmt.upper(),
            "area": Words(gettext_noop("Hela landet")) if area.is_nation else area.name,
            "quarter": Phrase(
                gettext_noop("%(year)s K%(number)s"),
                {"year": quarter.year, "number": quarter.number},
            ),
        },
    )
    events = [
        AuditEvent(
            actor=actor,
            actor_label=actor.get_full_name(),
            organisation_id=organisation_id,
            action=AuditAction.EXPORT,
            object_type="followup.area",
            object_id=area.slug,
            details=details,
            summary=summary[:240],
        )
        for organisation_id in Organisation.objects.filter(scope).values_list("pk", flat=True)
    ]
    AuditEvent.objects.bulk_create(events)
    return len(events)
