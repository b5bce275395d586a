"""How the named cast of tests/conftest.py is made: its municipalities, units and people.

The conftest's fixtures build each of them once per test process and replay it after
(`replayed`, tests/replay.py): a person went through add_membership for every test that asked
for them (get_or_create, full_clean, the role groups, the audit log, the onboarding plan's
outbox row), 16.9 % of the samples of a serial run of tests/mentoring, people and learning. The
access matrix's `world` (tests/test_access_matrix.py) makes the members it needs together with
the objects that point at them, once per process, and replays them as a whole. Both go through
the functions below, so a person of the world is the same person as the fixture of the same
name."""

import datetime

from django.utils import timezone

from people.models import Organisation, Role, User
from people.services import add_membership
from tests import replay
from tests.factories import OrganisationFactory, UnitFactory, UserFactory

MUNICIPALITIES = {"kommun_a": "Kommun A", "kommun_b": "Kommun B"}
# The day the cast started in their roles: 29 days before the day the tests were collected (as
# 2026-11-01 was on 2026-11-30, when this stopped being that fixed date). Fixed, it aged with the
# calendar: three years on, the new hire was out of her first year (her cases and safety checks
# no longer told her manager) and the staff pages refused the date back as more than two years
# old (16 tests failed with the clock moved ahead so, session 35).
START_DATE = timezone.localdate() - datetime.timedelta(days=29)


def kommun_a():
    return OrganisationFactory(name=MUNICIPALITIES["kommun_a"], county="Skåne län")


def kommun_b():
    return OrganisationFactory(name=MUNICIPALITIES["kommun_b"], county="Skåne län")


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
        start_date=START_DATE,
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


def replayed(name, *, unit=None, organisation=None):
    """The cast's municipality, unit or person `name`, built once per process and replayed
    after. Recorded per place: a unit's or a person's recording names the row it belongs to, so
    a test whose unit is another row (one the test made, or a municipality built anew) gets a
    recording of its own, never rows that point elsewhere; the replay checks the rows it points
    at as well (tests/replay.py)."""
    place = unit if unit is not None else organisation
    key = f"cast:{name}" if place is None else f"cast:{name}:{place._meta.label}:{place.pk}"
    if name in PEOPLE:
        return replay.build_once(
            key,
            lambda: person(name, unit=unit, organisation=organisation),
            after_replay=replay.people_replayed,
            # Someone of the same address (a test's world): the build fails on it, loudly.
            absent=[User.objects.filter(email=PEOPLE[name][0])],
        )
    if place is None:  # a municipality, got or created by name (OrganisationFactory)
        made = {"kommun_a": kommun_a, "kommun_b": kommun_b}[name]
        return replay.build_once(
            key, made, absent=[Organisation.objects.filter(name=MUNICIPALITIES[name])]
        )
    return replay.build_once(key, lambda: {"enhet_a": enhet_a, "enhet_b": enhet_b}[name](place))
