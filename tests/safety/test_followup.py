"""Incidents on the follow-up pages (issue 22): per 100 staff, under disclosure control like
every figure there (a unit of fewer than five staff shows a dash, and so does the unit its
figure could be worked out from)."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from followup import services
from followup.indicators import current_quarter
from people.models import Role
from safety.models import Incident, IncidentKind
from tests.factories import UnitFactory
from tests.mentoring.factories import person

COLUMN = "Rapporterade händelser per 100 anställda"


def _staff(unit, count, *, start, prefix):
    return [
        person(unit, Role.SOCIAL_SECRETARY, start=start, email=f"{prefix}{n}@example.org")
        for n in range(count)
    ]


def _incidents(who, unit, quarter, count):
    for n in range(count):
        Incident.objects.create(
            person=who,
            organisation=unit.organisation,
            unit=unit,
            occurred_on=quarter.start + datetime.timedelta(days=3 + n),
            kind=IncidentKind.VERBAL_THREAT,
        )


def _cells(html: str, row: str) -> list[str]:
    match = re.search(rf'<th scope="row">{re.escape(row)}[^<]*</th>(.*?)</tr>', html, re.S)
    assert match, row
    return [
        re.sub(r"<[^>]+>", "", c).strip()
        for c in re.findall(r"<td>(.*?)</td>", match.group(1), re.S)
    ]


@pytest.mark.django_db
def test_incidents_per_hundred_staff_follow_the_disclosure_rules(kommunadmin, kommun_a):
    quarter = current_quarter().shifted(-1)
    before = quarter.start - datetime.timedelta(days=30)
    big = UnitFactory(organisation=kommun_a, name="Stora enheten")
    middle = UnitFactory(organisation=kommun_a, name="Mellersta enheten")
    small = UnitFactory(organisation=kommun_a, name="Lilla enheten")
    big_staff = _staff(big, 10, start=before, prefix="stor")
    middle_staff = _staff(middle, 8, start=before, prefix="mellan")
    small_staff = _staff(small, 2, start=before, prefix="liten")
    _incidents(big_staff[0], big, quarter, 2)
    _incidents(middle_staff[0], middle, quarter, 1)
    _incidents(small_staff[0], small, quarter, 1)
    services.refresh_quarter_facts()

    client = Client()
    client.force_login(kommunadmin)
    html = client.get(reverse("followup:overview"), {"kvartal": quarter.slug}).content.decode()
    headers = re.findall(r'<th scope="col">(.*?)</th>', html, re.S)
    column = next(i for i, h in enumerate(headers) if COLUMN in h) - 1
    assert _cells(html, "Stora enheten")[column] == "20,0"  # 2 incidents, 10 staff
    # Two staff: hidden, and with it the next smallest unit, so that the total gives nothing.
    assert _cells(html, "Lilla enheten")[column].startswith("–")
    assert _cells(html, "Mellersta enheten")[column].startswith("–")
    assert "färre än 5" in html
