"""Help requests: a teacher's problem, the queue students answer from, and its thread."""

import enum
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    Enum,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from helpdesk.accounts.models import User
from helpdesk.clock import utcnow
from helpdesk.db import UTCDateTime
from helpdesk.extensions import db
from helpdesk.skills.models import Skill

MESSAGE_MAX = 5_000
DETAILS_MAX = 5_000


class RequestStatus(enum.StrEnum):
    OPEN = "open"
    CLAIMED = "claimed"
    WAITING = "waiting"
    RESOLVED = "resolved"
    CLOSED = "closed"
    ESCALATED = "escalated"
    SELF_SERVED = "self_served"

    @property
    def label(self) -> str:
        return {
            "open": "Open",
            "claimed": "A mentor is on it",
            "waiting": "Waiting for the requester",
            "resolved": "Resolved",
            "closed": "Closed",
            "escalated": "Sent to district IT",
            "self_served": "Solved with a tip",
        }[self.value]


# Statuses in which someone on the desk still owes an answer.
ACTIVE_STATUSES = (RequestStatus.OPEN, RequestStatus.CLAIMED, RequestStatus.WAITING)
# Statuses the requester may reopen.
REOPENABLE_STATUSES = (RequestStatus.RESOLVED, RequestStatus.CLOSED, RequestStatus.SELF_SERVED)


class Urgency(enum.StrEnum):
    NOW = "now"
    WEEK = "week"
    WHENEVER = "whenever"

    @property
    def label(self) -> str:
        return {
            "now": "Blocking my class now",
            "week": "This week",
            "whenever": "Whenever",
        }[self.value]

    @property
    def rank(self) -> int:
        return {"now": 0, "week": 1, "whenever": 2}[self.value]


def in_student_queue(user: User, status: RequestStatus, is_escalate_only: bool) -> bool:
    """Mentors see, read and claim open requests on topics students may take."""
    return user.is_mentor and status is RequestStatus.OPEN and not is_escalate_only


def _enum(kind: type[enum.Enum], length: int) -> Enum:
    return Enum(
        kind, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e]
    )


