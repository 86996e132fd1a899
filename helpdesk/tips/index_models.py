"""The tip library's own search index: terms, their postings with precomputed weights, words.

Kept by helpdesk/tips/index.py in the same transaction as the tip it describes (published tips
only). Postings are read two ways: a term's best tips first (ix_search_posting_term_weight: the
search stops reading once no unread tip can make the page), and one tip's weight for a term (the
primary key). The spelling vocabulary has a trigram index written by hand in the migration
(pg_trgm on PostgreSQL, an FTS5 trigram table on SQLite), like the full-text index beside `tip`.
"""

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from helpdesk.extensions import db

TERM_MAX = 40


class SearchTerm(db.Model):
    """A stemmed term: in how many published tips, and the largest weight it has in any."""

    __tablename__ = "search_term"
    __table_args__ = (CheckConstraint("document_count >= 0", name="document_count"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    term: Mapped[str] = mapped_column(String(TERM_MAX), unique=True)
    document_count: Mapped[int] = mapped_column(default=0)
    # An upper bound, never lowered when a tip leaves (a rebuild makes it exact again).
    max_weight: Mapped[float] = mapped_column(default=0.0)


class SearchPosting(db.Model):
    """One term in one published tip, with the tip's BM25 weight for it (idf not included)."""

    __tablename__ = "search_posting"
    __table_args__ = (
        Index("ix_search_posting_term_weight", "term_id", "weight", "tip_id"),
        {"sqlite_with_rowid": False},
    )

    tip_id: Mapped[int] = mapped_column(ForeignKey("tip.id", ondelete="CASCADE"), primary_key=True)
    term_id: Mapped[int] = mapped_column(ForeignKey("search_term.id"), primary_key=True)
    weight: Mapped[float]


class SearchDocument(db.Model):
    """What the index holds for one published tip, so it can be taken out again exactly."""

    __tablename__ = "search_document"

    tip_id: Mapped[int] = mapped_column(ForeignKey("tip.id", ondelete="CASCADE"), primary_key=True)
    terms: Mapped[str] = mapped_column(Text)  # space-separated
    words: Mapped[str] = mapped_column(Text)  # space-separated


class SearchWord(db.Model):
    """A word as written in published tips (folded), for "Showing results for …"."""

    __tablename__ = "search_word"
    __table_args__ = (CheckConstraint("document_count >= 0", name="document_count"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    word: Mapped[str] = mapped_column(String(TERM_MAX), unique=True)
    term: Mapped[str] = mapped_column(String(TERM_MAX))
    document_count: Mapped[int] = mapped_column(default=0)


class SearchStats(db.Model):
    """One row: how many tips are indexed, and the average field lengths the weights were made
    with (fixed between rebuilds, so every stored weight was computed with the same values)."""

    __tablename__ = "search_stats"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, default=1)
    document_count: Mapped[int] = mapped_column(default=0)
    average_title_length: Mapped[float] = mapped_column(default=7.0)
    average_tags_length: Mapped[float] = mapped_column(default=2.0)
    average_body_length: Mapped[float] = mapped_column(default=80.0)


class SynonymGroup(db.Model):
    """Words the advisor says mean the same thing, as written: "wifi, wi-fi, wireless"."""

    __tablename__ = "synonym_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(default=0)
    words: Mapped[str] = mapped_column(String(400))
