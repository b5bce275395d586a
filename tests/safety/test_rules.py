"""The one rule from answers to recommendation (safety.rules): each row of its table, the
strictest signal winning, and every reason shown."""

import itertools

import pytest

from safety.models import SEVERITY, Answer, Location, Recommendation, WhoKnows
from safety.rules import (
    REASON_ANIMALS,
    REASON_DECISION,
    REASON_INCIDENTS,
    REASON_NOBODY_KNOWS,
    REASON_RISK_AND_DECISION,
    REASON_THREATS,
    REASON_THREATS_AND_INCIDENTS,
    REASON_UNKNOWN,
    REASON_WEAPONS,
    assess,
)

CLEAR = {
    "location": Location.HOME,
    "known_threats": Answer.NO,
    "weapons": Answer.NO,
    "animals": Answer.NO,
    "earlier_incidents": Answer.NO,
    "decision_to_communicate": False,
    "who_knows": WhoKnows.COLLEAGUE,
}


def rec(**changes):
    return assess(**{**CLEAR, **changes})


@pytest.mark.parametrize(
    ("changes", "expected", "reason"),
    [
        ({}, Recommendation.AS_PLANNED, None),
        ({"who_knows": WhoKnows.CALENDAR}, Recommendation.AS_PLANNED, None),
        ({"weapons": Answer.YES}, Recommendation.MANAGER_FIRST, REASON_WEAPONS),
        (
            {"known_threats": Answer.YES, "earlier_incidents": Answer.YES},
            Recommendation.MANAGER_FIRST,
            REASON_THREATS_AND_INCIDENTS,
        ),
        (
            {"known_threats": Answer.YES, "decision_to_communicate": True},
            Recommendation.MANAGER_FIRST,
            REASON_RISK_AND_DECISION,
        ),
        (
            {"earlier_incidents": Answer.YES, "decision_to_communicate": True},
            Recommendation.MANAGER_FIRST,
            REASON_RISK_AND_DECISION,
        ),
        ({"known_threats": Answer.YES}, Recommendation.AT_OFFICE, REASON_THREATS),
        ({"earlier_incidents": Answer.YES}, Recommendation.AT_OFFICE, REASON_INCIDENTS),
        (
            {"known_threats": Answer.YES, "location": Location.OFFICE},
            Recommendation.TWO_TOGETHER,
            REASON_THREATS,
        ),
        ({"known_threats": Answer.UNKNOWN}, Recommendation.TWO_TOGETHER, REASON_UNKNOWN),
        ({"weapons": Answer.UNKNOWN}, Recommendation.TWO_TOGETHER, REASON_UNKNOWN),
        ({"earlier_incidents": Answer.UNKNOWN}, Recommendation.TWO_TOGETHER, REASON_UNKNOWN),
        ({"animals": Answer.YES}, Recommendation.TWO_TOGETHER, REASON_ANIMALS),
        ({"animals": Answer.UNKNOWN}, Recommendation.AS_PLANNED, None),
        ({"animals": Answer.YES, "location": Location.OFFICE}, Recommendation.AS_PLANNED, None),
        ({"decision_to_communicate": True}, Recommendation.TWO_TOGETHER, REASON_DECISION),
        ({"who_knows": WhoKnows.NOBODY}, Recommendation.TWO_TOGETHER, REASON_NOBODY_KNOWS),
    ],
)
def test_each_row_of_the_table(changes, expected, reason):
    result = rec(**changes)
    assert result.recommendation == expected
    if reason is None:
        assert result.reasons == ()
    else:
        assert reason in result.reasons


def test_the_strictest_signal_wins_and_every_reason_is_listed():
    result = rec(
        weapons=Answer.YES, animals=Answer.YES, who_knows=WhoKnows.NOBODY, location=Location.OTHER
    )
    assert result.recommendation == Recommendation.MANAGER_FIRST
    assert result.reasons == (REASON_WEAPONS, REASON_ANIMALS, REASON_NOBODY_KNOWS)


def test_more_risk_never_gives_a_milder_recommendation():
    """Over every combination of answers: turning any "no" into "don't know" or "yes", or
    ticking the decision, never lowers the recommendation."""
    worse = {Answer.NO: (Answer.UNKNOWN, Answer.YES), Answer.UNKNOWN: (Answer.YES,)}
    questions = ("known_threats", "weapons", "animals", "earlier_incidents")
    for location, decision, who in itertools.product(
        Location.values, (False, True), WhoKnows.values
    ):
        for answers in itertools.product(Answer.values, repeat=4):
            base = dict(zip(questions, answers, strict=True))
            common = {"location": location, "decision_to_communicate": decision, "who_knows": who}
            level = SEVERITY[assess(**base, **common).recommendation]
            for name in questions:
                for value in worse.get(base[name], ()):
                    raised = assess(**{**base, name: value}, **common).recommendation
                    assert SEVERITY[raised] >= level, (base, common, name, value)
            if not decision:
                ticked = assess(**base, **{**common, "decision_to_communicate": True})
                assert SEVERITY[ticked.recommendation] >= level
