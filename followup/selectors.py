"""Reads for the follow-up pages and exports: the precomputed facts of an area added up per
row (unit, municipality or county) and per quarter, every figure through disclosure control
(röjandeskydd, core.disclosure) before anything is shown or exported. A fixed number of
queries whatever the size of the area."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from core.disclosure import MIN_N, suppress_row
from followup import permissions
from followup.indicators import ALL_INDICATORS, Indicator, Kind, Quarter, current_quarter
from followup.models import CooperationGroup, QuarterFact
from followup.permissions import Area
from people.models import County, Organisation, Unit

TOTAL = "total"
SUPPRESSED_NOTE = _("färre än 5")
ROW_KINDS = {
    permissions.AreaKind.MUNICIPALITY: ("unit_id", _("Enhet")),
    permissions.AreaKind.COUNTY: ("organisation_id", _("Kommun")),
    permissions.AreaKind.NATION: ("organisation__county_area_id", _("Län")),
}


@dataclass
class Cell:
    """One published figure, or the reason there is none: suppressed (fewer than 5 people
    behind it, or complementary suppression) or no data at all."""

    value: Decimal | None = None
    suppressed: bool = False

    @property
    def shown(self) -> bool:
        return self.value is not None and not self.suppressed


@dataclass
class Row:
    key: object
    name: str
    cells: list[Cell] = field(default_factory=list)
    is_total: bool = False


@dataclass
class Trend:
    indicator: Indicator
    points: list[tuple[Quarter, Cell]]


@dataclass
class FollowUp:
    area: Area
    areas: list[Area]
    quarter: Quarter
    quarters: list[Quarter]
    indicators: list[Indicator]
    row_label: str
    rows: list[Row]
    total: Row
    groups: list[Row]
    municipalities: list[Row]  # national follow-up: those where every figure passes
    trends: list[Trend]
    min_n: int = MIN_N


@dataclass
class _Sums:
    numerator: int = 0
    denominator: int = 0
    people: int = 0
    values: list = field(default_factory=list)

    def add(self, other: "_Sums") -> None:
        self.numerator += other.numerator
        self.denominator += other.denominator
        self.people += other.people
        self.values += other.values


def _sums(facts, key: str, *, group_by_quarter: bool = False) -> dict:
    """{(row key or quarter, indicator): _Sums}: counts summed in the database, the values of
    medians (only theirs) fetched as lists. Two queries."""
    medians = [i.key for i in ALL_INDICATORS if i.kind == Kind.MEDIAN]
    result: dict = defaultdict(_Sums)
    for row in (
        facts.values(key, "indicator")
        .annotate(n=Sum("numerator"), d=Sum("denominator"), p=Sum("people"))
        .order_by()
    ):
        result[(row[key], row["indicator"])] = _Sums(row["n"], row["d"], row["p"])
    for row_key, indicator, values in facts.filter(indicator__in=medians).values_list(
        key, "indicator", "values"
    ):
        result[(row_key, indicator)].values += values
    return result


def _figure(indicator: Indicator, sums: _Sums | None) -> Decimal | None:
    if sums is None:
        return None
    return indicator.figure(
        numerator=sums.numerator, denominator=sums.denominator, values=sums.values
    )


def _table(
    indicators: list[Indicator], keys: list, sums: dict
) -> tuple[dict[object, list[Cell]], list[Cell], dict[int, set]]:
    """Cells per row key and the total row, with disclosure applied per indicator: the rows
    of an indicator add up to the published total, so suppress_row decides the cells to hide
    (small ones and their complements). Also returns the suppressed keys per indicator."""
    cells = {key: [] for key in keys}
    totals, hidden = [], {}
    for index, indicator in enumerate(indicators):
        # Every row, zeros too: a zero may be the complement that keeps a small cell hidden.
        people = {
            key: sums[(key, indicator.key)].people if (key, indicator.key) in sums else 0
            for key in keys
        }
        total = _Sums()
        for key in keys:
            if (key, indicator.key) in sums:
                total.add(sums[(key, indicator.key)])
        suppressed = suppress_row(people, min_n=MIN_N)
        if 0 < total.people < MIN_N:
            suppressed = set(people)
        hidden[index] = suppressed
        for key in keys:
            cells[key].append(
                Cell(_figure(indicator, sums.get((key, indicator.key))), key in suppressed)
            )
        totals.append(Cell(_figure(indicator, total), 0 < total.people < MIN_N))
    return cells, totals, hidden


def _group_rows(
    area: Area, indicators: list[Indicator], sums: dict, hidden: dict[int, set]
) -> list[Row]:
    """Cooperation groups on the county coordinator's page. A group's figure is the sum of
    its municipalities' (rows already on the page), so it is published only when it reveals
    nothing more: none of its municipalities is hidden in that figure, or every hidden one of
    the county is in the group (then the group says no more than the county total minus the
    shown rows). Groups never overlap (a municipality is in one at most)."""
    if not area.is_county or area.strict:
        return []
    rows = []
    groups = CooperationGroup.objects.filter(county_id=area.pk).prefetch_related("members")
    for group in groups:
        members = {m.organisation_id for m in group.members.all()}
        row = Row(key=f"grupp-{group.pk}", name=group.name)
        for index, indicator in enumerate(indicators):
            total = _Sums()
            for member in members:
                if (member, indicator.key) in sums:
                    total.add(sums[(member, indicator.key)])
            inside = hidden[index] & members
            reveals = bool(inside) and inside != hidden[index]
            row.cells.append(Cell(_figure(indicator, total), reveals or 0 < total.people < MIN_N))
        rows.append(row)
    return rows


def _strict_municipalities(area: Area, indicators: list[Indicator], quarter: Quarter) -> list[Row]:
    """For national follow-up: municipalities (in the nation, or in a county not one's own)
    figure by figure: a figure is shown where it passes disclosure control, decided within
    each county (whose total is published) as on the county's own page, so a hidden figure
    cannot be had by subtraction. A municipality with no figure to show is not listed."""
    if not (area.is_nation or area.strict):
        return []
    facts = QuarterFact.objects.filter(area.fact_scope(), quarter=quarter.start)
    sums = _sums(facts, "organisation_id")
    # Ordered by name as on the county's own page, so both choose the same complements.
    organisations = (
        Organisation.objects.filter(pk__in={key for key, _indicator in sums})
        .order_by("name")
        .values_list("pk", "name", "county_area_id")
    )
    by_county = defaultdict(list)
    names = {}
    for pk, name, county_id in organisations:
        by_county[county_id].append(pk)
        names[pk] = name
    rows = []
    for keys in by_county.values():
        cells, _totals, _hidden = _table(indicators, keys, sums)
        for key in keys:
            if any(cell.shown for cell in cells[key]):
                rows.append(Row(key, names[key], cells[key]))
    return sorted(rows, key=lambda row: row.name)


def _row_names(area: Area, keys) -> dict:
    if area.is_municipality:
        return dict(Unit.objects.filter(pk__in=keys).values_list("pk", "name"))
    if area.is_county:
        return dict(Organisation.objects.filter(pk__in=keys).values_list("pk", "name"))
    names = dict(County.objects.filter(pk__in=[k for k in keys if k]).values_list("pk", "name"))
    if None in keys:
        names[None] = str(_("Utan län"))
    return names


def follow_up_for(user, *, area_slug: str | None, quarter_slug: str | None) -> FollowUp:
    """The follow-up of one area for one quarter (kvartal) and the 8-quarter trend of its
    total, as the user may see it; a 404 for an area outside their reach."""
    area, areas = permissions.get_area_for(user, slug=area_slug)
    now = current_quarter()
    quarter = Quarter.parse(quarter_slug or "") or now
    if quarter > now:
        quarter = now
    indicators = list(ALL_INDICATORS)
    key, row_label = ROW_KINDS[area.kind]
    facts = QuarterFact.objects.filter(area.fact_scope())

    sums = _sums(facts.filter(quarter=quarter.start), key)
    names = _row_names(area, {k for k, _indicator in sums})
    keys = sorted(names, key=lambda k: names[k].lower())
    if area.strict:
        keys = []  # a county not one's own: its municipalities only where all figures pass
    cells, totals, hidden = _table(indicators, keys, sums)
    if area.strict:
        all_keys = list(names)
        _cells, totals, _hidden = _table(indicators, all_keys, sums)
    rows = [Row(k, names[k], cells[k]) for k in keys]
    total = Row(TOTAL, area.name, totals, is_total=True)

    quarters = quarter.trend()
    by_quarter = _sums(
        facts.filter(quarter__gte=quarters[0].start, quarter__lte=quarter.start), "quarter"
    )
    trends = []
    for indicator in indicators:
        points = []
        for q in quarters:
            sums_q = by_quarter.get((q.start, indicator.key))
            small = sums_q is not None and 0 < sums_q.people < MIN_N
            points.append((q, Cell(_figure(indicator, sums_q), small)))
        trends.append(Trend(indicator, points))

    return FollowUp(
        area=area,
        areas=areas,
        quarter=quarter,
        quarters=now.trend(),
        indicators=indicators,
        row_label=str(row_label),
        rows=rows,
        total=total,
        groups=_group_rows(area, indicators, sums, hidden),
        municipalities=_strict_municipalities(area, indicators, quarter),
        trends=trends,
    )


def cooperation_groups_for(user) -> list[CooperationGroup]:
    """The cooperation groups of the counties the user coordinates."""
    return list(
        CooperationGroup.objects.filter(county_id__in=permissions.coordinated_county_ids(user))
        .select_related("county")
        .prefetch_related("members__organisation")
    )


def get_cooperation_group_for(user, *, pk: int) -> CooperationGroup:
    from django.http import Http404

    group = CooperationGroup.objects.filter(
        pk=pk, county_id__in=permissions.coordinated_county_ids(user)
    ).first()
    if group is None:
        raise Http404
    return group


def municipalities_of(county_ids) -> list[Organisation]:
    return list(Organisation.objects.filter(county_area_id__in=county_ids).order_by("name"))


def counties_for_setup(user) -> list[County]:
    """Every county with its municipalities and coordinators, for the platform operator; a
    404 for everyone else. Three queries, however many counties."""
    from django.db.models import Prefetch
    from django.http import Http404

    from people.models import FollowUpAssignment, FollowUpLevel

    if not permissions.can_set_up_counties(user):
        raise Http404
    coordinators = FollowUpAssignment.objects.filter(level=FollowUpLevel.COUNTY).select_related(
        "user"
    )
    return list(
        County.objects.order_by("name").prefetch_related(
            Prefetch("organisations", queryset=Organisation.objects.order_by("name")),
            Prefetch("follow_up_assignments", queryset=coordinators, to_attr="coordinators"),
        )
    )


def municipalities_without_county(user) -> list[Organisation]:
    from django.http import Http404

    if not permissions.can_set_up_counties(user):
        raise Http404
    return list(Organisation.objects.filter(county_area__isnull=True).order_by("name"))


def get_county_for_setup(user, *, pk: int) -> County:
    from django.http import Http404

    if not permissions.can_set_up_counties(user):
        raise Http404
    county = County.objects.filter(pk=pk).first()
    if county is None:
        raise Http404
    return county
