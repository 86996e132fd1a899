"""Tip search over the library's own index: the questions people type, ranked exactly.

Pure: SQLAlchemy and MarkupSafe only, no Flask. helpdesk/tips/query.py turns the words into
concepts (stop words out, stems, corrections, synonyms); helpdesk/tips/ranking.py finds the exact
best tips by BM25 over the index in helpdesk/tips/index_models.py, reading postings best-first.
This module is the database side: the vocabulary, the postings (filtered by skill, device and
quoted phrases), and highlighting.

Highlighting: the full-text index beside `tip` (FTS5 on SQLite, a tsvector on PostgreSQL, kept by
the migration c1a5e0f7d2b4) marks matches with control characters that stored text never holds
(services strip them); the text is HTML-escaped first, and only then are the marks turned into
<mark> tags, so neither the tip's text nor the highlighter's output is ever trusted as HTML.
Phrases are checked by the same full-text index.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from markupsafe import Markup, escape
from sqlalchemy import bindparam, text
from sqlalchemy.engine import Connection

from helpdesk.tips import ranking
from helpdesk.tips.query import Query, TermInfo, WordInfo, build_query, query_tokens
from helpdesk.tips.terms import is_meaningful

MAX_QUERY_CHARS = 200
# "Best match" ranks exactly this many; a longer list is ordered by newest or most helpful.
MAX_RANKED = 200
START_MARK = "\x02"
STOP_MARK = "\x03"
SNIPPET_WORDS = 24
SIMILAR_WORDS = 40

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MARKED = re.compile(f"{START_MARK}([^{START_MARK}{STOP_MARK}]*){STOP_MARK}")


def strip_control(value: str) -> str:
    """Text without control characters (NUL and our highlight marks among them); keeps \\t \\n \\r."""
    return _CONTROL.sub("", value or "")


class Sort(StrEnum):
    RELEVANCE = "relevance"
    NEWEST = "newest"
    HELPFUL = "helpful"

    @property
    def label(self) -> str:
        return {"relevance": "Best match", "newest": "Newest", "helpful": "Most helpful"}[self]


def mark_up(fragment: str | None) -> Markup:
    """Escape the text, then turn the engine's marks into <mark>; stray marks are dropped."""
    escaped = str(escape(fragment or ""))
    marked = _MARKED.sub(r"<mark>\1</mark>", escaped)
    # Escaped above; the only tags added are our own balanced <mark> pairs.
    return Markup(marked.replace(START_MARK, "").replace(STOP_MARK, ""))  # noqa: S704


@dataclass(frozen=True)
class Filters:
    skill_id: int | None = None
    device_bits: int | None = None  # a tip matches when it shares any of these bits
    exclude_tip_id: int | None = None


@dataclass(frozen=True)
class Highlight:
    title: Markup
    snippet: Markup


@dataclass
class SearchResult:
    tip_ids: list[int]
    total: int
    is_capped: bool = False
    highlights: dict[int, Highlight] = field(default_factory=dict)
    query: Query = field(default_factory=Query)
    ranked: list[tuple[int, float]] = field(default_factory=list)


# The database side ---------------------------------------------------------------------------


def _filter_sql(filters: Filters, phrases: Sequence[str], dialect: str) -> tuple[str, dict]:
    clauses, params = [], {}
    if filters.device_bits:
        clauses.append("AND (tip.devices & :device_bits) != 0")
        params["device_bits"] = filters.device_bits
    if filters.skill_id is not None:
        clauses.append(
            "AND EXISTS (SELECT 1 FROM tip_skill WHERE tip_skill.tip_id = tip.id"
            " AND tip_skill.skill_id = :skill_id)"
        )
        params["skill_id"] = filters.skill_id
    if filters.exclude_tip_id is not None:
        clauses.append("AND tip.id != :exclude_tip_id")
        params["exclude_tip_id"] = filters.exclude_tip_id
    for n, phrase in enumerate(phrases):
        # Words are letters and digits only, so a double-quoted string holds them safely.
        if dialect == "sqlite":
            clauses.append(
                f"AND tip.id IN (SELECT rowid FROM tip_fts WHERE tip_fts MATCH :p{n})"  # noqa: S608
            )
            params[f"p{n}"] = '"' + phrase + '"'
        else:
            clauses.append(f"AND tip.search_vector @@ phraseto_tsquery('english', :p{n})")
            params[f"p{n}"] = phrase
    return " ".join(clauses), params


