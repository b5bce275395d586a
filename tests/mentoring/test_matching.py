import itertools
import json
import random
from collections import Counter

import numpy as np
import pytest
from django.core.management import call_command

from mentoring.matching import (
    MenteeCandidate,
    MentorCandidate,
    Weights,
    explain,
    objective,
    optimise,
    pair_score,
    score_matrix,
)


def random_instance(rng: random.Random, mentees: int, mentors: int):
    orgs = [(1, "Skåne län"), (2, "Skåne län"), (3, "Hallands län")]
    mentor_list = []
    for i in range(mentors):
        org, county = rng.choice(orgs)
        capacity = rng.randint(1, 3)
        mentor_list.append(
            MentorCandidate(
                id=i + 1,
                organisation_id=org,
                county=county,
                unit_ids=frozenset({org * 10 + rng.randrange(2)}),
                specialisations=frozenset(rng.sample(range(1, 7), rng.randint(0, 3))),
                languages=frozenset(rng.sample(["sv", "en", "ar"], rng.randint(1, 2))),
                capacity=capacity,
                active_count=rng.randint(0, capacity),
                accepts_other_municipalities=rng.random() < 0.5,
                years_experience=rng.randint(3, 20),
            )
        )
    mentee_list = []
    for i in range(mentees):
        org, county = rng.choice(orgs)
        mentee_list.append(
            MenteeCandidate(
                id=100 + i,
                organisation_id=org,
                county=county,
                unit_ids=frozenset({org * 10 + rng.randrange(2)}),
                wishes=frozenset(rng.sample(range(1, 7), rng.randint(0, 2))),
                language=rng.choice(["sv", "sv", "en", "ar"]),
            )
        )
    return mentor_list, mentee_list


def brute_force(mentors, mentees, weights=None, excluded=frozenset()) -> float:
    """Every way of giving each mentee one mentor or none, within capacity: the best total."""
    weights = weights or Weights()
    best = 0.0
    options = [None, *mentors]
    for choice in itertools.product(options, repeat=len(mentees)):
        load = Counter(m.id for m in choice if m is not None)
        if any(load[m.id] > m.free for m in mentors):
            continue
        pairs = []
        feasible = True
        for mentor, mentee in zip(choice, mentees, strict=True):
            if mentor is None:
                continue
            if pair_score(mentor, mentee, weights) <= 0 or (mentor.id, mentee.id) in excluded:
                feasible = False
                break
            pairs.append((mentor.id, mentee.id))
        if feasible:
            best = max(best, objective(pairs, mentors, mentees, weights))
    return best


def check_capacity(result, mentors):
    load = Counter(a.mentor_id for a in result.assignments)
    for mentor in mentors:
        assert mentor.active_count + load[mentor.id] <= mentor.capacity
    assert len({a.mentee_id for a in result.assignments}) == len(result.assignments)


@pytest.mark.parametrize("seed", range(25))
def test_optimal_against_brute_force_and_capacity_kept(seed):
    rng = random.Random(seed)
    mentors, mentees = random_instance(rng, mentees=rng.randint(1, 5), mentors=rng.randint(1, 3))
    result = optimise(mentors, mentees)
    check_capacity(result, mentors)
    pairs = [(a.mentor_id, a.mentee_id) for a in result.assignments]
    assert result.total_score == pytest.approx(objective(pairs, mentors, mentees))
    assert result.total_score == pytest.approx(brute_force(mentors, mentees))
    assert result.total_score >= result.greedy_total_score - 1e-9


def test_optimiser_beats_greedy_where_greedy_is_short_sighted():
    # Mentee 100 fits both mentors; mentee 101 fits only mentor 1 (LVU + same unit).
    lvu, honour = 4, 5
    m1 = MentorCandidate(
        1, 1, "Skåne län", frozenset({10}), frozenset({lvu, honour}), frozenset({"sv"}), 1
    )
    m2 = MentorCandidate(
        2, 1, "Skåne län", frozenset({11}), frozenset({honour}), frozenset({"sv"}), 1
    )
    first = MenteeCandidate(100, 1, "Skåne län", frozenset({10}), frozenset({honour}))
    second = MenteeCandidate(101, 1, "Skåne län", frozenset({10}), frozenset({lvu, honour}))
    result = optimise([m1, m2], [first, second])
    assert result.mentor_of(101) == 1
    assert result.mentor_of(100) == 2
    assert result.total_score > result.greedy_total_score


