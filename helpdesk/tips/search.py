"""Full-text search over published tips: one interface, an SQLite FTS5 and a PostgreSQL backend.

Pure: SQLAlchemy and MarkupSafe only, no Flask. The index itself is written by the migration
(c1a5e0f7d2b4) and kept in the same transaction as the tip.

What user text becomes: words (letters and digits) and "quoted phrases", at most MAX_TERMS of them,
every one quoted for the engine so nothing a person types is engine syntax (NEAR, AND, -, *, ...);
the last word also matches as a prefix. Finding matches is cheap; ranking every match is not
(linear in matches), so each backend ranks a bounded candidate set: the newest MAX_CANDIDATES
matches. A query matching more than that is told so ("add a word to narrow it").

Highlighting: the engines mark matches with control characters that stored text never holds
(services strip them); the text is HTML-escaped first, and only then are the marks turned into
<mark> tags, so neither the tip's text nor the highlighter's output is ever trusted as HTML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from markupsafe import Markup, escape
from sqlalchemy import text
from sqlalchemy.engine import Connection

MAX_QUERY_CHARS = 200
MAX_TERMS = 8
MAX_CANDIDATES = 120
START_MARK = "\x02"
STOP_MARK = "\x03"
SNIPPET_WORDS = 24

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_PHRASE_OR_WORD = re.compile(r'"([^"]*)"|(\w+)')
_WORD = re.compile(r"[^\W_]+")
_MARKED = re.compile(f"{START_MARK}([^{START_MARK}{STOP_MARK}]*){STOP_MARK}")
# Left out of "any word" queries (suggestions): they match nearly every tip and mean little.
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "can",
        "do",
        "does",
        "for",
        "from",
        "have",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "me",
        "my",
        "no",
        "not",
        "of",
        "on",
        "or",
        "our",
        "so",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "was",
        "we",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
    ]
)


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


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]
    is_prefix: bool = False

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1


@dataclass(frozen=True)
class ParsedQuery:
    terms: tuple[Term, ...]
    match_all: bool = True

    @property
    def is_empty(self) -> bool:
        return not self.terms


def parse_query(raw: str, *, match_all: bool = True) -> ParsedQuery:
    """User text to quoted terms; never raises, whatever the text holds."""
    cleaned = strip_control(raw)[:MAX_QUERY_CHARS].lower()
    terms: list[Term] = []
    for match in _PHRASE_OR_WORD.finditer(cleaned):
        words = tuple(_WORD.findall(match.group(1) if match.group(1) is not None else match[0]))
        if not match_all:
            words = tuple(w for w in words if w not in STOP_WORDS and len(w) > 1)
        if not words:
            continue
        if match.group(1) is None and not match_all:
            terms.extend(Term((w,)) for w in words)
        else:
            terms.append(Term(words))
    terms = list(dict.fromkeys(terms))[:MAX_TERMS]
    ends_in_word = bool(cleaned) and not cleaned[-1].isspace() and cleaned[-1] != '"'
    if terms and ends_in_word and not terms[-1].is_phrase:
        terms[-1] = Term(terms[-1].words, is_prefix=True)
    return ParsedQuery(tuple(terms), match_all)


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


@dataclass(frozen=True)
class Highlight:
    title: Markup
    snippet: Markup


@dataclass
class SearchResult:
    tip_ids: list[int]
    total: int
    is_capped: bool
    highlights: dict[int, Highlight] = field(default_factory=dict)


@dataclass(frozen=True)
class _Candidate:
    tip_id: int
    score: float
    published_at: object
    helpful_count: int


def _order(candidates: list[_Candidate], sort: Sort) -> list[_Candidate]:
    if sort is Sort.NEWEST:
        return sorted(candidates, key=lambda c: (c.published_at, c.tip_id), reverse=True)
    if sort is Sort.HELPFUL:
        return sorted(
            candidates, key=lambda c: (c.helpful_count, c.published_at, c.tip_id), reverse=True
        )
    return sorted(candidates, key=lambda c: (-c.score, -c.tip_id))


class SearchBackend(Protocol):
    def search(
        self,
        connection: Connection,
        query: ParsedQuery,
        filters: Filters,
        sort: Sort,
        offset: int,
        limit: int,
    ) -> SearchResult: ...


class _BoundedSearch:
    """Shared steps: candidates (bounded, filtered) → order → page → highlights for the page."""

    candidate_limit = MAX_CANDIDATES

    def search(
        self,
        connection: Connection,
        query: ParsedQuery,
        filters: Filters,
        sort: Sort,
        offset: int,
        limit: int,
    ) -> SearchResult:
        if query.is_empty:
            return SearchResult([], 0, False)
        query = self._settle_prefix(connection, query)
        params = self._query_params(query)
        rows = connection.execute(
            text(self._candidates_sql(query, filters, sort)),
            {**params, **_filter_params(filters), "cap": self.candidate_limit + 1},
        ).all()
        candidates = [_Candidate(r[0], float(r[1] or 0), r[2], r[3]) for r in rows]
        is_capped = len(candidates) > self.candidate_limit
        candidates = _order(candidates[: self.candidate_limit], sort)
        page_ids = [c.tip_id for c in candidates[offset : offset + limit]]
        highlights = self._highlights(connection, query, params, page_ids) if page_ids else {}
        return SearchResult(page_ids, len(candidates), is_capped, highlights)

    def _settle_prefix(self, connection: Connection, query: ParsedQuery) -> ParsedQuery:
        return query

    def _query_params(self, query: ParsedQuery) -> dict:
        raise NotImplementedError

    def _candidates_sql(self, query: ParsedQuery, filters: Filters, sort: Sort) -> str:
        raise NotImplementedError

    def _highlights(
        self, connection: Connection, query: ParsedQuery, params: dict, ids: list[int]
    ) -> dict[int, Highlight]:
        raise NotImplementedError


def _filter_sql(filters: Filters) -> str:
    clauses = []
    if filters.device_bits:
        clauses.append("AND (tip.devices & :device_bits) != 0")
    if filters.skill_id is not None:
        clauses.append(
            "AND EXISTS (SELECT 1 FROM tip_skill WHERE tip_skill.tip_id = tip.id"
            " AND tip_skill.skill_id = :skill_id)"
        )
    return " ".join(clauses)


def _filter_params(filters: Filters) -> dict:
    return {"device_bits": filters.device_bits, "skill_id": filters.skill_id}


class SqliteSearch(_BoundedSearch):
    """FTS5 over published tips (title, tags, body), bm25 weighted 10 / 5 / 1."""

    @staticmethod
    def match_expression(query: ParsedQuery) -> str:
        parts = []
        for term in query.terms:
            # Words are letters and digits only, so a double-quoted string holds them safely.
            quoted = '"' + " ".join(term.words) + '"'
            parts.append(quoted + "*" if term.is_prefix else quoted)
        return (" " if query.match_all else " OR ").join(parts)

    def _query_params(self, query: ParsedQuery) -> dict:
        return {"match": self.match_expression(query)}

    def _settle_prefix(self, connection: Connection, query: ParsedQuery) -> ParsedQuery:
        # An FTS5 prefix query merges the postings of every term it covers before the first
        # row (tens of ms for a common stem). A last word that is already a whole indexed term
        # ("open") is searched as that term; only a partial word ("chromeb") is a prefix.
        last = query.terms[-1]
        if not last.is_prefix:
            return query
        exact = connection.execute(
            text("SELECT 1 FROM tip_fts WHERE tip_fts MATCH :match LIMIT 1"),
            {"match": '"' + last.words[0] + '"'},
        ).first()
        if exact is None:
            return query
        return ParsedQuery(query.terms[:-1] + (Term(last.words),), query.match_all)

    def _candidates_sql(self, query: ParsedQuery, filters: Filters, sort: Sort) -> str:
        # Newest matches first, stopping at the cap: bm25 runs only for rows the scan returns.
        # bm25 is lower for better matches; negated so that higher is better, as ts_rank.
        return f"""
            SELECT tip.id, -bm25(tip_fts, 10.0, 5.0, 1.0), tip.published_at, tip.helpful_count
            FROM tip_fts JOIN tip ON tip.id = tip_fts.rowid
            WHERE tip_fts MATCH :match AND tip.status = 'published' {_filter_sql(filters)}
            ORDER BY tip_fts.rowid DESC
            LIMIT :cap
        """  # noqa: S608  (only our fixed clauses; user text is bound)

    def _highlights(
        self, connection: Connection, query: ParsedQuery, params: dict, ids: list[int]
    ) -> dict[int, Highlight]:
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
            {**params, "low": min(ids), "high": max(ids)},
        ).all()
        return {r[0]: Highlight(mark_up(r[1]), mark_up(r[2])) for r in rows}


class PostgresSearch(_BoundedSearch):
    """A generated, weighted tsvector (title A, tags B, body C) with a partial GIN index."""

    # Folded to a constant when planned, so the GIN index applies.
    TSQUERY = (
        "(websearch_to_tsquery('english', :web) {op} to_tsquery('english', coalesce(:prefix, '')))"
    )

    @staticmethod
    def web_expression(query: ParsedQuery) -> str:
        # websearch_to_tsquery never raises; each term double-quoted is taken literally.
        parts = ['"' + " ".join(t.words) + '"' for t in query.terms if not t.is_prefix]
        return (" " if query.match_all else " or ").join(parts)

    @staticmethod
    def prefix_expression(query: ParsedQuery) -> str | None:
        last = query.terms[-1]
        # Letters and digits only inside the quotes: no tsquery syntax can get in.
        return f"'{last.words[0]}':*" if last.is_prefix else None

    def _tsquery(self, query: ParsedQuery) -> str:
        return self.TSQUERY.format(op="&&" if query.match_all else "||")

    def _query_params(self, query: ParsedQuery) -> dict:
        return {"web": self.web_expression(query), "prefix": self.prefix_expression(query)}

    def _candidates_sql(self, query: ParsedQuery, filters: Filters, sort: Sort) -> str:
        tsquery = self._tsquery(query)
        # The inner query finds and caps; ts_rank then runs on at most the cap. For relevance
        # the cap takes the first matches found, in whatever order the plan yields them: with
        # "ORDER BY id DESC" the planner, misjudging how many tips hold all of several words,
        # walks the primary key backwards through tens of thousands of rows (200 ms measured).
        # Newest and most helpful keep the newest matches, so their ordering stays right.
        order = "" if sort is Sort.RELEVANCE else "ORDER BY tip.id DESC"
        return f"""
            SELECT c.id, ts_rank(c.search_vector, {tsquery}), c.published_at, c.helpful_count
            FROM (
                SELECT tip.id, tip.search_vector, tip.published_at, tip.helpful_count
                FROM tip
                WHERE tip.status = 'published' AND tip.search_vector @@ {tsquery}
                {_filter_sql(filters)}
                {order}
                LIMIT :cap
            ) AS c
        """  # noqa: S608  (only our fixed clauses; user text is bound)

    def _highlights(
        self, connection: Connection, query: ParsedQuery, params: dict, ids: list[int]
    ) -> dict[int, Highlight]:
        tsquery = self._tsquery(query)
        rows = connection.execute(
            text(
                f"""
                SELECT tip.id,
                       ts_headline('english', tip.title, q.query, :title_options),
                       ts_headline('english', tip.body_text, q.query, :body_options)
                FROM tip, (SELECT {tsquery} AS query) AS q
                WHERE tip.id = ANY(:ids)
                """  # noqa: S608  (only our fixed clauses; user text is bound)
            ),
            {
                **params,
                "ids": ids,
                "title_options": f'StartSel="{START_MARK}", StopSel="{STOP_MARK}", '
                "HighlightAll=true",
                "body_options": f'StartSel="{START_MARK}", StopSel="{STOP_MARK}", '
                f"MaxWords={SNIPPET_WORDS}, MinWords=10, MaxFragments=1, "
                'FragmentDelimiter=" … "',
            },
        ).all()
        return {r[0]: Highlight(mark_up(r[1]), mark_up(r[2])) for r in rows}


def backend_for(dialect_name: str) -> SearchBackend:
    """The search backend for the database in use (`db.engine.dialect.name`)."""
    if dialect_name == "postgresql":
        return PostgresSearch()
    if dialect_name == "sqlite":
        return SqliteSearch()
    raise ValueError(f"no tip search for {dialect_name}")
