"""A question as people type it, turned into concepts the ranking understands.

Pure: the vocabulary is asked through a small protocol (the database implements it). Steps:
quoted phrases are kept whole (and must match); the other words lose their stop words; a run of
words the advisor listed as other words for the same thing ("speech to text") becomes one
concept with its synonyms; every other word is a concept of its stem, plus its synonyms; a word
the library never uses is corrected to the nearest word it does use ("chromebok" → "chromebook"),
or completed when it is the word still being typed ("chromeb" → "chromebook"). Nothing a person
types can raise: at worst the query has no concepts and finds nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from rapidfuzz.distance import OSA

from helpdesk.tips.ranking import Concept, Variant
from helpdesk.tips.terms import fold, idf, is_meaningful, stem

MAX_QUERY_CHARS = 200
MAX_CONCEPTS = 8
SYNONYM_FACTOR = 0.5
COMPLETIONS = 3

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_PHRASE = re.compile(r'"([^"]*)"')
_QUERY_TOKEN = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
_PLAIN_WORD = re.compile(r"[^\W_]+")


def query_tokens(text: str) -> list[str]:
    """Words of a query: hyphenated words joined ("wi-fi" → "wifi"), apostrophes split."""
    return [t.replace("-", "") for t in _QUERY_TOKEN.findall(fold(text))]


def allowed_distance(word: str) -> int:
    """How many edits a correction may make: one in a word of up to six letters, else two
    ("flute" is not a misspelt "mute")."""
    return 1 if len(word) <= 6 else 2


@dataclass(frozen=True)
class TermInfo:
    id: int
    document_count: int
    max_weight: float = float("inf")


@dataclass(frozen=True)
class WordInfo:
    word: str
    term: str
    document_count: int


class Vocabulary(Protocol):
    def document_count(self) -> int: ...

    def terms(self, stems: Sequence[str]) -> dict[str, TermInfo]: ...

    def similar_words(self, word: str) -> list[WordInfo]:
        """Indexed words that share trigrams with `word` (candidates for a correction)."""
        ...

    def completions(self, prefix: str, limit: int) -> list[WordInfo]:
        """Indexed words starting with `prefix`, most used first."""
        ...


@dataclass
class Query:
    concepts: list[Concept] = field(default_factory=list)
    idf: dict[int, float] = field(default_factory=dict)
    phrases: list[str] = field(default_factory=list)
    corrections: list[tuple[str, str]] = field(default_factory=list)  # (typed, used)
    unknown: list[str] = field(default_factory=list)  # words found nowhere
    documents: int = 0  # tips in the library when the query was built
    max_weights: dict[int, float] = field(default_factory=dict)
    stems: frozenset[str] = frozenset()  # every term searched, to mark in the tips found
    has_impossible_phrase: bool = False

    @property
    def is_empty(self) -> bool:
        return not self.concepts or self.has_impossible_phrase

    def corrected_text(self, typed: str) -> str:
        text = typed
        for wrong, right in self.corrections:
            text = re.sub(rf"(?i)\b{re.escape(wrong)}\b", right, text)
        return text


def synonym_entries(groups: Sequence[str]) -> list[tuple[tuple[str, ...], ...]]:
    """Each group ("wifi, wi-fi, wireless") as its entries' stemmed words."""
    parsed = []
    for group in groups:
        entries = []
        for entry in group.split(","):
            stems = tuple(stem(t) for t in query_tokens(entry))
            if stems and stems not in entries:
                entries.append(stems)
        if len(entries) > 1:
            parsed.append(tuple(entries))
    return parsed


