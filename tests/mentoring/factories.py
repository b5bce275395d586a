"""Factories for mentoring rows (mentorships, cases); people and pages come from
tests/factories.py."""

import datetime

import factory
from django.utils import timezone

from mentoring.models import (
    CaseReview,
    CaseStage,
    CaseType,
    CheckAnswer,
    EntrustmentDecision,
    MentorProfile,
    Mentorship,
    RiskLevel,
    SupervisedCase,
    SupervisionSession,
)
from people.models import Role
from people.services import add_membership
from tests.factories import OrganisationFactory, UserFactory


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


class CaseTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseType

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Ärendetyp {n}")
    risk_level = RiskLevel.HIGH


class CaseFactory(factory.django.DjangoModelFactory):
    """A case of `holder` in their first unit; pass case_type from the same municipality."""

    class Meta:
        model = SupervisedCase

    holder = factory.SubFactory(UserFactory)
    unit = factory.LazyAttribute(lambda c: c.holder.memberships.exclude(unit=None).first().unit)
    organisation = factory.LazyAttribute(lambda c: c.unit.organisation)
    case_type = factory.SubFactory(
        CaseTypeFactory, organisation=factory.SelfAttribute("..organisation")
    )
    reference = factory.Sequence(lambda n: f"BoU-2026-{n:04d}")
    stage = CaseStage.INVESTIGATION
    opened_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseReview

    case = factory.SubFactory(CaseFactory)
    supervisor = factory.SubFactory(UserFactory)
    date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=2))
    stage = factory.LazyAttribute(lambda r: r.case.stage)
    observed_level = 2
    child_spoken_alone = CheckAnswer.YES
    child_view_documented = CheckAnswer.NO
    risk_assessment_made = CheckAnswer.YES
    honour_risk_assessment_made = CheckAnswer.NOT_APPLICABLE


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EntrustmentDecision

    person = factory.SubFactory(UserFactory)
    case_type = factory.SubFactory(CaseTypeFactory)
    level = 4
    decided_by = factory.SubFactory(UserFactory)
    decided_on = factory.LazyFunction(timezone.localdate)
