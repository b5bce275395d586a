"""How the named cast of tests/conftest.py is made: its municipalities, units and people.

The conftest's fixtures make one member per fixture for each test; the access matrix's `world`
(tests/test_access_matrix.py) makes the members it needs together with the objects that point
at them, once per process, and replays them (tests/replay.py). Both go through these functions,
so a person of the world is the same person as the fixture of the same name."""

import datetime

from people.models import Role
from people.services import add_membership
from tests.factories import OrganisationFactory, UnitFactory, UserFactory


def kommun_a():
    return OrganisationFactory(name="Kommun A", county="Skåne län")


def kommun_b():
    return OrganisationFactory(name="Kommun B", county="Skåne län")


def enhet_a(organisation):
    return UnitFactory(organisation=organisation, name="Barn och unga – utredning")


def enhet_b(organisation):
    return UnitFactory(organisation=organisation, name="Barn och familj")


def member(email, role, *, unit=None, organisation=None):
    user = UserFactory(email=email, full_name=email.split("@")[0].capitalize() + " Testsson")
    add_membership(
        None,
        user=user,
        role=role,
        unit=unit,
        organisation=organisation,
        start_date=datetime.date(2026, 11, 1),
    )
    return user


# Each member of the cast: (fixture name, email, role, "unit" or "organisation", of A or B).
PEOPLE = {
    "ny": ("ny@example.org", Role.NEW_HIRE, "unit", "a"),
    "mentor": ("mentor@example.org", Role.MENTOR, "unit", "a"),
    "chef": ("chef@example.org", Role.MANAGER, "unit", "a"),
    "redaktor": ("redaktor@example.org", Role.EDITOR, "organisation", "a"),
    "kommunadmin": ("admin@example.org", Role.MUNICIPAL_ADMIN, "organisation", "a"),
    "kursledare": ("kursledare@example.org", Role.COURSE_LEADER, "organisation", "a"),
    "utomstaende": ("utomstaende@example.org", Role.NEW_HIRE, "unit", "b"),
    "kommunadmin_b": ("admin-b@example.org", Role.MUNICIPAL_ADMIN, "organisation", "b"),
}


def person(name, *, unit=None, organisation=None):
    """The cast member `name`, placed in the unit or municipality PEOPLE names for them."""
    email, role, place, _side = PEOPLE[name]
    if place == "unit":
        return member(email, role, unit=unit)
    return member(email, role, organisation=organisation)
