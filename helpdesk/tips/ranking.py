"""Exact top-k ranking over weighted postings, reading only as deep as the page needs.

Pure: no Flask, no SQL. A query is a list of concepts (a word as typed, with its corrections and
synonyms as alternative variants). Each term counts at its best factor among the variants that
hold it (1 for the word as typed, less for a synonym, so a synonym never outranks the same match
of the word itself), and a tip's score is

    coord × Σ over concepts of  max over the concept's terms it holds of  factor × idf × weight,
    coord = (concepts matched / concepts asked) ** COORD_POWER

so tips that match more of the words rank first.

Finding matches is cheap and ranking all of them is not. The ranking reads, for each term, only
its best postings (weight at least a cut: the weight at rank DEPTHS[n] of that term's list) and
lets the database add them up per tip. A tip's partial sum is a lower bound of its score; adding
each cut for the terms it was not seen with gives an upper bound, and a tip seen in no list
scores at most the sum of the cuts. When the k-th best lower bound beats every upper bound left
outside the rows read, those rows hold the exact top k, and their exact scores (random access)
order them. Otherwise the cuts go deeper; the last round reads everything.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

COORD_POWER = 0.5
# Postings read per term, round by round: the bounded work. A question of several words that are
# each in tens of thousands of tips may end unproven; the benchmark reports how often, and how
# its first page compares with scoring every tip.
DEPTHS: tuple[int | None, ...] = (200, 1_000)  # None: read every posting
SPARE_ROWS = 200  # tips scored beyond k each round
TOLERANCE = 1e-9


@dataclass(frozen=True)
class Variant:
    term_ids: tuple[int, ...]
    factor: float = 1.0


@dataclass(frozen=True)
class Concept:
    variants: tuple[Variant, ...]

    @property
    def term_ids(self) -> set[int]:
        return {t for v in self.variants for t in v.term_ids}


@dataclass(frozen=True)
class TermPlan:
    """What one term of the query is worth: its concept, idf × its best factor, and the
    largest weight it has in any tip."""

    concept: int
    multiplier: float
    max_weight: float = float("inf")


def plan(
    concepts: list[Concept], idf: Mapping[int, float], max_weights: Mapping[int, float] = {}
) -> dict[int, TermPlan]:
    terms: dict[int, TermPlan] = {}
    for number, concept in enumerate(concepts):
        for variant in concept.variants:
            for term_id in variant.term_ids:
                value = idf[term_id] * variant.factor
                if term_id not in terms or terms[term_id].multiplier < value:
                    terms[term_id] = TermPlan(number, value, max_weights.get(term_id, float("inf")))
    return terms


def coord(matched: int, asked: int) -> float:
    return (matched / asked) ** COORD_POWER if asked else 0.0


@dataclass(frozen=True)
class Partial:
    """One tip's sum over the postings read (at or above the cuts)."""

    tip_id: int
    total: float  # Σ over concepts read: the larger of its best posting and its slack
    matched: int  # concepts read
    cut_share: float  # Σ of the slack of the concepts read

    def bound(self, slack: float) -> float:
        """The most this tip can score: each concept it was not read for, just below the cut."""
        return self.total + slack - self.cut_share


class PostingSource(Protocol):
    def cuts(self, ranks: dict[int, int]) -> dict[int, float]:
        """For each term, the weight at that rank of its postings (best first); 0 if it has
        fewer."""
        ...

    def partial_sums(
        self,
        terms: dict[int, TermPlan],
        cuts: dict[int, float],
        slack: float,
        reaching: float | None,
        limit: int,
    ) -> list[Partial]:
        """Per tip, the sum of its postings with weight >= the term's cut (a term whose cut is
        at least its largest weight is not read); only tips whose upper bound
        (total + slack - cut_share) exceeds `reaching`, if given; the `limit` highest first."""
        ...

    def best_scores(self, terms: dict[int, TermPlan], asked: int, limit: int) -> list[Partial]:
        """Every posting summed per tip; the `limit` best by total × coord first."""
        ...

    def count_matches(self, term_ids: list[int]) -> int:
        """How many tips hold any of these terms."""
        ...

    def weights(self, tip_ids: list[int], term_ids: list[int]) -> dict[int, dict[int, float]]:
        """For each tip, its weight for each of the terms it holds."""
        ...


def score(terms: dict[int, TermPlan], asked: int, weights: Mapping[int, float]) -> float:
    """One tip's score from its weights for the query's terms (absent terms: not held)."""
    best: dict[int, float] = {}
    for term_id, weight in weights.items():
        if term_id in terms:
            concept, value = terms[term_id].concept, terms[term_id].multiplier * weight
            best[concept] = max(best.get(concept, 0.0), value)
    return sum(best.values()) * coord(len(best), asked)


@dataclass
class Ranking:
    ranked: list[tuple[int, float]]  # (tip id, score), best first
    rounds: int  # how many depths were read
    is_complete: bool  # every posting was read
    matches: int = 0  # when complete: how many tips match at all
    is_exact: bool = True  # proven to be the exact top k


