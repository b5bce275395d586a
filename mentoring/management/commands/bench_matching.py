"""Benchmark the matching optimiser on a generated instance held in memory (no database rows)."""

import json
import random
import time

from django.core.management.base import BaseCommand

from mentoring.matching import MenteeCandidate, MentorCandidate, optimise

COUNTIES = ["Skåne län", "Västra Götalands län", "Stockholms län"]


def generate(mentees: int, mentors: int, *, seed: int = 6):
    """Municipalities of 3 counties, 4 units each, 6 specialisations, mostly Swedish speakers."""
    rng = random.Random(seed)
    organisations = [(o, COUNTIES[o % len(COUNTIES)]) for o in range(1, 31)]
    languages = ["sv", "en", "ar", "fa", "so", "fi"]

    def place():
        organisation, county = rng.choice(organisations)
        return organisation, county, frozenset({organisation * 10 + rng.randrange(4)})

    mentor_list = []
    for i in range(mentors):
        organisation, county, units = place()
        capacity = rng.choice([1, 2, 2, 2, 3])
        mentor_list.append(
            MentorCandidate(
                id=i + 1,
                organisation_id=organisation,
                county=county,
                unit_ids=units,
                specialisations=frozenset(rng.sample(range(1, 7), rng.randint(1, 3))),
                languages=frozenset({"sv", *rng.sample(languages, rng.randint(0, 2))}),
                capacity=capacity,
                active_count=rng.choice([0, 0, 0, 1]) if capacity > 1 else 0,
                accepts_other_municipalities=rng.random() < 0.3,
                years_experience=rng.randint(3, 25),
            )
        )
    mentee_list = []
    for i in range(mentees):
        organisation, county, units = place()
        mentee_list.append(
            MenteeCandidate(
                id=mentors + i + 1,
                organisation_id=organisation,
                county=county,
                unit_ids=units,
                wishes=frozenset(rng.sample(range(1, 7), rng.randint(0, 2))),
                language="sv" if rng.random() < 0.9 else rng.choice(languages),
            )
        )
    return mentor_list, mentee_list


class Command(BaseCommand):
    help = "Times the matching optimiser and prints one JSON line."

    def add_arguments(self, parser):
        parser.add_argument("--mentees", type=int, default=2000)
        parser.add_argument("--mentors", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=6)

    def handle(self, *args, mentees, mentors, seed, **options):
        mentor_list, mentee_list = generate(mentees, mentors, seed=seed)
        started = time.perf_counter()
        result = optimise(mentor_list, mentee_list)
        seconds = time.perf_counter() - started
        line = {
            "mentees": mentees,
            "mentors": mentors,
            "assigned": len(result.assignments),
            "total_score": round(result.total_score, 2),
            "greedy_total_score": round(result.greedy_total_score, 2),
            "seconds": round(seconds, 3),
        }
        self.stdout.write(json.dumps(line))
