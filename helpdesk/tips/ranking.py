"""Exact top-k ranking over weighted postings, reading only as deep as the page needs.

Pure: no Flask, no SQL. A query is a list of concepts (a word as typed, with its corrections and
synonyms as alternative variants, each variant one or more terms that must all be present). A
tip's score is

    coord × Σ over concepts of  max over variants of  factor × Σ over the variant's terms  idf × weight

where coord = (concepts matched / concepts asked) ** COORD_POWER favours tips that match more of
the words, and a synonym's or correction's factor is below 1, so it never outranks the same match
of the word as typed.

The threshold algorithm (Fagin, Lotem and Naor) finds the exact best k without scoring every
match: read each term's postings best-first, a block at a time, score each newly seen tip fully
(random access), and stop when the k-th best score is at least the most any unseen tip could
score (every term's weight at the depth read so far, weighted as above). Finding matches is
cheap and ranking all of them is not; this ranks a few hundred tips for a word in 60,000.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

COORD_POWER = 0.5
FIRST_DEPTH = 64
GROWTH = 4


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


class PostingSource(Protocol):
    def best(self, term_id: int, offset: int, limit: int) -> list[tuple[int, float]]:
        """(tip id, weight) of the term's postings, highest weight first, from `offset`."""
        ...

    def weights(self, tip_ids: list[int], term_ids: list[int]) -> dict[int, dict[int, float]]:
        """For each tip, its weight for each of the terms it holds."""
        ...


def score(concepts: list[Concept], idf: Mapping[int, float], weights: Mapping[int, float]) -> float:
    """One tip's score from its weights for the query's terms (absent terms: not held)."""
    total = 0.0
    matched = 0
    for concept in concepts:
        best = 0.0
        for variant in concept.variants:
            if all(t in weights for t in variant.term_ids):
                value = variant.factor * sum(idf[t] * weights[t] for t in variant.term_ids)
                best = max(best, value)
        if best > 0:
            matched += 1
            total += best
    if not concepts or not matched:
        return 0.0
    return total * (matched / len(concepts)) ** COORD_POWER


def _bound(concepts: list[Concept], idf: Mapping[int, float], depth_weight: dict[int, float]):
    """The most a tip could score whose weight for every term is at most depth_weight."""
    return sum(
        max(v.factor * sum(idf[t] * depth_weight[t] for t in v.term_ids) for v in c.variants)
        for c in concepts
    )


@dataclass
class Ranking:
    ranked: list[tuple[int, float]]  # (tip id, score), best first
    scored: int  # tips whose score was computed
    is_complete: bool  # every match was scored
    matches: int = 0  # when complete: how many tips match at all


def top_k(
    concepts: list[Concept], idf: Mapping[int, float], source: PostingSource, k: int
) -> Ranking:
    """The k best tips by score(), exactly, ties broken by newer (higher id) first."""
    term_ids = sorted({t for c in concepts for t in c.term_ids})
    if not term_ids or k <= 0:
        return Ranking([], 0, True)
    scores: dict[int, float] = {}
    read = dict.fromkeys(term_ids, 0)
    depth_weight = dict.fromkeys(term_ids, float("inf"))
    exhausted: set[int] = set()
    block = max(FIRST_DEPTH, k)
    while True:
        new: set[int] = set()
        for term_id in term_ids:
            if term_id in exhausted:
                continue
            rows = source.best(term_id, read[term_id], block)
            read[term_id] += len(rows)
            if len(rows) < block:
                exhausted.add(term_id)
                depth_weight[term_id] = 0.0
            elif rows:
                depth_weight[term_id] = rows[-1][1]
            new.update(tip_id for tip_id, _ in rows if tip_id not in scores)
        if new:
            held = source.weights(sorted(new), term_ids)
            for tip_id in new:
                scores[tip_id] = score(concepts, idf, held.get(tip_id, {}))
        ranked = sorted(scores.items(), key=lambda item: (-item[1], -item[0]))
        if len(exhausted) == len(term_ids):
            matching = [r for r in ranked if r[1] > 0]
            return Ranking(matching[:k], len(scores), True, len(matching))
        if len(ranked) >= k and ranked[k - 1][1] >= _bound(concepts, idf, depth_weight):
            return Ranking(ranked[:k], len(scores), False)
        block *= GROWTH


def exhaustive(
    concepts: list[Concept], idf: Mapping[int, float], weights_by_tip: Mapping[int, dict]
) -> list[tuple[int, float]]:
    """Every tip scored, best first: what top_k must agree with (tests and the benchmark)."""
    scored = ((tip_id, score(concepts, idf, w)) for tip_id, w in weights_by_tip.items())
    return sorted((s for s in scored if s[1] > 0), key=lambda item: (-item[1], -item[0]))
