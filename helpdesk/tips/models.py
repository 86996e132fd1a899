"""Tips: what a mentor learned in a session, reviewed by the advisor and published to the library.

The full-text index is not in these models: it lives beside the `tip` table, written by hand in
the migration (an FTS5 table kept by triggers on SQLite; a generated tsvector column with a GIN
index on PostgreSQL), so it changes in the same transaction as the tip. See tips/search.py.
"""

import enum
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    Enum,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from helpdesk.accounts.models import User
from helpdesk.clock import utcnow
from helpdesk.db import UTCDateTime
from helpdesk.extensions import db
from helpdesk.skills.models import Skill
from helpdesk.tips import schema_hooks  # noqa: F401  (keeps autogenerate off the search index)

TITLE_MAX = 120
BODY_MAX = 20_000


class TipStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    PUBLISHED = "published"

    @property
    def label(self) -> str:
        return {"submitted": "Waiting for review", "returned": "Returned for changes"}.get(
            self.value, self.value.capitalize()
        )


# Every allowed status change; change_status() refuses anything else.
TRANSITIONS: frozenset[tuple[TipStatus, TipStatus]] = frozenset(
    {
        (TipStatus.DRAFT, TipStatus.SUBMITTED),
        (TipStatus.RETURNED, TipStatus.SUBMITTED),
        (TipStatus.SUBMITTED, TipStatus.PUBLISHED),
        (TipStatus.SUBMITTED, TipStatus.RETURNED),
        # The advisor may take a published tip back (something identifying slipped through).
        (TipStatus.PUBLISHED, TipStatus.RETURNED),
    }
)


class Device(enum.IntFlag):
    """The devices a tip applies to, stored as a small bitmask in tip.devices."""

    IPAD = 1
    CHROMEBOOK = 2
    WINDOWS = 4
    MAC = 8
    ANY = 16

    @property
    def label(self) -> str:
        return {1: "iPad", 2: "Chromebook", 4: "Windows", 8: "Mac", 16: "Any device"}[self.value]

    @property
    def slug(self) -> str:
        return self.name.lower()

    @classmethod
    def from_slug(cls, slug: str) -> "Device | None":
        return next((d for d in DEVICES if d.slug == slug), None)


DEVICES: tuple[Device, ...] = (
    Device.IPAD,
    Device.CHROMEBOOK,
    Device.WINDOWS,
    Device.MAC,
    Device.ANY,
)
ALL_DEVICE_BITS = sum(DEVICES)


tip_skill = Table(
    "tip_skill",
    db.metadata,
    Column("tip_id", ForeignKey("tip.id", ondelete="CASCADE"), primary_key=True),
    Column("skill_id", ForeignKey("skill.id"), primary_key=True, index=True),
)


class Tip(db.Model):
    __tablename__ = "tip"
    __table_args__ = (
        CheckConstraint(f"devices BETWEEN 1 AND {ALL_DEVICE_BITS}", name="devices"),
        CheckConstraint("view_count >= 0", name="view_count"),
        CheckConstraint("helpful_count >= 0", name="helpful_count"),
        CheckConstraint("(status = 'published') = (published_at IS NOT NULL)", name="published_at"),
        Index("ix_tip_status_published_at", "status", "published_at"),
        # The most helpful first, ties by newest: the whole order, so the top is read, not sorted.
        Index("ix_tip_status_helpful", "status", "helpful_count", "published_at", "id"),
        # The dashboard's most-read tips: the top of this index, not a sort of the library.
        Index("ix_tip_status_views", "status", "view_count"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    body: Mapped[str] = mapped_column(Text)
    # What the search index reads: the body as plain text and the skill names.
    body_text: Mapped[str] = mapped_column(Text, default="")
    tags_text: Mapped[str] = mapped_column(String(1000), default="")
    devices: Mapped[int] = mapped_column(default=int(Device.ANY))
    status: Mapped[TipStatus] = mapped_column(
        Enum(
            TipStatus,
            native_enum=False,
            length=16,
            values_callable=lambda e: [m.value for m in e],
        ),
        default=TipStatus.DRAFT,
    )
    review_comment: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    mentor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    source_booking_id: Mapped[int | None] = mapped_column(ForeignKey("booking.id"), index=True)
    source_workshop_id: Mapped[int | None] = mapped_column(ForeignKey("workshop.id"), index=True)
    view_count: Mapped[int] = mapped_column(default=0)
    helpful_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    author: Mapped[User] = relationship(foreign_keys=[author_id], lazy="joined")
    mentor: Mapped[User | None] = relationship(foreign_keys=[mentor_id], lazy="joined")
    skills: Mapped[list[Skill]] = relationship(
        secondary=tip_skill, order_by=Skill.name, lazy="selectin"
    )

    @property
    def device_list(self) -> list[Device]:
        return [d for d in DEVICES if self.devices & d]

    @property
    def credit(self) -> User:
        """Who the library credits: the mentor, or the author when an adult wrote it alone."""
        return self.mentor or self.author

    @property
    def credit_name(self) -> str:
        """The credited person's name; a graduate whose identity was removed stays anonymous."""
        credit = self.credit
        return "a former student mentor" if credit.anonymized_at else credit.display_name

    @property
    def is_published(self) -> bool:
        return self.status is TipStatus.PUBLISHED

    def is_author(self, user: User) -> bool:
        return user.id == self.author_id

    def can_view(self, user: User) -> bool:
        return self.is_published or user.is_advisor or self.is_author(user)

    def can_edit(self, user: User) -> bool:
        if user.is_advisor:
            return True
        return self.is_author(user) and self.status in (TipStatus.DRAFT, TipStatus.RETURNED)

    def can_submit(self, user: User) -> bool:
        return self.is_author(user) and (self.status, TipStatus.SUBMITTED) in TRANSITIONS

    def can_review(self, user: User) -> bool:
        return user.is_advisor and self.status is TipStatus.SUBMITTED

    def can_unpublish(self, user: User) -> bool:
        return user.is_advisor and self.is_published

    def can_vote(self, user: User) -> bool:
        return self.is_published and not self.is_author(user) and user.id != self.mentor_id

    def __repr__(self) -> str:
        return f"<Tip {self.id} {self.status}>"


class TipEvent(db.Model):
    """One step in a tip's review history: who, when, from, to, and the advisor's comment."""

    __tablename__ = "tip_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    tip_id: Mapped[int] = mapped_column(ForeignKey("tip.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    from_status: Mapped[str] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    comment: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TipVote(db.Model):
    """'This was helpful': one per user per tip, guarded by the database."""

    __tablename__ = "tip_vote"
    __table_args__ = (UniqueConstraint("tip_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tip_id: Mapped[int] = mapped_column(ForeignKey("tip.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