class _Builder:
    def __init__(self, vocabulary: Vocabulary, groups: Sequence[str], *, correct: bool):
        self.vocabulary = vocabulary
        self.groups = synonym_entries(groups)
        self.correct = correct
        self.query = Query()
        self.known: dict[str, TermInfo] = {}

    def lookup(self, stems: list[str]) -> None:
        missing = [s for s in dict.fromkeys(stems) if s not in self.known]
        if missing:
            self.known.update(self.vocabulary.terms(missing))

    def variant(self, stems: Sequence[str], factor: float) -> Variant | None:
        meaningful = [s for s in stems if is_meaningful(s)] or list(stems)
        if not meaningful or any(s not in self.known for s in meaningful):
            return None
        return Variant(tuple(dict.fromkeys(self.known[s].id for s in meaningful)), factor)

    def groups_with(self, stems: tuple[str, ...]):
        return [g for g in self.groups if stems in g]

    def concept(self, own: tuple[str, ...]) -> Concept | None:
        """The words as found (`own`), plus every other entry of the groups holding them."""
        others = [e for g in self.groups_with(own) for e in g if e != own]
        self.lookup([s for e in [own, *others] for s in e])
        variants = [self.variant(own, 1.0)] + [self.variant(e, SYNONYM_FACTOR) for e in others]
        found = tuple(dict.fromkeys(v for v in variants if v is not None))
        return Concept(found) if found else None

    def replacement(self, word: str, is_last: bool) -> tuple[str, ...] | None:
        """The stem to search for a word the library never uses, or None."""
        if is_last:
            done = [w for w in self.vocabulary.completions(word, COMPLETIONS) if w.word != word]
            if done:
                return (done[0].term,)
        if not self.correct or len(word) < 3 or word.isdigit():
            return None
        candidates = [
            (OSA.distance(word, w.word), -w.document_count, w.word, w.term)
            for w in self.vocabulary.similar_words(word)
        ]
        # People rarely mistype a word's first letter; a correction that changes it turns real
        # words into others ("hear" into "gear").
        candidates = [
            c for c in candidates if c[0] <= allowed_distance(word) and c[2][0] == word[0]
        ]
        if not candidates:
            return None
        _, _, right, term = min(candidates)
        self.query.corrections.append((word, right))
        return (term,)


def build_query(
    raw: str,
    vocabulary: Vocabulary,
    synonym_groups: Sequence[str] = (),
    *,
    correct: bool = True,
) -> Query:
    """Concepts, idf and phrases for a question; `correct=False` searches the words as typed."""
    text = _CONTROL.sub("", raw or "")[:MAX_QUERY_CHARS]
    builder = _Builder(vocabulary, synonym_groups, correct=correct)
    query = builder.query
    concepts: list[Concept] = []
    for phrase in _PHRASE.findall(text):
        stems = tuple(stem(t) for t in query_tokens(phrase) if is_meaningful(t))
        if not stems:
            continue
        builder.lookup(list(stems))
        variant = builder.variant(stems, 1.0)
        if variant is None:
            query.has_impossible_phrase = True
        else:
            concepts.append(Concept((variant,)))
            # As the full-text index reads it: "three-dot menu" is three words in a row.
            query.phrases.append(" ".join(_PLAIN_WORD.findall(fold(phrase))))
    free = _PHRASE.sub(" ", text)
    ends_mid_word = bool(free) and not free[-1].isspace() and '"' not in text[-1:]
    words = query_tokens(free)
    stems = [stem(w) for w in words]
    builder.lookup([s for s, w in zip(stems, words, strict=True) if is_meaningful(w)])
    longest = max((len(e) for g in builder.groups for e in g), default=1)
    position = 0
    while position < len(words) and len(concepts) < MAX_CONCEPTS:
        matched = _group_entry_at(builder, stems, position, longest)
        if matched:
            concept = builder.concept(matched)
            position += len(matched)
            if concept:
                concepts.append(concept)
            continue
        word, own = words[position], (stems[position],)
        position += 1
        if not is_meaningful(word):
            continue
        concept = builder.concept(own)
        if own[0] not in builder.known and concept is None:
            # A word the library never uses and no synonym covers: corrected or completed.
            replaced = builder.replacement(word, position == len(words) and ends_mid_word)
            if replaced is None:
                query.unknown.append(word)
                continue
            concept = builder.concept(replaced)
        if concept and concept not in concepts:
            concepts.append(concept)
    query.concepts = concepts
    total = max(vocabulary.document_count(), 1)
    query.documents = total
    query.idf = {info.id: idf(info.document_count, total) for info in builder.known.values()}
    query.max_weights = {info.id: info.max_weight for info in builder.known.values()}
    used = {t for c in concepts for t in c.term_ids}
    query.stems = frozenset(s for s, info in builder.known.items() if info.id in used)
    return query


def _group_entry_at(builder: _Builder, stems: list[str], position: int, longest: int):
    """The longest multi-word synonym entry starting at `position`, if any."""
    for size in range(min(longest, len(stems) - position), 1, -1):
        candidate = tuple(stems[position : position + size])
        if builder.groups_with(candidate):
            return candidate
    return None
