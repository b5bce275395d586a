"""Factories for mentoring rows; people and pages come from tests/factories.py."""

import datetime

import factory
from django.utils import timezone

from mentoring.models import MentorProfile, Mentorship, SupervisionSession
from people.models import Role
from people.services import add_membership
from tests.factories import UserFactory


class MentorProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MentorProfile

    user = factory.SubFactory(UserFactory)
    years_experience = 8
    capacity = 2
    languages = factory.LazyFunction(lambda: ["sv"])


class MentorshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mentorship

    mentor = factory.SubFactory(UserFactory)
    mentee = factory.SubFactory(UserFactory)
    organisation = factory.LazyAttribute(lambda m: m.mentee.memberships.first().organisation)
    status = Mentorship.Status.ACTIVE
    start_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=60))


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupervisionSession

    mentorship = factory.SubFactory(MentorshipFactory)
    date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=3))
    duration_minutes = 60
    notes = "Hemlig anteckning om ärendeplanering."
    agreed_actions = "Läsa på om barnsamtal."


def person(unit, role=Role.NEW_HIRE, *, start=None, **kwargs):
    user = UserFactory(**kwargs)
    add_membership(
        None,
        user=user,
        role=role,
        unit=unit,
        start_date=start or timezone.localdate() - datetime.timedelta(days=7),
    )
    return user


def mentor_in(unit, *, capacity=2, years=8, **kwargs):
    user = person(unit, Role.MENTOR, **kwargs)
    MentorProfileFactory(user=user, capacity=capacity, years_experience=years)
    return user