class DatabaseIndex:
    """The vocabulary and postings of one connection's database (both dialects)."""

    def __init__(self, connection: Connection, filters: Filters = Filters(), phrases=()):
        self.connection = connection
        self.dialect = connection.dialect.name
        self.filter_sql, self.filter_params = _filter_sql(filters, phrases, self.dialect)

    # Vocabulary

    def document_count(self) -> int:
        return (
            self.connection.execute(
                text("SELECT document_count FROM search_stats WHERE id = 1")
            ).scalar()
            or 0
        )

    def terms(self, stems: Sequence[str]) -> dict[str, TermInfo]:
        rows = self.connection.execute(
            text(
                "SELECT term, id, document_count FROM search_term"
                " WHERE term IN :stems AND document_count > 0"
            ).bindparams(bindparam("stems", expanding=True)),
            {"stems": list(stems)},
        ).all()
        return {r[0]: TermInfo(r[1], r[2]) for r in rows}

    def similar_words(self, word: str) -> list[WordInfo]:
        if self.dialect == "postgresql":
            sql = """
                SELECT word, term, document_count FROM search_word
                WHERE word % :word AND document_count > 0
                ORDER BY similarity(word, :word) DESC, document_count DESC
                LIMIT :limit
            """
            params = {"word": word}
        else:
            grams = sorted({word[i : i + 3] for i in range(len(word) - 2)})
            if not grams:
                return []
            sql = """
                SELECT w.word, w.term, w.document_count
                FROM search_word_fts JOIN search_word AS w ON w.id = search_word_fts.rowid
                WHERE search_word_fts MATCH :grams AND w.document_count > 0
                ORDER BY search_word_fts.rank
                LIMIT :limit
            """
            params = {"grams": " OR ".join(f'"{g}"' for g in grams)}
        rows = self.connection.execute(text(sql), {**params, "limit": SIMILAR_WORDS}).all()
        return [WordInfo(*r) for r in rows]

    def completions(self, prefix: str, limit: int) -> list[WordInfo]:
        if len(prefix) < 3:
            return []
        rows = self.connection.execute(
            text(
                "SELECT word, term, document_count FROM search_word"
                " WHERE word >= :low AND word < :high AND word LIKE :pattern"
                " AND document_count > 0 ORDER BY document_count DESC, word LIMIT :limit"
            ),
            {
                "low": prefix,
                "high": prefix[:-1] + chr(ord(prefix[-1]) + 1),
                "pattern": prefix + "%",
                "limit": limit,
            },
        ).all()
        return [WordInfo(*r) for r in rows]

    # Postings

    def best(self, term_id: int, offset: int, limit: int) -> list[tuple[int, float]]:
        join = "JOIN tip ON tip.id = p.tip_id" if self.filter_sql else ""
        rows = self.connection.execute(
            text(
                f"""
                SELECT p.tip_id, p.weight FROM search_posting AS p {join}
                WHERE p.term_id = :term_id {self.filter_sql}
                ORDER BY p.weight DESC, p.tip_id DESC
                LIMIT :limit OFFSET :offset
                """  # noqa: S608  (only our fixed clauses; user text is bound)
            ),
            {**self.filter_params, "term_id": term_id, "limit": limit, "offset": offset},
        ).all()
        return [(r[0], r[1]) for r in rows]

    def weights(self, tip_ids: list[int], term_ids: list[int]) -> dict[int, dict[int, float]]:
        held: dict[int, dict[int, float]] = {}
        statement = text(
            "SELECT tip_id, term_id, weight FROM search_posting"
            " WHERE tip_id IN :tips AND term_id IN :terms"
        ).bindparams(bindparam("tips", expanding=True), bindparam("terms", expanding=True))
        for start in range(0, len(tip_ids), 5000):
            rows = self.connection.execute(
                statement, {"tips": tip_ids[start : start + 5000], "terms": term_ids}
            )
            for tip_id, term_id, weight in rows:
                held.setdefault(tip_id, {})[term_id] = weight
        return held

    def all_weights(self, term_ids: list[int]) -> dict[int, dict[int, float]]:
        """Every posting of these terms (filtered): for the exact reference ranking."""
        join = "JOIN tip ON tip.id = p.tip_id" if self.filter_sql else ""
        rows = self.connection.execute(
            text(
                f"SELECT p.tip_id, p.term_id, p.weight FROM search_posting AS p {join}"  # noqa: S608
                f" WHERE p.term_id IN :terms {self.filter_sql}"
            ).bindparams(bindparam("terms", expanding=True)),
            {**self.filter_params, "terms": term_ids},
        )
        held: dict[int, dict[int, float]] = {}
        for tip_id, term_id, weight in rows:
            held.setdefault(tip_id, {})[term_id] = weight
        return held


# Highlighting --------------------------------------------------------------------------------


def highlight_words(query: Query, typed: str) -> list[str]:
    """Every word or phrase a matching tip may hold: as typed, corrected, completed, synonyms."""
    words = list(query.highlight)
    words += [w for w in query_tokens(typed) if is_meaningful(w) and w not in words]
    return [w for w in dict.fromkeys(words) if w]


