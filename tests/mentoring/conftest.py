"""Case types and cases for the named cast: ny holds cases in enhet_a, mentor is ny's mentor
in an active mentorship, chef manages enhet_a."""

import pytest

from mentoring.models import RiskLevel
from tests.mentoring.factories import CaseFactory, CaseTypeFactory, MentorshipFactory


@pytest.fixture
def placering(kommun_a):
    return CaseTypeFactory(
        organisation=kommun_a, name="Placering i familjehem/HVB", risk_level=RiskLevel.HIGH
    )


@pytest.fixture
def forhandsbedomning(kommun_a):
    return CaseTypeFactory(
        organisation=kommun_a, name="Förhandsbedömning", risk_level=RiskLevel.LOW
    )


@pytest.fixture
def heder(kommun_a):
    return CaseTypeFactory(
        organisation=kommun_a,
        name="Riskbedömning vid hedersrelaterat våld",
        risk_level=RiskLevel.HIGH,
        honour_related=True,
    )


@pytest.fixture
def mentorskap(mentor, ny):
    return MentorshipFactory(mentor=mentor, mentee=ny)


@pytest.fixture
def arende(ny, placering):
    """A high-risk case of the new hire, in investigation, with no named supervisor yet."""
    return CaseFactory(holder=ny, case_type=placering, reference="BoU-2026-014")
