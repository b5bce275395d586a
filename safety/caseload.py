"""A new hire's incidents (händelser) in their first year, on the manager's caseload page next
to the protected caseload: threats and violence are a reason to keep a first-year caseload
light. mentoring owns the page and sits below safety, so safety registers the count in
mentoring's first-year signals (mentoring.selectors.caseload) from SafetyConfig.ready()."""

import datetime

from django.utils.translation import gettext_lazy as _

from core.dates import add_months
from mentoring.selectors.caseload import (
    PROTECTED_MONTHS,
    FirstYearSignal,
    register_first_year_signal,
)
from safety.models import Incident


def first_year_incidents(
    starts: dict[tuple[int, int], datetime.date], *, today: datetime.date
) -> dict[tuple[int, int], int]:
    """{(person, municipality): incidents in the municipality since the first-year start}. One
    query; incidents are few, so they are counted here rather than in SQL per start date."""
    counts: dict[tuple[int, int], int] = {}
    rows = Incident.objects.filter(
        person_id__in={user_id for user_id, _org in starts},
        organisation_id__in={org for _user_id, org in starts},
        occurred_on__gte=min(starts.values()),
        occurred_on__lte=today,
    ).values_list("person_id", "organisation_id", "occurred_on")
    for person_id, organisation_id, occurred_on in rows:
        start = starts.get((person_id, organisation_id))
        if start is not None and start <= occurred_on < add_months(start, PROTECTED_MONTHS):
            counts[(person_id, organisation_id)] = counts.get((person_id, organisation_id), 0) + 1
    return counts


def register() -> None:
    register_first_year_signal(
        FirstYearSignal(
            key="safety.incidents",
            label=_("händelser under första året"),
            count=first_year_incidents,
        )
    )