def highlights(connection: Connection, words: list[str], ids: list[int]) -> dict[int, Highlight]:
    if not ids or not words:
        return {}
    if connection.dialect.name == "sqlite":
        return _sqlite_highlights(connection, words, ids)
    return _postgres_highlights(connection, words, ids)


def _fts_phrase(word: str) -> str:
    return '"' + " ".join(re.findall(r"[^\W_]+", word)) + '"'


def _sqlite_highlights(connection, words, ids):
    match = " OR ".join(_fts_phrase(w) for w in words)
    rows = connection.execute(
        text(
            f"""
            SELECT rowid,
                   highlight(tip_fts, 0, char(2), char(3)),
                   snippet(tip_fts, 2, char(2), char(3), '…', {SNIPPET_WORDS})
            FROM tip_fts
            WHERE tip_fts MATCH :match AND rowid BETWEEN :low AND :high
              AND +rowid IN ({", ".join(map(str, ids))})
            """  # noqa: S608  (ids are ints we produced)
        ),
        # FTS5 walks the page's stretch of the index once; the unary + keeps SQLite from
        # running the whole match again for each id in the list.
        {"match": match, "low": min(ids), "high": max(ids)},
    ).all()
    return {r[0]: Highlight(mark_up(r[1]), mark_up(r[2])) for r in rows}


def _postgres_highlights(connection, words, ids):
    web = " or ".join(_fts_phrase(w) for w in words)
    rows = connection.execute(
        text(
            """
            SELECT tip.id,
                   ts_headline('english', tip.title, q.query, :title_options),
                   ts_headline('english', tip.body_text, q.query, :body_options)
            FROM tip, (SELECT websearch_to_tsquery('english', :web) AS query) AS q
            WHERE tip.id = ANY(:ids)
            """
        ),
        {
            "web": web,
            "ids": ids,
            "title_options": f'StartSel="{START_MARK}", StopSel="{STOP_MARK}", HighlightAll=true',
            "body_options": f'StartSel="{START_MARK}", StopSel="{STOP_MARK}", '
            f"MaxWords={SNIPPET_WORDS}, MinWords=10, MaxFragments=1, "
            'FragmentDelimiter=" … "',
        },
    ).all()
    return {r[0]: Highlight(mark_up(r[1]), mark_up(r[2])) for r in rows}


# The search ----------------------------------------------------------------------------------


def search(
    connection: Connection,
    typed: str,
    *,
    synonym_groups: Sequence[str] = (),
    filters: Filters = Filters(),
    sort: Sort = Sort.RELEVANCE,
    offset: int = 0,
    limit: int = 20,
    correct: bool = True,
    with_highlights: bool = True,
) -> SearchResult:
    """The best published tips for what was typed, a page of them, highlighted."""
    vocabulary = DatabaseIndex(connection)
    query = build_query(typed, vocabulary, synonym_groups, correct=correct)
    if query.is_empty:
        return SearchResult([], 0, query=query)
    index = DatabaseIndex(connection, filters, query.phrases)
    wanted = MAX_RANKED if sort is not Sort.RELEVANCE else min(offset + limit, MAX_RANKED)
    found = ranking.top_k(query.concepts, query.idf, index, wanted)
    ranked = found.ranked
    if sort is not Sort.RELEVANCE:
        ranked = _reorder(connection, ranked, sort)
    total = found.matches if found.is_complete else _estimate(index, query)
    page_ids = [tip_id for tip_id, _ in ranked[offset : offset + limit]]
    marks = (
        highlights(connection, highlight_words(query, typed), page_ids) if with_highlights else {}
    )
    return SearchResult(page_ids, max(total, len(ranked)), total > MAX_RANKED, marks, query, ranked)


def _estimate(index: DatabaseIndex, query: Query) -> int:
    """At least this many tips match (the most used of the query's terms)."""
    counts = index.connection.execute(
        text("SELECT max(document_count) FROM search_term WHERE id IN :ids").bindparams(
            bindparam("ids", expanding=True)
        ),
        {"ids": sorted(query.idf)},
    ).scalar()
    return counts or 0


def _reorder(connection: Connection, ranked: list[tuple[int, float]], sort: Sort):
    if not ranked:
        return ranked
    column = "published_at" if sort is Sort.NEWEST else "helpful_count"
    keys = dict(
        connection.execute(
            text(f"SELECT id, {column} FROM tip WHERE id IN :ids").bindparams(  # noqa: S608
                bindparam("ids", expanding=True)
            ),
            {"ids": [tip_id for tip_id, _ in ranked]},
        ).all()
    )
    return sorted(
        ranked, key=lambda r: (keys.get(r[0]) is not None, keys.get(r[0]), r[0]), reverse=True
    )
