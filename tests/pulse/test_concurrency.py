"""Answers from the same person at the same moment (a double click, two tabs) count once
(PostgreSQL: the invitation row is locked)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from pulse import services
from pulse.models import PulseAnswer, PulseInvitation
from tests.pulse.conftest import open_round_for

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite has no row locks (select_for_update) and one writer at a "
    "time; CI runs PostgreSQL (DATABASE_URL=postgres://…)",
)
CLICKS = 6


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_answers_from_one_person_count_once(ny, enhet_a):
    round_ = open_round_for((ny, enhet_a))
    invitation = PulseInvitation.objects.get(round=round_, person=ny)
    start = threading.Barrier(CLICKS)
    saved, refused, errors = [], [], []

    def click(score):
        try:
            start.wait(timeout=30)
            services.answer_pulse(ny, invitation=invitation, workload=score, support=3, stay=3)
            saved.append(score)
        except ValidationError as error:
            refused.append(error.code)
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click, args=(1 + n % 5,)) for n in range(CLICKS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert len(saved) == 1 and refused == ["already"] * (CLICKS - 1)
    assert PulseAnswer.objects.count() == 1
