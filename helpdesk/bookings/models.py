"""A mentoring session (the screen says "session"; `Session` would clash with db.session)."""

import enum
import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, Enum, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from helpdesk.accounts.models import User
from helpdesk.clock import utcnow
from helpdesk.db import UTCDateTime
from helpdesk.extensions import db
from helpdesk.skills.models import Skill


class BookingStatus(enum.StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    COMPLETED = "completed"
    NO_SHOW = "no_show"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


# Looked up, not rebuilt on each call: every row of a session list shows one.
_STATUS_LABELS = {
    status: {"no_show": "No-show", "requested": "Waiting for approval"}.get(
        status.value, status.value.capitalize()
    )
    for status in BookingStatus
}

# Statuses that hold the mentor's and the teacher's time (the overlap guard covers these).
HOLDING_STATUSES = (
    BookingStatus.REQUESTED,
    BookingStatus.APPROVED,
    BookingStatus.COMPLETED,
    BookingStatus.NO_SHOW,
)


class BookingFormat(enum.StrEnum):
    IN_PERSON = "in_person"
    ONLINE = "online"

    @property
    def label(self) -> str:
        return "In person" if self is BookingFormat.IN_PERSON else "Online"


def _enum(kind: type[enum.Enum], length: int) -> Enum:
    return Enum(
        kind, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e]
    )


def new_uid() -> str:
    return f"{uuid.uuid4()}@helpdesk"


class Booking(db.Model):
    __tablename__ = "booking"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("sequence >= 0", name="sequence"),
        # Status last: the dashboard's per-mentor load and the overlap guard read it from the
        # index, not the row.
        Index("ix_booking_mentor_starts", "mentor_id", "starts_at", "status"),
        # Status and topic too: one school's dashboard reads its teachers' sessions from here.
        Index("ix_booking_teacher_starts", "teacher_id", "starts_at", "status", "skill_id"),
        Index("ix_booking_status_created", "status", "created_at"),
        # Covering for reports over a term: the dashboard counts by week, outcome, teacher,
        # mentor and topic from the index alone.
        Index("ix_booking_starts", "starts_at", "status", "teacher_id", "mentor_id", "skill_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(80), unique=True, default=new_uid)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    teacher_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[BookingStatus] = mapped_column(
        _enum(BookingStatus, 16), default=BookingStatus.REQUESTED
    )
    topic: Mapped[str] = mapped_column(String(200))
    learning_goal: Mapped[str] = mapped_column(Text)
    format: Mapped[BookingFormat] = mapped_column(_enum(BookingFormat, 16))
    room: Mapped[str] = mapped_column(String(80), default="")
    meeting_url: Mapped[str] = mapped_column(String(500), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    # Grows with every change so calendar apps replace their copy (RFC 5545 SEQUENCE).
    sequence: Mapped[int] = mapped_column(default=0)
    # A form submitted twice (double click, retry) carries the same key: one booking.
    request_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    norms_agreed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # One date of a weekly series (helpdesk.series), or None for a one-off session.
    series_id: Mapped[int | None] = mapped_column(ForeignKey("booking_series.id"), index=True)

    mentor: Mapped[User] = relationship(foreign_keys=[mentor_id], lazy="joined")
    teacher: Mapped[User] = relationship(foreign_keys=[teacher_id], lazy="joined")
    skill: Mapped[Skill] = relationship(lazy="joined")
    events: Mapped[list["BookingEvent"]] = relationship(
        back_populates="booking", order_by="BookingEvent.id", cascade="all, delete-orphan"
    )

    @property
    def is_holding(self) -> bool:
        return self.status in HOLDING_STATUSES

    @property
    def minutes(self) -> int:
        """The session's length, which may be one the program no longer offers."""
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    def involves(self, user: User) -> bool:
        return user.id in (self.mentor_id, self.teacher_id)

    def can_view(self, user: User) -> bool:
        return user.is_advisor or self.involves(user)

    def can_approve(self, user: User) -> bool:
        return user.is_advisor and self.status is BookingStatus.REQUESTED

    def can_decline(self, user: User) -> bool:
        return self.status is BookingStatus.REQUESTED and (
            user.is_advisor or user.id == self.mentor_id
        )

    def can_cancel(self, user: User, now: datetime) -> bool:
        return (
            self.status in (BookingStatus.REQUESTED, BookingStatus.APPROVED)
            and self.starts_at > now
            and (user.is_advisor or self.involves(user))
        )

    def can_reschedule(self, user: User, now: datetime) -> bool:
        return (
            self.status is BookingStatus.APPROVED
            and self.starts_at > now
            and (user.is_advisor or user.id == self.teacher_id)
        )

    def can_reassign(self, user: User, now: datetime) -> bool:
        return (
            user.is_advisor
            and self.status in (BookingStatus.REQUESTED, BookingStatus.APPROVED)
            and self.starts_at > now
        )


class BookingEvent(db.Model):
    """One step in a session's history: who, when, from, to, why."""

    __tablename__ = "booking_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(
        ForeignKey("booking.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    booking: Mapped[Booking] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship(lazy="joined")
