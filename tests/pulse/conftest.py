"""The pulse's cast: ny (new hire) in enhet_a of kommun_a, with chef as the unit's manager and
kommunadmin as the municipality's admin; utomstaende in kommun_b. Helpers make rounds and
answers directly when a test is about what comes after."""

import datetime

import pytest
from django.utils import timezone

from pulse import services
from pulse.models import PulseAnswer, PulseInvitation, PulseRound, quarter_start

TODAY = timezone.localdate()


def open_round_for(*people_units, kind=PulseRound.Kind.QUARTERLY, today=None, months=None):
    """Open a round today for (person, unit) pairs, through the service the daily job uses."""
    today = today or timezone.localdate()
    organisation_id = people_units[0][1].organisation_id
    invitees = {person.pk: (unit.pk, months) for person, unit in people_units}
    services.open_round(organisation_id=organisation_id, kind=kind, invitees=invitees, today=today)
    return (
        PulseRound.objects.get(
            organisation_id=organisation_id, kind=kind, period_start=quarter_start(today)
        )
        if kind == PulseRound.Kind.QUARTERLY
        else PulseRound.objects.get(organisation_id=organisation_id, kind=kind, opens_on=today)
    )


def released_answers(unit, n, *, period, scores=(3, 3, 3), comment=""):
    """n answers of a closed round in `unit` for the quarter starting `period`."""
    return PulseAnswer.objects.bulk_create(
        PulseAnswer(
            organisation_id=unit.organisation_id,
            unit=unit,
            period_start=period,
            workload=scores[0],
            support=scores[1],
            stay=scores[2],
            comment=comment,
        )
        for _ in range(n)
    )


@pytest.fixture
def inbjudan(ny, enhet_a):
    round_ = open_round_for((ny, enhet_a))
    return PulseInvitation.objects.get(round=round_, person=ny)


@pytest.fixture
def this_quarter():
    return quarter_start(TODAY)


@pytest.fixture
def last_quarter():
    return quarter_start(quarter_start(TODAY) - datetime.timedelta(days=1))
