"""Keeps the search index (helpdesk/tips/index_models.py) in step with published tips.

Every insert, update or delete of a tip that changes what it says or whether it is published
re-indexes it on the same connection, inside the flush: the index commits or rolls back with the
tip, as the FTS5 triggers do. Term and word counts are changed in sorted order, so two tips
published at once lock the rows they share in the same order and never deadlock.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import bindparam, case, delete, event, exists, inspect, select, update
from sqlalchemy.engine import Connection

from helpdesk.tips.index_models import (
    SearchDocument,
    SearchPosting,
    SearchStats,
    SearchTerm,
    SearchWord,
)
from helpdesk.tips.models import Tip, TipStatus
from helpdesk.tips.terms import IndexedDoc, analyse, stem, term_weight

INDEXED_FIELDS = ("title", "tags_text", "body_text", "status")
BATCH = 20_000

terms_t = SearchTerm.__table__
postings_t = SearchPosting.__table__
documents_t = SearchDocument.__table__
words_t = SearchWord.__table__
stats_t = SearchStats.__table__


def _insert(connection: Connection):
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


AVERAGES = (
    stats_t.c.average_title_length,
    stats_t.c.average_tags_length,
    stats_t.c.average_body_length,
)


def _averages(connection: Connection) -> tuple[float, float, float]:
    row = connection.execute(select(*AVERAGES).where(stats_t.c.id == 1)).first()
    if row is None:
        connection.execute(_insert(connection)(stats_t).values(id=1).on_conflict_do_nothing())
        row = connection.execute(select(*AVERAGES).where(stats_t.c.id == 1)).first()
    return tuple(row)


def _change_document_count(connection: Connection, delta: int) -> None:
    connection.execute(
        update(stats_t)
        .where(stats_t.c.id == 1)
        .values(document_count=stats_t.c.document_count + delta)
    )


def remove_tip(connection: Connection, tip_id: int) -> None:
    """Take a tip out of the index (nothing happens if it was not in it)."""
    old = connection.execute(
        select(documents_t.c.terms, documents_t.c.words).where(documents_t.c.tip_id == tip_id)
    ).first()
    if old is None:
        return
    connection.execute(delete(postings_t).where(postings_t.c.tip_id == tip_id))
    connection.execute(delete(documents_t).where(documents_t.c.tip_id == tip_id))
    for table, column, values in (
        (terms_t, terms_t.c.term, old.terms.split()),
        (words_t, words_t.c.word, old.words.split()),
    ):
        if values:
            connection.execute(
                update(table)
                .where(column == bindparam("key"))
                .values(document_count=table.c.document_count - 1),
                [{"key": v} for v in sorted(values)],
            )
    _change_document_count(connection, -1)


def forget_unused_words(connection: Connection, words: Iterable[str]) -> None:
    """Drop vocabulary no published tip uses any more (a graduate's name, once anonymized), so
    the index keeps no copy of it; words still in use, or in use again, stay."""
    words = sorted(set(words))
    if not words:
        return
    connection.execute(
        delete(words_t).where(words_t.c.word.in_(words), words_t.c.document_count <= 0)
    )
    terms = sorted({stem(word) for word in words} | set(words))
    connection.execute(
        delete(terms_t).where(
            terms_t.c.term.in_(terms),
            terms_t.c.document_count <= 0,
            ~exists().where(postings_t.c.term_id == terms_t.c.id),
        )
    )


def add_tip(connection: Connection, tip_id: int, doc: IndexedDoc) -> None:
    """Put a tip into the index, with weights made from the stored average length."""
    if not doc.frequencies:
        return
    averages = _averages(connection)
    weights = {
        term: term_weight(freq, doc.lengths, averages) for term, freq in doc.frequencies.items()
    }
    terms = sorted(weights)
    words = sorted(doc.words)
    insert = _insert(connection)
    connection.execute(
        insert(terms_t).on_conflict_do_nothing(index_elements=["term"]),
        [{"term": t, "document_count": 0, "max_weight": 0.0} for t in terms],
    )
    weight_param = bindparam("weight")
    connection.execute(
        update(terms_t)
        .where(terms_t.c.term == bindparam("key"))
        .values(
            document_count=terms_t.c.document_count + 1,
            max_weight=case(
                (terms_t.c.max_weight < weight_param, weight_param), else_=terms_t.c.max_weight
            ),
        ),
        [{"key": t, "weight": weights[t]} for t in terms],
    )
    ids = dict(
        connection.execute(
            select(terms_t.c.term, terms_t.c.id).where(terms_t.c.term.in_(terms))
        ).all()
    )
    connection.execute(
        postings_t.insert(),
        [{"tip_id": tip_id, "term_id": ids[t], "weight": weights[t]} for t in terms],
    )
    connection.execute(
        insert(words_t).on_conflict_do_nothing(index_elements=["word"]),
        [{"word": w, "term": stem(w), "document_count": 0} for w in words],
    )
    connection.execute(
        update(words_t)
        .where(words_t.c.word == bindparam("key"))
        .values(document_count=words_t.c.document_count + 1),
        [{"key": w} for w in words],
    )
    connection.execute(
        documents_t.insert().values(tip_id=tip_id, terms=" ".join(terms), words=" ".join(words))
    )
    _change_document_count(connection, 1)


def reindex_tip(connection: Connection, tip: Tip) -> None:
    remove_tip(connection, tip.id)
    if tip.status is TipStatus.PUBLISHED:
        add_tip(connection, tip.id, analyse(tip.title, tip.tags_text, tip.body_text))


@event.listens_for(Tip, "after_insert")
def _index_new_tip(_mapper, connection: Connection, tip: Tip) -> None:
    if tip.status is TipStatus.PUBLISHED:
        add_tip(connection, tip.id, analyse(tip.title, tip.tags_text, tip.body_text))


@event.listens_for(Tip, "after_update")
def _index_changed_tip(_mapper, connection: Connection, tip: Tip) -> None:
    state = inspect(tip)
    if any(state.attrs[name].history.has_changes() for name in INDEXED_FIELDS):
        reindex_tip(connection, tip)


@event.listens_for(Tip, "after_delete")
def _unindex_deleted_tip(_mapper, connection: Connection, tip: Tip) -> None:
    remove_tip(connection, tip.id)


def rebuild(connection: Connection, tips: Iterable[tuple[int, str, str, str]] | None = None) -> int:
    """Index every published tip afresh, with the library's true average length; returns the
    number of tips. For `flask tips reindex` and for data loaded without the ORM."""
    for table in (postings_t, documents_t, words_t, terms_t, stats_t):
        connection.execute(delete(table))
    if tips is None:
        tips = connection.execute(
            select(Tip.id, Tip.title, Tip.tags_text, Tip.body_text)
            .where(Tip.status == TipStatus.PUBLISHED)
            .order_by(Tip.id)
        )
    docs = [(row[0], analyse(row[1], row[2], row[3])) for row in tips]
    docs = [(tip_id, doc) for tip_id, doc in docs if doc.frequencies]
    averages = tuple(
        sum(d.lengths[f] for _, d in docs) / len(docs) if docs else column.default.arg
        for f, column in enumerate(AVERAGES)
    )
    term_ids: dict[str, int] = {}
    document_counts: dict[str, int] = defaultdict(int)
    max_weights: dict[str, float] = defaultdict(float)
    word_counts: dict[str, int] = defaultdict(int)
    postings: list[tuple[int, int, float]] = []
    for tip_id, doc in docs:
        for term, freq in doc.frequencies.items():
            weight = term_weight(freq, doc.lengths, averages)
            term_id = term_ids.setdefault(term, len(term_ids) + 1)
            document_counts[term] += 1
            max_weights[term] = max(max_weights[term], weight)
            postings.append((tip_id, term_id, weight))
        for word in doc.words:
            word_counts[word] += 1
    _insert_many(
        connection,
        terms_t,
        [
            {"id": i, "term": t, "document_count": document_counts[t], "max_weight": max_weights[t]}
            for t, i in term_ids.items()
        ],
    )
    _insert_many(
        connection,
        words_t,
        [{"word": w, "term": stem(w), "document_count": c} for w, c in sorted(word_counts.items())],
    )
    _insert_many(
        connection,
        documents_t,
        [
            {
                "tip_id": tip_id,
                "terms": " ".join(sorted(doc.frequencies)),
                "words": " ".join(sorted(doc.words)),
            }
            for tip_id, doc in docs
        ],
    )
    _copy_postings(connection, postings)
    connection.execute(
        stats_t.insert().values(
            id=1,
            document_count=len(docs),
            average_title_length=averages[0],
            average_tags_length=averages[1],
            average_body_length=averages[2],
        )
    )
    if connection.dialect.name == "postgresql":
        # Term ids were given here; the sequence must continue after them.
        connection.exec_driver_sql(
            "SELECT setval(pg_get_serial_sequence('search_term', 'id'),"
            " GREATEST((SELECT max(id) FROM search_term), 1))"
        )
    return len(docs)


def _insert_many(connection: Connection, table, rows: list[dict]) -> None:
    for start in range(0, len(rows), BATCH):
        connection.execute(table.insert(), rows[start : start + BATCH])


def _copy_postings(connection: Connection, postings: list[tuple[int, int, float]]) -> None:
    if not postings:
        return
    if connection.dialect.name == "postgresql":
        cursor = connection.connection.driver_connection.cursor()
        with cursor.copy("COPY search_posting (tip_id, term_id, weight) FROM STDIN") as copy:
            for row in postings:
                copy.write_row(row)
        return
    connection.exec_driver_sql(
        "INSERT INTO search_posting (tip_id, term_id, weight) VALUES (?, ?, ?)", postings
    )
