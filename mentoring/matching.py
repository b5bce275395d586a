"""Matching (matchning) of mentees to mentors: pure functions on plain dataclasses, no ORM.

The optimiser solves the assignment problem with mentor slots: every mentor is expanded into
as many columns as they have free places, slot j of a mentor who already has `a` mentees costs a
load penalty of `load_penalty * (a + j)`, and scipy's `linear_sum_assignment` maximises the
total score. Pairs that may not meet (self, declined, other county, another municipality
without the mentor's consent) score 0 and are dropped afterwards, which makes the result a
maximum-weight matching rather than a forced perfect one.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext, gettext_noop


@dataclass(frozen=True)
class MentorCandidate:
    id: int
    organisation_id: int
    county: str
    unit_ids: frozenset[int]
    specialisations: frozenset[int]
    languages: frozenset[str]
    capacity: int
    active_count: int = 0
    accepts_other_municipalities: bool = False
    years_experience: int = 0
    name: str = ""

    @property
    def free(self) -> int:
        return max(self.capacity - self.active_count, 0)


@dataclass(frozen=True)
class MenteeCandidate:
    id: int
    organisation_id: int
    county: str
    unit_ids: frozenset[int]
    wishes: frozenset[int]
    language: str = "sv"
    name: str = ""


@dataclass(frozen=True)
class Weights:
    base: float = 10.0
    specialisation: float = 3.0
    same_unit: float = 3.0
    same_municipality: float = 1.0
    cross_municipality_penalty: float = 4.0
    language: float = 2.0
    experience_per_year: float = 0.1
    experience_cap: int = 15
    load_penalty: float = 0.5

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Assignment:
    mentee_id: int
    mentor_id: int
    score: float


@dataclass
class MatchResult:
    assignments: list[Assignment] = field(default_factory=list)
    total_score: float = 0.0
    greedy_total_score: float = 0.0

    def mentor_of(self, mentee_id: int) -> int | None:
        return next((a.mentor_id for a in self.assignments if a.mentee_id == mentee_id), None)


def may_meet(
    mentor: MentorCandidate, mentee: MenteeCandidate, excluded: frozenset | set = frozenset()
) -> bool:
    """Hard rules: never oneself, never a declined pair, other municipalities only in the same
    county and only when the mentor accepts that."""
    if mentor.id == mentee.id or (mentor.id, mentee.id) in excluded:
        return False
    if mentor.organisation_id == mentee.organisation_id:
        return True
    return mentor.accepts_other_municipalities and mentor.county == mentee.county


def pair_score(
    mentor: MentorCandidate, mentee: MenteeCandidate, weights: Weights = Weights()
) -> float:
    """How well a pair fits, before the load penalty; 0 when they may not meet."""
    if not may_meet(mentor, mentee):
        return 0.0
    score = weights.base
    score += weights.specialisation * len(mentor.specialisations & mentee.wishes)
    if mentor.unit_ids & mentee.unit_ids:
        score += weights.same_unit
    if mentor.organisation_id == mentee.organisation_id:
        score += weights.same_municipality
    else:
        score -= weights.cross_municipality_penalty
    if mentee.language in mentor.languages:
        score += weights.language
    score += weights.experience_per_year * min(mentor.years_experience, weights.experience_cap)
    return score


def slot_penalty(load: int, weights: Weights = Weights()) -> float:
    return weights.load_penalty * load


def explain(
    mentor: MentorCandidate,
    mentee: MenteeCandidate,
    *,
    specialisation_names: dict[int, str] | None = None,
    language_names: dict[str, str] | None = None,
) -> list[str]:
    """Readable reasons why the pair fits, in the active language."""
    codes = reason_codes(
        mentor,
        mentee,
        specialisation_names=specialisation_names,
        language_names=language_names,
    )
    return [render_reason(reason) for reason in codes]


# The reasons are stored with each proposal as [msgid, values] and put into words when read
# (MatchProposal.reason_texts), so a run made by a Swedish admin reads in English for an
# English reader.
SHARED_FOCUS = gettext_noop("Delar inriktning: %(names)s")
SAME_UNIT = gettext_noop("Samma enhet")
SAME_MUNICIPALITY = gettext_noop("Samma kommun")
SAME_COUNTY = gettext_noop(
    "Annan kommun i samma län (%(county)s); mentorn tar emot adepter därifrån"
)
SPEAKS_LANGUAGE = gettext_noop("Talar adeptens språk (%(language)s)")
EXPERIENCE = gettext_noop("%(years)s års erfarenhet i yrket")
LOAD = gettext_noop("Har %(active)s av %(capacity)s platser upptagna")
ADJUSTED_BY = gettext_noop("Justerat för hand av %(name)s")


def render_reason(reason) -> str:
    """A stored reason in the reader's language (reasons stored as text before are shown as
    they were written)."""
    if isinstance(reason, list | tuple):
        msgid, values = reason
        values = {
            key: ", ".join(_in_sentence(gettext(name)) for name in value)
            if isinstance(value, list)
            else value
            for key, value in values.items()
        }
        return gettext(msgid) % values if values else gettext(msgid)
    return str(reason)


def _in_sentence(name: str) -> str:
    """A name inside a sentence: "Barnavårdsutredning" becomes "barnavårdsutredning", an
    abbreviation such as "LVU" stays as it is."""
    first = name.split(" ", 1)[0]
    return name if first.isupper() else name[:1].lower() + name[1:]


def reason_codes(
    mentor: MentorCandidate,
    mentee: MenteeCandidate,
    *,
    specialisation_names: dict[int, str] | None = None,
    language_names: dict[str, str] | None = None,
) -> list[list]:
    """Why the pair fits, as [msgid, values] pairs to store with the proposal."""
    specialisation_names = specialisation_names or {}
    language_names = language_names or {}
    reasons = []
    shared = sorted(
        specialisation_names.get(s, str(s)) for s in mentor.specialisations & mentee.wishes
    )
    if shared:
        reasons.append([SHARED_FOCUS, {"names": shared}])
    if mentor.unit_ids & mentee.unit_ids:
        reasons.append([SAME_UNIT, {}])
    if mentor.organisation_id == mentee.organisation_id:
        reasons.append([SAME_MUNICIPALITY, {}])
    elif mentor.county == mentee.county:
        reasons.append([SAME_COUNTY, {"county": mentor.county}])
    if mentee.language in mentor.languages:
        language = language_names.get(mentee.language, mentee.language)
        reasons.append([SPEAKS_LANGUAGE, {"language": language}])
    if mentor.years_experience:
        reasons.append([EXPERIENCE, {"years": mentor.years_experience}])
    reasons.append([LOAD, {"active": mentor.active_count, "capacity": mentor.capacity}])
    return reasons


def score_matrix(
    mentors: list[MentorCandidate],
    mentees: list[MenteeCandidate],
    weights: Weights = Weights(),
    excluded: Iterable[tuple[int, int]] = (),
) -> np.ndarray:
    """pair_score for every (mentee, mentor), vectorised: rows are mentees, columns mentors."""
    n, m = len(mentees), len(mentors)
    if not n or not m:
        return np.zeros((n, m))
    counties = {c: i for i, c in enumerate({x.county for x in [*mentors, *mentees]})}
    spec_index = {s: i for i, s in enumerate({s for x in mentors for s in x.specialisations})}
    mentor_org = np.array([x.organisation_id for x in mentors])
    mentee_org = np.array([x.organisation_id for x in mentees])
    mentor_county = np.array([counties[x.county] for x in mentors])
    mentee_county = np.array([counties[x.county] for x in mentees])
    accepts = np.array([x.accepts_other_municipalities for x in mentors])
    same_org = mentee_org[:, None] == mentor_org[None, :]
    feasible = same_org | ((mentee_county[:, None] == mentor_county[None, :]) & accepts[None, :])
    score = np.full((n, m), weights.base)
    if spec_index:
        mentor_specs = np.zeros((m, len(spec_index)))
        for j, x in enumerate(mentors):
            for s in x.specialisations:
                mentor_specs[j, spec_index[s]] = 1
        mentee_specs = np.zeros((n, len(spec_index)))
        for i, x in enumerate(mentees):
            for s in x.wishes:
                if s in spec_index:
                    mentee_specs[i, spec_index[s]] = 1
        score += weights.specialisation * (mentee_specs @ mentor_specs.T)
    # Units: people mostly have one; a manager-mentor may have several.
    unit_index = {u: i for i, u in enumerate({u for x in mentors for u in x.unit_ids})}
    if unit_index:
        mentor_units = np.zeros((m, len(unit_index)), dtype=np.float32)
        for j, x in enumerate(mentors):
            for u in x.unit_ids:
                mentor_units[j, unit_index[u]] = 1
        mentee_units = np.zeros((n, len(unit_index)), dtype=np.float32)
        for i, x in enumerate(mentees):
            for u in x.unit_ids:
                if u in unit_index:
                    mentee_units[i, unit_index[u]] = 1
        score += weights.same_unit * ((mentee_units @ mentor_units.T) > 0)
    score += np.where(same_org, weights.same_municipality, -weights.cross_municipality_penalty)
    languages = {lang: i for i, lang in enumerate({lang for x in mentors for lang in x.languages})}
    if languages:
        mentor_langs = np.zeros((m, len(languages)), dtype=bool)
        for j, x in enumerate(mentors):
            for lang in x.languages:
                mentor_langs[j, languages[lang]] = True
        mentee_lang = np.array([languages.get(x.language, -1) for x in mentees])
        known = mentee_lang >= 0
        speaks = np.zeros((n, m), dtype=bool)
        speaks[known] = mentor_langs[:, mentee_lang[known]].T
        score += weights.language * speaks
    years = np.minimum(np.array([x.years_experience for x in mentors]), weights.experience_cap)
    score += weights.experience_per_year * years[None, :]
    score[~feasible] = 0.0
    mentor_pos = {x.id: j for j, x in enumerate(mentors)}
    mentee_pos = {x.id: i for i, x in enumerate(mentees)}
    for i, x in enumerate(mentees):
        j = mentor_pos.get(x.id)
        if j is not None:
            score[i, j] = 0.0
    for mentor_id, mentee_id in excluded:
        if mentor_id in mentor_pos and mentee_id in mentee_pos:
            score[mentee_pos[mentee_id], mentor_pos[mentor_id]] = 0.0
    return score


def objective(
    pairs: Iterable[tuple[int, int]],
    mentors: list[MentorCandidate],
    mentees: list[MenteeCandidate],
    weights: Weights = Weights(),
) -> float:
    """The total score of a set of (mentor_id, mentee_id) pairs: pair scores minus the load
    penalty of each slot used (slot j of a mentor with `a` mentees costs penalty * (a + j))."""
    by_mentor = {x.id: x for x in mentors}
    by_mentee = {x.id: x for x in mentees}
    used: dict[int, int] = {}
    total = 0.0
    for mentor_id, mentee_id in pairs:
        mentor = by_mentor[mentor_id]
        load = mentor.active_count + used.get(mentor_id, 0)
        used[mentor_id] = used.get(mentor_id, 0) + 1
        total += pair_score(mentor, by_mentee[mentee_id], weights) - slot_penalty(load, weights)
    return total


def greedy(
    mentors: list[MentorCandidate],
    mentees: list[MenteeCandidate],
    weights: Weights = Weights(),
    excluded: Iterable[tuple[int, int]] = (),
    scores: np.ndarray | None = None,
) -> tuple[list[Assignment], float]:
    """The baseline: each mentee in turn takes the best mentor with a free place."""
    scores = score_matrix(mentors, mentees, weights, excluded) if scores is None else scores
    if not mentors or not mentees:
        return [], 0.0
    free = np.array([x.free for x in mentors])
    load = np.array([x.active_count for x in mentors], dtype=float)
    feasible = scores > 0
    result, total = [], 0.0
    for i, mentee in enumerate(mentees):
        row = np.where(feasible[i] & (free > 0), scores[i] - weights.load_penalty * load, -np.inf)
        j = int(np.argmax(row))
        if row[j] <= 0:
            continue
        free[j] -= 1
        load[j] += 1
        result.append(Assignment(mentee.id, mentors[j].id, float(row[j])))
        total += float(row[j])
    return result, total


def optimise(
    mentors: list[MentorCandidate],
    mentees: list[MenteeCandidate],
    weights: Weights = Weights(),
    excluded: Iterable[tuple[int, int]] = (),
) -> MatchResult:
    """The assignment that maximises the total score without exceeding any mentor's capacity."""
    excluded = list(excluded)
    scores = score_matrix(mentors, mentees, weights, excluded)
    _greedy_pairs, greedy_total = greedy(mentors, mentees, weights, excluded, scores)
    slot_mentor = np.array(
        [j for j, x in enumerate(mentors) for _slot in range(x.free)], dtype=np.int64
    )
    if not len(mentees) or not len(slot_mentor):
        return MatchResult([], 0.0, greedy_total)
    slot_load = np.array(
        [x.active_count + slot for x in mentors for slot in range(x.free)], dtype=float
    )
    # Only columns that some mentee can use matter; dropping the rest keeps the matrix small.
    useful = (scores > 0).any(axis=0)
    keep = useful[slot_mentor]
    slot_mentor, slot_load = slot_mentor[keep], slot_load[keep]
    matrix = scores[:, slot_mentor] - weights.load_penalty * slot_load[None, :]
    matrix[scores[:, slot_mentor] <= 0] = 0.0
    np.maximum(matrix, 0.0, out=matrix)
    # Imported here: scipy.optimize costs every process that loads the URLs (web, worker,
    # manage.py) half a second of CPU, and only a matching run needs it.
    from scipy.optimize import linear_sum_assignment

    rows, cols = linear_sum_assignment(matrix, maximize=True)
    assignments = []
    total = 0.0
    for i, c in zip(rows, cols, strict=True):
        value = float(matrix[i, c])
        if value <= 0:
            continue
        assignments.append(Assignment(mentees[i].id, mentors[slot_mentor[c]].id, value))
        total += value
    return MatchResult(assignments, total, greedy_total)