def test_never_self_never_declined_and_capacity_zero_gets_nothing():
    me = MentorCandidate(7, 1, "Skåne län", frozenset({10}), frozenset(), frozenset({"sv"}), 2)
    full = MentorCandidate(
        8, 1, "Skåne län", frozenset({10}), frozenset(), frozenset({"sv"}), 1, active_count=1
    )
    as_mentee = MenteeCandidate(7, 1, "Skåne län", frozenset({10}), frozenset())
    other = MenteeCandidate(9, 1, "Skåne län", frozenset({10}), frozenset())
    result = optimise([me, full], [as_mentee, other], excluded={(7, 9)})
    assert result.assignments == []


def test_other_municipality_only_with_consent_same_county_and_when_needed():
    local = MentorCandidate(1, 1, "Skåne län", frozenset({10}), frozenset(), frozenset({"sv"}), 1)
    neighbour = MentorCandidate(
        2,
        2,
        "Skåne län",
        frozenset({20}),
        frozenset(),
        frozenset({"sv"}),
        2,
        accepts_other_municipalities=True,
    )
    shy = MentorCandidate(3, 2, "Skåne län", frozenset({20}), frozenset(), frozenset({"sv"}), 2)
    far = MentorCandidate(
        4,
        3,
        "Hallands län",
        frozenset({30}),
        frozenset(),
        frozenset({"sv"}),
        2,
        accepts_other_municipalities=True,
    )
    a = MenteeCandidate(100, 1, "Skåne län", frozenset({10}), frozenset())
    result = optimise([local, neighbour, shy, far], [a])
    assert result.mentor_of(100) == 1  # local first
    b = MenteeCandidate(101, 1, "Skåne län", frozenset({10}), frozenset())
    result = optimise([local, neighbour, shy, far], [a, b])
    assert {result.mentor_of(100), result.mentor_of(101)} == {1, 2}  # local full: neighbour
    assert pair_score(shy, a) == 0 and pair_score(far, a) == 0


def test_close_calls_go_to_the_less_loaded_mentor():
    busy = MentorCandidate(
        1, 1, "Skåne län", frozenset({10}), frozenset(), frozenset({"sv"}), 3, active_count=2
    )
    free = MentorCandidate(2, 1, "Skåne län", frozenset({10}), frozenset(), frozenset({"sv"}), 3)
    mentee = MenteeCandidate(100, 1, "Skåne län", frozenset({10}), frozenset())
    assert optimise([busy, free], [mentee]).mentor_of(100) == 2


@pytest.mark.parametrize("seed", range(5))
def test_vectorised_scores_equal_the_explainable_ones(seed):
    mentors, mentees = random_instance(random.Random(seed), 12, 8)
    matrix = score_matrix(mentors, mentees)
    expected = np.array([[pair_score(m, e) for m in mentors] for e in mentees])
    assert np.allclose(matrix, expected)


def test_reasons_are_readable_swedish():
    mentor = MentorCandidate(
        1,
        1,
        "Skåne län",
        frozenset({10}),
        frozenset({5}),
        frozenset({"sv"}),
        2,
        years_experience=12,
    )
    mentee = MenteeCandidate(100, 1, "Skåne län", frozenset({10}), frozenset({5}), language="sv")
    reasons = explain(
        mentor,
        mentee,
        specialisation_names={5: "hedersrelaterat våld och förtryck"},
        language_names={"sv": "svenska"},
    )
    assert "Delar inriktning: hedersrelaterat våld och förtryck" in reasons
    assert "Samma enhet" in reasons
    assert "Samma kommun" in reasons
    assert "Talar adeptens språk (svenska)" in reasons
    assert "12 års erfarenhet i yrket" in reasons
    assert "Har 0 av 2 platser upptagna" in reasons


def test_bench_command_prints_one_json_line(capsys):
    call_command("bench_matching", "--mentees", "300", "--mentors", "150")
    line = json.loads(capsys.readouterr().out.strip())
    assert set(line) == {
        "mentees",
        "mentors",
        "assigned",
        "total_score",
        "greedy_total_score",
        "seconds",
    }
    assert line["mentees"] == 300 and line["mentors"] == 150
    assert 0 < line["assigned"] <= 300
    assert line["total_score"] >= line["greedy_total_score"]
