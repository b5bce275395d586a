"""A new hire's incidents in their first year count on the manager's protected-caseload page
(issue 22): safety registers them in mentoring's first-year signals (mentoring sits below
safety in the layers). Counts only, for people in their protected first year, in one query."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.dates import add_months
from mentoring import selectors
from mentoring.selectors import caseload
from safety.models import Incident, IncidentKind
from tests.mentoring.factories import person

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def incident(user, unit, *, days_ago: int) -> Incident:
    return Incident.objects.create(
        person=user,
        organisation=unit.organisation,
        unit=unit,
        occurred_on=TODAY() - datetime.timedelta(days=days_ago),
        kind=IncidentKind.VERBAL_THREAT,
    )


def first_year(overview, user) -> list:
    (row,) = [r for r in overview.rows if r.user_id == user.pk]
    return [(str(label), count) for label, count in row.first_year]


def test_first_year_incidents_count_on_the_protected_caseload(client, chef, enhet_a):
    new = person(enhet_a, start=TODAY() - datetime.timedelta(days=60))
    veteran = person(enhet_a, start=add_months(TODAY(), -30))
    incident(new, enhet_a, days_ago=3)
    incident(new, enhet_a, days_ago=40)
    incident(new, enhet_a, days_ago=90)  # before the start in this municipality: not counted
    incident(veteran, enhet_a, days_ago=3)  # not in the first year: no signal at all
    (overview,) = selectors.case_overview_for_units([enhet_a.pk], today=TODAY())
    assert first_year(overview, new) == [("händelser under första året", 2)]
    assert first_year(overview, veteran) == []
    client.force_login(chef)
    page = client.get(reverse("mentoring:caseload")).content.decode()
    assert "händelser under första året: 2" in page
    assert page.count("händelser under första året") == 1


def test_the_signal_is_one_query_whatever_the_number_of_people(enhet_a, monkeypatch):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            selectors.case_overview_for_units([enhet_a.pk], today=TODAY())
        return len(captured)

    for size in (1, 5):
        for n in range(size):
            user = person(enhet_a, start=TODAY() - datetime.timedelta(days=30))
            incident(user, enhet_a, days_ago=n)
        with_signal = queries()
        with monkeypatch.context() as patched:
            patched.setattr(caseload, "FIRST_YEAR_SIGNALS", {})
            assert queries() == with_signal - 1