class NoProposal:
    """Why a person without a mentor got no proposal in a run (stored with the run)."""

    # Nobody who may be their mentor: no active mentor in the municipality, and none in the
    # county who takes mentees from other municipalities.
    NO_MENTOR_NEARBY = "no_mentor_nearby"
    # Every mentor who may be their mentor has declined them (or they declined that mentor).
    ALL_DECLINED = "all_declined"
    # Mentors are there, but their places are taken (before the run or by its other proposals).
    NO_FREE_PLACE = "no_free_place"
    # An earlier proposal waits for an answer; they are not matched again until it is answered.
    WAITING_FOR_ANSWER = "waiting_for_answer"


def why_no_proposal(
    mentors: list[MentorCandidate],
    mentees: list[MenteeCandidate],
    result: MatchResult,
    excluded: Iterable[tuple[int, int]] = (),
) -> dict[int, str]:
    """{mentee id: NoProposal reason} for each mentee the result gives no mentor."""
    excluded = set(excluded)
    matched = {a.mentee_id for a in result.assignments}
    reasons = {}
    for mentee in mentees:
        if mentee.id in matched:
            continue
        possible = [m for m in mentors if may_meet(m, mentee)]
        if not possible:
            reasons[mentee.id] = NoProposal.NO_MENTOR_NEARBY
        elif all((m.id, mentee.id) in excluded for m in possible):
            reasons[mentee.id] = NoProposal.ALL_DECLINED
        else:
            reasons[mentee.id] = NoProposal.NO_FREE_PLACE
    return reasons
