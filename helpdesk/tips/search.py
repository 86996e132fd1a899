"""Tip search over the library's own index: the questions people type, ranked by BM25.

Pure: SQLAlchemy only, no Flask. helpdesk/tips/query.py turns the words into concepts (stop words
out, stems, corrections, synonyms); helpdesk/tips/ranking.py finds the best tips over the index
in helpdesk/tips/index_models.py, reading postings best-first. This module is the database side:
the vocabulary, and the postings, filtered by skill, device and quoted phrases (checked by the
full-text index beside `tip`: FTS5 on SQLite, a tsvector on PostgreSQL, migration c1a5e0f7d2b4).
What matched is marked by helpdesk/tips/highlight.py.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy import bindparam, text
from sqlalchemy.engine import Connection

from helpdesk.tips import ranking
from helpdesk.tips.query import Query, TermInfo, WordInfo, build_query

MAX_QUERY_CHARS = 200
# "Best match" ranks exactly this many; a longer list is ordered by newest or most helpful.
MAX_RANKED = 200
# Below this many tips holding the quoted phrases, those tips are scored one by one.
PHRASE_FEW = 2_000
SIMILAR_WORDS = 40

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip_control(value: str) -> str:
    """Text without control characters (NUL among them); keeps \\t \\n \\r."""
    return _CONTROL.sub("", value or "")


class Sort(StrEnum):
    RELEVANCE = "relevance"
    NEWEST = "newest"
    HELPFUL = "helpful"

    @property
    def label(self) -> str:
        return {"relevance": "Best match", "newest": "Newest", "helpful": "Most helpful"}[self]


@dataclass(frozen=True)
class Filters:
    skill_id: int | None = None
    device_bits: int | None = None  # a tip matches when it shares any of these bits
    exclude_tip_id: int | None = None


@dataclass
class SearchResult:
    tip_ids: list[int]
    total: int
    is_capped: bool = False
    query: Query = field(default_factory=Query)
    ranked: list[tuple[int, float]] = field(default_factory=list)
    is_exact: bool = True  # the bounds proved this is the library's best


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
        self.phrases = list(phrases)
        # Every posting read is filtered by skill and device; quoted phrases (which match tens
        # of thousands of tips for a common pair of words) are checked only for the tips scored.
        self.filter_sql, self.filter_params = _filter_sql(filters, (), self.dialect)
        self.full_filter_sql, self.full_filter_params = _filter_sql(
            filters, self.phrases, self.dialect
        )

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
                "SELECT term, id, document_count, max_weight FROM search_term"
                " WHERE term IN :stems AND document_count > 0"
            ).bindparams(bindparam("stems", expanding=True)),
            {"stems": list(stems)},
        ).all()
        return {r[0]: TermInfo(r[1], r[2], r[3]) for r in rows}

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

    def cuts(self, ranks: dict[int, int]) -> dict[int, float]:
        # One round trip for every term: each a short walk down its index.
        params, columns = {}, []
        for n, (term_id, rank) in enumerate(sorted(ranks.items())):
            params.update({f"t{n}": term_id, f"r{n}": rank})
            columns.append(
                f"(SELECT weight FROM search_posting WHERE term_id = :t{n}"  # noqa: S608
                f" ORDER BY weight DESC LIMIT 1 OFFSET :r{n})"
            )
        row = self.connection.execute(text(f"SELECT {', '.join(columns)}"), params).one()
        return {term_id: row[n] or 0.0 for n, term_id in enumerate(sorted(ranks))}

    def _sums_sql(
        self,
        terms: dict[int, ranking.TermPlan],
        cuts: dict[int, float] | None,
        *,
        with_phrases: bool = False,
    ):
        """The postings read (each term's at or above its cut, or all): per tip and concept the
        best, then per tip the sum over concepts (each at least its slack) and their count."""
        filter_sql, filter_params = (
            (self.full_filter_sql, self.full_filter_params)
            if with_phrases
            else (self.filter_sql, self.filter_params)
        )
        params = dict(filter_params)
        slack = ranking.concept_slack(terms, cuts) if cuts is not None else {}
        reads = []
        for n, (term_id, term_plan) in enumerate(sorted(terms.items())):
            params.update({f"t{n}": term_id, f"m{n}": term_plan.multiplier})
            floor = ""
            if cuts is not None:
                params[f"w{n}"] = cuts[term_id]
                floor = f" AND weight >= :w{n}"
            # The concept's number is ours (an int), written in; the rest is bound.
            reads.append(
                f"SELECT tip_id, {int(term_plan.concept)} AS concept,"  # noqa: S608
                f" weight * :m{n} AS value FROM search_posting WHERE term_id = :t{n}{floor}"
            )
        cases = []
        for number, value in slack.items():
            params[f"s{number}"] = value
            cases.append(f"WHEN {int(number)} THEN :s{number}")
        concept_slack = f"CASE c.concept {' '.join(cases)} ELSE 0 END" if cases else "0"
        join = "JOIN tip ON tip.id = p.tip_id" if filter_sql else ""
        sql = f"""
            SELECT c.tip_id,
                   SUM(CASE WHEN c.best > {concept_slack} THEN c.best ELSE {concept_slack} END)
                       AS total,
                   COUNT(*) AS matched,
                   SUM({concept_slack}) AS cut_share
            FROM (
                SELECT p.tip_id, p.concept, MAX(p.value) AS best
                FROM ({" UNION ALL ".join(reads)}) AS p {join}
                WHERE 1 = 1 {filter_sql}
                GROUP BY p.tip_id, p.concept
            ) AS c
            GROUP BY c.tip_id
        """  # noqa: S608  (only our fixed clauses; values are bound)
        return sql, params

    def partial_sums(self, terms, cuts, slack, reaching, limit):
        sql, params = self._sums_sql(terms, cuts)
        where = "" if reaching is None else "WHERE a.total + :slack - a.cut_share > :reaching"
        rows = self.connection.execute(
            text(
                f"SELECT * FROM ({sql}) AS a {where}"  # noqa: S608
                " ORDER BY a.total - a.cut_share DESC, a.tip_id DESC LIMIT :limit"
            ),
            {**params, "slack": slack, "reaching": reaching, "limit": limit},
        )
        return [ranking.Partial(*row) for row in rows]

    def best_scores(self, terms, asked, limit):
        sql, params = self._sums_sql(terms, None, with_phrases=True)
        coords = " ".join(f"WHEN {n} THEN {ranking.coord(n, asked)!r}" for n in range(1, asked + 1))
        rows = self.connection.execute(
            text(
                f"SELECT * FROM ({sql}) AS a"  # noqa: S608
                f" ORDER BY a.total * CASE a.matched {coords} ELSE 0 END DESC, a.tip_id DESC"
                " LIMIT :limit"
            ),
            {**params, "limit": limit},
        )
        return [ranking.Partial(*row) for row in rows]

    def count_matches(self, term_ids: list[int]) -> int:
        join = "JOIN tip ON tip.id = p.tip_id" if self.full_filter_sql else ""
        return (
            self.connection.execute(
                text(
                    f"SELECT COUNT(DISTINCT p.tip_id) FROM search_posting AS p {join}"  # noqa: S608
                    f" WHERE p.term_id IN :terms {self.full_filter_sql}"
                ).bindparams(bindparam("terms", expanding=True)),
                {**self.full_filter_params, "terms": term_ids},
            ).scalar()
            or 0
        )

    def weights(self, tip_ids: list[int], term_ids: list[int]) -> dict[int, dict[int, float]]:
        held: dict[int, dict[int, float]] = {}
        statement = text(
            "SELECT tip_id, term_id, weight FROM search_posting"
            " WHERE tip_id IN :tips AND term_id IN :terms"
        ).bindparams(bindparam("tips", expanding=True), bindparam("terms", expanding=True))
        tip_ids = self._with_phrases(tip_ids)
        for start in range(0, len(tip_ids), 5000):
            rows = self.connection.execute(
                statement, {"tips": tip_ids[start : start + 5000], "terms": term_ids}
            )
            for tip_id, term_id, weight in rows:
                held.setdefault(tip_id, {})[term_id] = weight
        return held

    def phrase_matches(self, limit: int) -> list[int]:
        """Up to `limit` published tips (filtered) that hold every quoted phrase."""
        if self.dialect == "sqlite":
            # FTS5 stops at the limit; the other phrases and filters are checked on those.
            ids = list(
                self.connection.execute(
                    text("SELECT rowid FROM tip_fts WHERE tip_fts MATCH :phrase LIMIT :limit"),
                    {"phrase": '"' + self.phrases[0] + '"', "limit": limit},
                ).scalars()
            )
            ids = self._with_phrases(ids)
            if ids and self.filter_sql:
                ids = list(
                    self.connection.execute(
                        text(
                            f"SELECT tip.id FROM tip WHERE tip.id IN :ids {self.filter_sql}"  # noqa: S608
                        ).bindparams(bindparam("ids", expanding=True)),
                        {**self.filter_params, "ids": ids},
                    ).scalars()
                )
            return ids
        return list(
            self.connection.execute(
                text(
                    f"SELECT tip.id FROM tip WHERE tip.status = 'published'"  # noqa: S608
                    f" {self.full_filter_sql} LIMIT :limit"
                ),
                {**self.full_filter_params, "limit": limit},
            ).scalars()
        )

    def _with_phrases(self, tip_ids: list[int]) -> list[int]:
        """The tips that hold every quoted phrase (the others score nothing)."""
        for phrase in self.phrases:
            if not tip_ids:
                break
            if self.dialect == "sqlite":
                # Without a unary + on rowid, FTS5 checks the phrase tip by tip (a seek each).
                statement = text(
                    "SELECT rowid FROM tip_fts WHERE tip_fts MATCH :phrase AND rowid IN :ids"
                ).bindparams(bindparam("ids", expanding=True))
                value = '"' + phrase + '"'
            else:
                statement = text(
                    "SELECT id FROM tip WHERE id IN :ids"
                    " AND search_vector @@ phraseto_tsquery('english', :phrase)"
                ).bindparams(bindparam("ids", expanding=True))
                value = phrase
            found = set(
                self.connection.execute(statement, {"phrase": value, "ids": tip_ids}).scalars()
            )
            tip_ids = [t for t in tip_ids if t in found]
        return tip_ids

    def all_weights(self, term_ids: list[int]) -> dict[int, dict[int, float]]:
        """Every posting of these terms (filtered): for the exact reference ranking."""
        join = "JOIN tip ON tip.id = p.tip_id" if self.full_filter_sql else ""
        rows = self.connection.execute(
            text(
                f"SELECT p.tip_id, p.term_id, p.weight FROM search_posting AS p {join}"  # noqa: S608
                f" WHERE p.term_id IN :terms {self.full_filter_sql}"
            ).bindparams(bindparam("terms", expanding=True)),
            {**self.full_filter_params, "terms": term_ids},
        )
        held: dict[int, dict[int, float]] = {}
        for tip_id, term_id, weight in rows:
            held.setdefault(tip_id, {})[term_id] = weight
        return held


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
) -> SearchResult:
    """The best published tips for what was typed, and a page of them."""
    vocabulary = DatabaseIndex(connection)
    query = build_query(typed, vocabulary, synonym_groups, correct=correct)
    if query.is_empty:
        return SearchResult([], 0, query=query)
    index = DatabaseIndex(connection, filters, query.phrases)
    wanted = MAX_RANKED if sort is not Sort.RELEVANCE else min(offset + limit, MAX_RANKED)
    found = ranking.top_k(
        query.concepts,
        query.idf,
        index,
        wanted,
        query.max_weights,
        read_everything_when_short=not query.phrases,
    )
    if len(found.ranked) < wanted and not found.is_exact:
        # The reads left the page short of a quoted phrase that few tips hold: score exactly
        # the tips that hold it (nothing else can match), or else read everything.
        few = index.phrase_matches(PHRASE_FEW)
        if len(few) < PHRASE_FEW:
            found = ranking.rank_these(query.concepts, query.idf, index, few, wanted)
        else:
            found = ranking.read_everything(query.concepts, query.idf, index, wanted)
    ranked = found.ranked
    if sort is not Sort.RELEVANCE:
        ranked = _reorder(connection, ranked, sort)
    total = found.matches if found.is_complete else _estimate(index, query)
    page_ids = [tip_id for tip_id, _ in ranked[offset : offset + limit]]
    return SearchResult(
        page_ids, max(total, len(ranked)), total > MAX_RANKED, query, ranked, found.is_exact
    )


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
