"""Text to search terms, the same way for a tip being indexed and for a question being asked.

Pure: no Flask, no database. A token is a run of letters and digits, lowercased with accents
removed; "Wi-Fi", "Auto-Lock" and "e-mail" also yield the joined word ("wifi", "autolock"), so a
search for "wifi" finds "Wi-Fi" and one for "lock" finds "Auto-Lock". Terms are Snowball (Porter2)
English stems of tokens that are not stop words.

A tip's weight for a term is BM25's term-frequency part computed in each field (title, tags,
body: each saturated and length-normalised against that field's average) and then weighted
10 / 5 / 1, as FTS5's bm25() with column weights does and as the library always ranked: a word
in the title counts for far more than the same word once more in the body. The term's idf is
applied when searching, from the live document frequency, so publishing a tip never rewrites
other tips' weights.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

K1 = 1.2
B = 0.75
FIELDS = ("title", "tags", "body")
FIELD_WEIGHTS = (10.0, 5.0, 1.0)
MAX_TERM_CHARS = 40

TOKEN = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_JOINERS = re.compile(r"[-'’]")
_STEMMER = snowballstemmer.stemmer("english")

# Words that carry no meaning in a question ("how do I ..."); never indexed, never searched.
STOP_WORDS = frozenset(
    [
        "a",
        "about",
        "after",
        "again",
        "all",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "but",
        "by",
        "can",
        "cannot",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "don",
        "for",
        "from",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "him",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "just",
        "me",
        "more",
        "most",
        "my",
        "no",
        "nor",
        "not",
        "of",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "get",
        "got",
        "need",
        "want",
        "wants",
        "trying",
        "try",
        "tried",
        "please",
        "help",
        "t",
        "s",
        "d",
        "ll",
        "m",
        "re",
        "ve",
    ]
)


def fold(text: str) -> str:
    """Lowercase without accents ("Café" → "cafe"), as both index and queries see words."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def tokens(text: str) -> list[str]:
    """Words in reading order; a hyphenated word gives its joined form, then its parts."""
    found: list[str] = []
    for match in TOKEN.finditer(fold(text)):
        word = match[0]
        parts = [p for p in _JOINERS.split(word) if p]
        if len(parts) > 1:
            joined = "".join(parts)
            # "can't", "don't": the apostrophe form is a stop word, not a compound.
            if "'" not in word and "’" not in word:
                found.append(joined[:MAX_TERM_CHARS])
            found.extend(p[:MAX_TERM_CHARS] for p in parts)
        else:
            found.append(word[:MAX_TERM_CHARS])
    return found


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return _STEMMER.stemWord(word)


def is_meaningful(word: str) -> bool:
    return word not in STOP_WORDS and (len(word) > 1 or word.isdigit())


def words_and_terms(text: str) -> list[tuple[str, str]]:
    """(word, term) for each meaningful token: the word as written (folded), and its stem."""
    return [(w, stem(w)) for w in tokens(text) if is_meaningful(w)]


@dataclass(frozen=True)
class IndexedDoc:
    """What the index holds for one tip: each field's length in terms, each term's frequency
    per field, and the words seen (for spelling correction)."""

    lengths: tuple[int, int, int]
    frequencies: dict[str, tuple[int, int, int]]
    words: frozenset[str]


def analyse(title: str, tags: str, body: str) -> IndexedDoc:
    counts: list[Counter[str]] = []
    words: set[str] = set()
    for text in (title, tags, body):
        pairs = words_and_terms(text)
        counts.append(Counter(term for _, term in pairs))
        words.update(word for word, _ in pairs)
    terms = set().union(*counts)
    frequencies = {t: (counts[0][t], counts[1][t], counts[2][t]) for t in terms}
    lengths = (sum(counts[0].values()), sum(counts[1].values()), sum(counts[2].values()))
    return IndexedDoc(lengths, frequencies, frozenset(words))


def term_weight(
    frequencies: tuple[int, ...], lengths: tuple[int, ...], averages: tuple[float, ...]
) -> float:
    """BM25's term-frequency part in each field (idf excluded), weighted by field."""
    weight = 0.0
    for tf, length, average, field_weight in zip(
        frequencies, lengths, averages, FIELD_WEIGHTS, strict=True
    ):
        if tf:
            norm = K1 * (1 - B + B * length / max(average, 1.0))
            weight += field_weight * tf * (K1 + 1) / (tf + norm)
    return weight


def idf(document_frequency: int, total_documents: int) -> float:
    """BM25's inverse document frequency (the Lucene form: never negative)."""
    return math.log(1 + (total_documents - document_frequency + 0.5) / (document_frequency + 0.5))