class HelpRequest(db.Model):
    __tablename__ = "help_request"
    __table_args__ = (
        Index("ix_help_request_status_created", "status", "created_at"),
        Index("ix_help_request_requester_created", "requester_id", "created_at"),
        Index("ix_help_request_mentor_status", "mentor_id", "status"),
        Index("ix_help_request_status_escalated", "status", "escalated_at"),
        # The dashboard's range over a term, with what its counts and median read.
        Index(
            "ix_help_request_created",
            "created_at",
            "requester_id",
            "status",
            "skill_id",
            "school_seconds_to_resolve",
        ),
        # A claimed or waiting request always has its mentor.
        CheckConstraint(
            "status NOT IN ('claimed', 'waiting') OR mentor_id IS NOT NULL", name="claimed_mentor"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    requester_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id"), index=True)
    mentor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    status: Mapped[RequestStatus] = mapped_column(
        _enum(RequestStatus, 16), default=RequestStatus.OPEN
    )
    summary: Mapped[str] = mapped_column(String(200))
    details: Mapped[str] = mapped_column(Text, default="")
    device: Mapped[str] = mapped_column(String(80), default="")
    urgency: Mapped[Urgency] = mapped_column(_enum(Urgency, 16), default=Urgency.WEEK)
    room: Mapped[str] = mapped_column(String(80), default="")
    around: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The first answer from the desk (a mentor or the advisor): what the target measures.
    first_response_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    waiting_since_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # Opening to resolved on the requester's school clock, as it read at resolving: reports take
    # medians of a number instead of walking every request through the calendar again.
    school_seconds_to_resolve: Mapped[int | None]
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    self_served_tip_id: Mapped[int | None] = mapped_column(
        ForeignKey("tip.id", ondelete="SET NULL")
    )
    draft_tip_id: Mapped[int | None] = mapped_column(ForeignKey("tip.id", ondelete="SET NULL"))
    # A form submitted twice (double click, retry) carries the same key: one request.
    request_key: Mapped[str | None] = mapped_column(String(64), unique=True)

    requester: Mapped[User] = relationship(foreign_keys=[requester_id], lazy="joined")
    mentor: Mapped[User | None] = relationship(foreign_keys=[mentor_id], lazy="joined")
    resolved_by: Mapped[User | None] = relationship(foreign_keys=[resolved_by_id])
    skill: Mapped[Skill] = relationship(lazy="joined")
    messages: Mapped[list["RequestMessage"]] = relationship(
        back_populates="request", order_by="RequestMessage.id", cascade="all, delete-orphan"
    )
    events: Mapped[list["RequestEvent"]] = relationship(
        back_populates="request", order_by="RequestEvent.id", cascade="all, delete-orphan"
    )
    screenshots: Mapped[list["RequestScreenshot"]] = relationship(
        back_populates="request", order_by="RequestScreenshot.id", cascade="all, delete-orphan"
    )

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    def is_on(self, user: User) -> bool:
        """The people on a request: the requester, the claiming mentor and the advisor."""
        return user.is_advisor or user.id in (self.requester_id, self.mentor_id)

    def can_view(self, user: User) -> bool:
        """Mentors may read an open request in the queue; its thread stays with those on it."""
        return self.is_on(user) or self.is_in_student_queue_for(user)

    def is_in_student_queue_for(self, user: User) -> bool:
        return in_student_queue(user, self.status, self.skill.is_escalate_only)

    def can_claim(self, user: User) -> bool:
        return self.is_in_student_queue_for(user)

    def can_reply(self, user: User) -> bool:
        if user.is_advisor:
            return self.status in (*ACTIVE_STATUSES, RequestStatus.ESCALATED)
        if user.id == self.requester_id:
            return self.status in ACTIVE_STATUSES
        return user.id == self.mentor_id and self.status in (
            RequestStatus.CLAIMED,
            RequestStatus.WAITING,
        )

    def _is_handler(self, user: User) -> bool:
        return user.is_advisor or (user.is_mentor and user.id == self.mentor_id)

    def can_mark_waiting(self, user: User) -> bool:
        return self.status is RequestStatus.CLAIMED and self._is_handler(user)

    def can_resolve(self, user: User) -> bool:
        return self.status in (RequestStatus.CLAIMED, RequestStatus.WAITING) and self._is_handler(
            user
        )

    def can_release(self, user: User) -> bool:
        return self.status is RequestStatus.CLAIMED and self._is_handler(user)

    def can_escalate(self, user: User) -> bool:
        if self.status not in ACTIVE_STATUSES:
            return False
        return user.is_advisor or self._is_handler(user) or self.is_in_student_queue_for(user)

    def can_close(self, user: User) -> bool:
        """The requester withdraws; the advisor tidies up (resolved or escalated to closed)."""
        if user.is_advisor:
            return self.status in (
                *ACTIVE_STATUSES,
                RequestStatus.RESOLVED,
                RequestStatus.ESCALATED,
            )
        return user.id == self.requester_id and self.status in (
            *ACTIVE_STATUSES,
            RequestStatus.RESOLVED,
        )

    def can_reopen(self, user: User) -> bool:
        return user.id == self.requester_id and self.status in REOPENABLE_STATUSES

    def can_self_serve(self, user: User) -> bool:
        return user.id == self.requester_id and self.status is RequestStatus.OPEN

    def can_seed_tip(self, user: User) -> bool:
        return (
            self.status in (RequestStatus.RESOLVED, RequestStatus.CLOSED)
            and self.resolved_at is not None
            and self.draft_tip_id is None
            and self._is_handler(user)
        )

    def can_suggest_session(self, user: User) -> bool:
        return self.status in (RequestStatus.CLAIMED, RequestStatus.WAITING) and self._is_handler(
            user
        )

    def can_attach(self, user: User) -> bool:
        return user.id == self.requester_id and self.status in ACTIVE_STATUSES

    @property
    def outcome(self) -> str | None:
        """How it ended, for the report: students, escalated, self_served, or None (not yet)."""
        if self.status is RequestStatus.SELF_SERVED:
            return "self_served"
        if self.escalated_at is not None:
            return "escalated"
        if self.resolved_at is not None:
            return "students"
        return None


class RequestMessage(db.Model):
    """One answer in a request's thread; the advisor reads every thread."""

    __tablename__ = "request_message"
    __table_args__ = (CheckConstraint(f"length(body) <= {MESSAGE_MAX}", name="body_length"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("help_request.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    request: Mapped[HelpRequest] = relationship(back_populates="messages")
    author: Mapped[User] = relationship(lazy="joined")


class RequestEvent(db.Model):
    """One step in a request's history: who, when, from, to, why."""

    __tablename__ = "request_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("help_request.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    request: Mapped[HelpRequest] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship(lazy="joined")


class RequestScreenshot(db.Model):
    """A screenshot, re-encoded by Pillow (no metadata survives); served only to those on it."""

    __tablename__ = "request_screenshot"
    __table_args__ = (
        CheckConstraint("content_type IN ('image/png', 'image/jpeg')", name="content_type"),
        CheckConstraint("width > 0 AND height > 0", name="dimensions"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("help_request.id", ondelete="CASCADE"), index=True
    )
    content_type: Mapped[str] = mapped_column(String(20))
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    width: Mapped[int]
    height: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    request: Mapped[HelpRequest] = relationship(back_populates="screenshots")


class DeskSettings(db.Model):
    """The advisor's help-desk rules; one row."""

    __tablename__ = "desk_settings"
    __table_args__ = (
        CheckConstraint("first_response_hours >= 1", name="first_response"),
        CheckConstraint("resolution_hours >= 1", name="resolution"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    first_response_hours: Mapped[int] = mapped_column(default=4)
    resolution_hours: Mapped[int] = mapped_column(default=14)
    it_email: Mapped[str] = mapped_column(String(254), default="")


class DeskMailThrottle(db.Model):
    """When each person last got a new-request email: at most one per quarter hour."""

    __tablename__ = "desk_mail_throttle"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    last_sent_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DeskPendingNotice(db.Model):
    """A new request someone was told about in the app only, to include in their next email."""

    __tablename__ = "desk_pending_notice"
    __table_args__ = (UniqueConstraint("user_id", "request_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    request_id: Mapped[int] = mapped_column(ForeignKey("help_request.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    request: Mapped[HelpRequest] = relationship(lazy="joined")
