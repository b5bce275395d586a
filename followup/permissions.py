"""Who may follow up which area (område): the one place that decides.

- A municipal admin (kommunadministratör): their municipality, per unit and in total.
- A county coordinator (länssamordnare): their county, per municipality, in total and per
  cooperation group (samverkansgrupp).
- National follow-up (nationell uppföljning): the nation per county, and every county;
  municipalities appear only where every figure passes disclosure control.

Nobody here reaches a person, a case or a note: these roles read QuarterFact rows, which hold
counts per unit and nothing else. An area outside one's reach is a 404, whether it exists or
not.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from people import permissions as people_permissions
from people.models import County, FollowUpLevel, Organisation


class AreaKind:
    MUNICIPALITY = "kommun"
    COUNTY = "lan"
    NATION = "riket"


NATION_NAME = _("Hela landet")


@dataclass(frozen=True)
class Area:
    """An area one may follow up, and how its table is broken down."""

    kind: str
    pk: int | None
    name: str
    # A county not one's own (national follow-up): its municipalities are listed apart from
    # the county's rows, each figure shown only where it passes disclosure control.
    strict: bool = False

    @property
    def slug(self) -> str:
        return self.kind if self.pk is None else f"{self.kind}-{self.pk}"

    @property
    def is_municipality(self) -> bool:
        return self.kind == AreaKind.MUNICIPALITY

    @property
    def is_county(self) -> bool:
        return self.kind == AreaKind.COUNTY

    @property
    def is_nation(self) -> bool:
        return self.kind == AreaKind.NATION

    def fact_scope(self) -> Q:
        """The QuarterFact rows inside the area."""
        if self.is_municipality:
            return Q(organisation_id=self.pk)
        if self.is_county:
            return Q(organisation__county_area_id=self.pk)
        return Q()


def coordinated_county_ids(user) -> set[int]:
    return {
        a.county_id
        for a in people_permissions.follow_up_assignments(user)
        if a.level == FollowUpLevel.COUNTY
    }


def is_national(user) -> bool:
    return any(
        a.level == FollowUpLevel.NATIONAL for a in people_permissions.follow_up_assignments(user)
    )


def areas_for(user) -> list[Area]:
    """Every area the user may follow up, the widest first; empty for everyone else."""
    if not user.is_authenticated:
        return []
    areas: list[Area] = []
    national = is_national(user)
    county_ids = coordinated_county_ids(user)
    admin_ids = people_permissions.administered_organisation_ids(user)
    if national:
        areas.append(Area(AreaKind.NATION, None, str(NATION_NAME)))
    if national or county_ids:
        counties = County.objects.all() if national else County.objects.filter(pk__in=county_ids)
        areas += [
            Area(AreaKind.COUNTY, c.pk, c.name, strict=c.pk not in county_ids)
            for c in counties.order_by("name")
        ]
    if admin_ids:
        areas += [
            Area(AreaKind.MUNICIPALITY, o.pk, o.name)
            for o in Organisation.objects.filter(pk__in=admin_ids).order_by("name")
        ]
    return areas


def get_area_for(user, *, slug: str | None) -> tuple[Area, list[Area]]:
    """The area asked for (the widest when none is), and all the user's areas; a 404 for an
    area outside their reach or for a user with none."""
    areas = areas_for(user)
    if not areas:
        raise Http404
    if not slug:
        return areas[0], areas
    for area in areas:
        if area.slug == slug:
            return area, areas
    raise Http404


def can_edit_cooperation_groups(user) -> bool:
    return bool(coordinated_county_ids(user))


def can_set_up_counties(user) -> bool:
    """The county set-up (länsindelning) is the platform operator's: which county each
    municipality is followed up in and who coordinates it are not a municipality's to give,
    nor a county's. The operator is the superuser, as in Django's admin."""
    return bool(user.is_authenticated and user.is_active and user.is_superuser)
