"""Follow-up's cast: two counties, a county coordinator and national follow-up, and a helper
that fills a unit with new hires. Dates are relative to today (the previous quarter)."""

import datetime
import itertools

import pytest
from django.utils import timezone

from followup import services
from followup.indicators import current_quarter
from people.models import County, FollowUpAssignment, FollowUpLevel, Role
from tests.factories import OrganisationFactory, UnitFactory, UserFactory
from tests.mentoring.factories import person

_numbers = itertools.count(1)


@pytest.fixture
def previous():
    """The last whole quarter: every event-based indicator has its data there."""
    return current_quarter().shifted(-1)


def day_in(quarter, offset: int) -> datetime.date:
    return quarter.start + datetime.timedelta(days=offset)


def hires(unit, count: int, *, start: datetime.date, role=Role.NEW_HIRE) -> list:
    return [
        person(unit, role, start=start, email=f"fu{next(_numbers)}@example.org")
        for _n in range(count)
    ]


@pytest.fixture
def lan_skane(kommun_a, kommun_b):
    services.link_counties()
    return County.objects.get(name="Skåne län")


@pytest.fixture
def kommun_c(db):
    return OrganisationFactory(name="Kommun C", county="Norrbottens län")


@pytest.fixture
def lan_norr(kommun_c):
    services.link_counties()
    return County.objects.get(name="Norrbottens län")


@pytest.fixture
def lanssamordnare(lan_skane):
    user = UserFactory(email="lanssamordnare@example.org", full_name="Lena Länssamordnare")
    FollowUpAssignment.objects.create(user=user, level=FollowUpLevel.COUNTY, county=lan_skane)
    return user


@pytest.fixture
def nationell(db):
    user = UserFactory(email="nationell@example.org", full_name="Nils Nationell")
    FollowUpAssignment.objects.create(user=user, level=FollowUpLevel.NATIONAL)
    return user


@pytest.fixture
def unit_in():
    def make(organisation, name):
        return UnitFactory(organisation=organisation, name=name)

    return make


@pytest.fixture
def today():
    return timezone.localdate()
