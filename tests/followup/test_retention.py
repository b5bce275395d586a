"""Retention (kvar efter 12 månader) by the end dates the staff lifecycle records: a known
cohort, the 13-month leaver who counts as retained, the invitation revoked before the start,
and a cohort whose year has not passed yet."""

import datetime

import pytest
from django.utils import timezone

from core.dates import add_months
from followup.indicators import BY_KEY, Quarter
from people import staff
from people.models import User
from tests.followup.conftest import day_in, hires

pytestmark = pytest.mark.django_db
KEY = "kvar_efter_12_man"


def _counts(quarter, unit):
    counts = BY_KEY[KEY].compute(quarter).get(unit.pk)
    return None if counts is None else (counts.numerator, counts.denominator, len(counts.people))


def _left(user, on: datetime.date) -> None:
    User.objects.filter(pk=user.pk).update(is_active=False, employment_ended_on=on)


def test_retention_counts_by_end_dates(enhet_a, previous):
    start = day_in(previous.shifted(-4), 10)
    _stays, leaves_early, leaves_late, never_started = hires(enhet_a, 4, start=start)
    _left(leaves_early, add_months(start, 8))
    _left(leaves_late, add_months(start, 13))  # after the year: retained
    _left(never_started, start - datetime.timedelta(days=5))  # not in the cohort
    assert _counts(previous, enhet_a) == (2, 3, 3)
    # The figure: 2 of 3.
    assert BY_KEY[KEY].figure(numerator=2, denominator=3, values=[]) == 67


def test_leaving_on_the_anniversary_is_retained_and_the_day_before_is_not(enhet_a, previous):
    start = day_in(previous.shifted(-4), 20)
    on_the_day, day_before = hires(enhet_a, 2, start=start)
    _left(on_the_day, add_months(start, 12))
    _left(day_before, add_months(start, 12) - datetime.timedelta(days=1))
    assert _counts(previous, enhet_a) == (1, 2, 2)


def test_deactivation_through_the_service_dates_the_leaver(enhet_a, kommunadmin, previous):
    """A leaver deactivated today, more than a year after the start, was retained; reactivated,
    they are simply still employed."""
    start = day_in(previous.shifted(-4), 0)
    (person,) = hires(enhet_a, 1, start=start)
    staff.deactivate_person(kommunadmin, person=person)
    assert _counts(previous, enhet_a) == (1, 1, 1)
    staff.reactivate_person(kommunadmin, person=person)
    assert _counts(previous, enhet_a) == (1, 1, 1)


def test_a_cohort_waits_for_its_anniversary(enhet_a):
    today = timezone.localdate()
    start = add_months(today, -12) + datetime.timedelta(days=1)
    _stays, leaves = hires(enhet_a, 2, start=start)
    _left(leaves, add_months(start, 2))
    quarter = Quarter.of(add_months(start, 12))
    # Neither is counted before the anniversary: a leaver alone would read 0 %.
    assert _counts(quarter, enhet_a) is None