def _order(scored: Mapping[int, float]) -> list[tuple[int, float]]:
    return sorted(
        ((t, s) for t, s in scored.items() if s > 0), key=lambda item: (-item[1], -item[0])
    )


def top_k(
    concepts: list[Concept],
    idf: Mapping[int, float],
    source: PostingSource,
    k: int,
    max_weights: Mapping[int, float] = {},
    *,
    read_everything_when_short: bool = True,
) -> Ranking:
    """The k best tips by score(), ties broken by newer (higher id) first: exactly when the
    bounds prove it within DEPTHS (is_exact), else the best of the tips read."""
    terms = plan(concepts, idf, max_weights)
    asked = len(concepts)
    if not terms or k <= 0:
        return Ranking([], 0, True)
    potential = {t: p_.multiplier * min(p_.max_weight, 1e6) for t, p_ in terms.items()}
    reach = {t: value / max(potential.values()) for t, value in potential.items()}
    known: dict[int, float] = {}
    ranked: list[tuple[int, float]] = []
    # A question of several words is seldom settled by the shallow round: go straight deeper.
    depths = DEPTHS if asked == 1 else DEPTHS[-1:]
    for round_number, depth in enumerate(depths, start=1):
        # A term that can add little (a common word, a synonym) is read less deep.
        if depth is None:
            return _read_everything(terms, asked, source, k, round_number)
        cuts = source.cuts({t: max(k, round(depth * reach[t])) for t in terms})
        slack = _slack(terms, cuts)
        if slack == 0.0:
            return _read_everything(terms, asked, source, k, round_number)
        rows = source.partial_sums(terms, cuts, slack, None, k + SPARE_ROWS)
        # Rows come best upper bound first: score them a block at a time, and stop at the first
        # whose upper bound cannot reach the k-th best score found.
        position = 0
        while position < len(rows):
            so_far = _order(known)
            threshold = so_far[k - 1][1] if len(so_far) >= k else 0.0
            if len(so_far) >= k and rows[position].bound(slack) <= threshold:
                break
            block = rows[position : position + (k + 40 if position == 0 else 120)]
            position += len(block)
            known.update(
                _exact(terms, asked, source, [r.tip_id for r in block if r.tip_id not in known])
            )
        ranked = _order(known)
        threshold = ranked[k - 1][1] if len(ranked) >= k else 0.0
        beyond = slack
        if len(rows) == k + SPARE_ROWS:
            beyond = max(beyond, rows[-1].bound(slack))
        if len(ranked) >= k and threshold + TOLERANCE >= beyond:
            return Ranking(ranked[:k], round_number, False, is_exact=True)
    if len(ranked) < k and read_everything_when_short:
        # The reads found less than a page (a filter few tips pass): read everything.
        return _read_everything(terms, asked, source, k, len(depths) + 1)
    return Ranking(ranked[:k], len(depths), False, is_exact=False)


def concept_slack(terms: dict[int, TermPlan], cuts: dict[int, float]) -> dict[int, float]:
    """For each concept, the most it adds for a tip not read for it: its best term at its cut."""
    slack: dict[int, float] = {}
    for term_id, term_plan in terms.items():
        value = term_plan.multiplier * cuts[term_id]
        slack[term_plan.concept] = max(slack.get(term_plan.concept, 0.0), value)
    return slack


def rank_these(
    concepts: list[Concept],
    idf: Mapping[int, float],
    source: PostingSource,
    tip_ids: list[int],
    k: int,
) -> Ranking:
    """The k best of these tips (the only ones that can match), each scored exactly."""
    terms = plan(concepts, idf)
    ranked = _order(_exact(terms, len(concepts), source, tip_ids))
    return Ranking(ranked[:k], 1, True, len(ranked))


def read_everything(
    concepts: list[Concept], idf: Mapping[int, float], source: PostingSource, k: int
) -> Ranking:
    """The k best tips, every posting read: exact, and linear in the matches."""
    return _read_everything(plan(concepts, idf), len(concepts), source, k, 1)


def _slack(terms: dict[int, TermPlan], cuts: dict[int, float]) -> float:
    """The most a tip seen in no list can score."""
    return sum(concept_slack(terms, cuts).values())


def _exact(terms, asked, source: PostingSource, tip_ids: list[int]) -> dict[int, float]:
    held = source.weights(tip_ids, sorted(terms)) if tip_ids else {}
    return {t: score(terms, asked, held.get(t, {})) for t in tip_ids}


def _read_everything(terms, asked, source: PostingSource, k: int, rounds: int) -> Ranking:
    rows = source.best_scores(terms, asked, k)
    ranked = _order({r.tip_id: r.total * coord(r.matched, asked) for r in rows})
    return Ranking(ranked[:k], rounds, True, source.count_matches(sorted(terms)))


def exhaustive(
    concepts: list[Concept], idf: Mapping[int, float], weights_by_tip: Mapping[int, dict]
) -> list[tuple[int, float]]:
    """Every tip scored, best first: what top_k must agree with (tests and the benchmark)."""
    terms = plan(concepts, idf)
    return _order({t: score(terms, len(concepts), w) for t, w in weights_by_tip.items()})
