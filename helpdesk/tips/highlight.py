"""Marks the words a search matched in a tip's title and in a short snippet of its text.

Pure: the same stems as the index (helpdesk/tips/terms.py), so what is marked is exactly what
matched, corrections and synonyms included, on both databases. Text is HTML-escaped first; the
only tags added are our own <mark> pairs.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from markupsafe import Markup, escape

from helpdesk.tips.terms import TOKEN, stem, tokens

SNIPPET_WORDS = 24


@dataclass(frozen=True)
class Highlight:
    title: Markup
    snippet: Markup


def highlight(title: str, body_text: str, stems: frozenset[str]) -> Highlight:
    return Highlight(mark(title, stems), snippet(body_text, stems))


@lru_cache(maxsize=100_000)
def _stems_of(word: str) -> frozenset[str]:
    """The stems a word written in a tip is indexed under (a hyphenated word: joined, parts)."""
    return frozenset(stem(token) for token in tokens(word))


def _matches(word: str, stems: frozenset[str]) -> bool:
    return not stems.isdisjoint(_stems_of(word))


def mark(text: str, stems: frozenset[str]) -> Markup:
    """The whole text, escaped, with every matching word in <mark>."""
    out, last = [], 0
    for match in TOKEN.finditer(text):
        if _matches(match[0], stems):
            out.append(str(escape(text[last : match.start()])))
            out.append(f"<mark>{escape(match[0])}</mark>")
            last = match.end()
    out.append(str(escape(text[last:])))
    return Markup("".join(out))  # noqa: S704  (escaped above; only our <mark> tags added)


def snippet(text: str, stems: frozenset[str], words: int = SNIPPET_WORDS) -> Markup:
    """About `words` words around the densest run of matches, marked; the start if none."""
    spans = list(TOKEN.finditer(text))
    if not spans:
        return Markup("")
    start = _densest_window(spans, stems, words)
    end = min(len(spans), start + words)
    piece = text[spans[start].start() : spans[end - 1].end()]
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(spans) else ""
    return prefix + mark(piece, stems) + suffix  # Markup escapes the plain strings it joins


def _densest_window(spans: list, stems: frozenset[str], words: int) -> int:
    """The first word of the snippet: a few words before the match that starts the window of
    `words` words holding the most matches (the earliest such), in one pass."""
    hits = [i for i, m in enumerate(spans) if _matches(m[0], stems)]
    if not hits:
        return 0
    best, most, last = hits[0], 0, 0
    for first, i in enumerate(hits):
        while last < len(hits) and hits[last] < i + words:
            last += 1
        if last - first > most:
            best, most = i, last - first
    return max(0, min(best - 3, len(spans) - words))
