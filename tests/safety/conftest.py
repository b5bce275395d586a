"""The named cast for safety: ny (a new hire in her first year) in enhet_a, mentor as her
active mentor, chef as the unit's manager; a high-risk case of ny's."""

import datetime

import pytest
from django.utils import timezone

from mentoring.models import RiskLevel
from tests.mentoring.factories import CaseFactory, CaseTypeFactory, MentorshipFactory


@pytest.fixture
def mentorskap(mentor, ny):
    return MentorshipFactory(mentor=mentor, mentee=ny)


@pytest.fixture
def placering(kommun_a):
    return CaseTypeFactory(
        organisation=kommun_a, name="Placering i familjehem/HVB", risk_level=RiskLevel.HIGH
    )


@pytest.fixture
def arende(ny, placering):
    return CaseFactory(holder=ny, case_type=placering, reference="BoU-2026-014")


def check_data(**overrides) -> dict:
    """A checklist where nothing signals risk, to change one answer at a time."""
    data = {
        "planned_on": (timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
        "location": "home",
        "known_threats": "no",
        "weapons": "no",
        "animals": "no",
        "earlier_incidents": "no",
        "who_knows": "colleague",
        "notes": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
