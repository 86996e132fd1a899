"""Workshops: a mentor (or several) teaches a topic to a group of teachers who sign up for seats."""

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, Enum, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from helpdesk.accounts.models import Role, User
from helpdesk.bookings.models import BookingFormat, new_uid
from helpdesk.clock import utcnow
from helpdesk.db import UTCDateTime
from helpdesk.extensions import db
from helpdesk.skills.models import Skill


def _enum(kind: type[enum.Enum], length: int) -> Enum:
    return Enum(
        kind, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e]
    )


class WorkshopStatus(enum.StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    DECLINED = "declined"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return (
            "Waiting for approval" if self is WorkshopStatus.PROPOSED else self.value.capitalize()
        )


# A proposal holds its mentors' time while it waits, as a session request does.
HOLDING = (WorkshopStatus.PROPOSED, WorkshopStatus.APPROVED)


class SeatStatus(enum.StrEnum):
    SEATED = "seated"
    WAITLISTED = "waitlisted"
    LEFT = "left"


SIGNED_UP = (SeatStatus.SEATED, SeatStatus.WAITLISTED)
# Who may sign up for a seat: the adults the program serves.
ATTENDEE_ROLES = (Role.TEACHER, Role.STAFF)


class Workshop(db.Model):
    __tablename__ = "workshop"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("seats >= 1", name="seats_positive"),
        # The seat guarantee: sign-ups add to seats_taken with a conditional UPDATE, and the
        # database refuses any write that would seat more people than there are seats.
        CheckConstraint("seats_taken >= 0 AND seats_taken <= seats", name="seats_taken_range"),
        CheckConstraint("sequence >= 0", name="sequence"),
        Index("ix_workshop_status_starts", "status", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(80), unique=True, default=new_uid)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id"), index=True)
    title: Mapped[str] = mapped_column(String(140))
    description: Mapped[str] = mapped_column(Text)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    format: Mapped[BookingFormat] = mapped_column(_enum(BookingFormat, 16))
    room: Mapped[str] = mapped_column(String(80), default="")
    meeting_url: Mapped[str] = mapped_column(String(500), default="")
    seats: Mapped[int]
    seats_taken: Mapped[int] = mapped_column(default=0)
    status: Mapped[WorkshopStatus] = mapped_column(
        _enum(WorkshopStatus, 16), default=WorkshopStatus.PROPOSED
    )
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decline_reason: Mapped[str] = mapped_column(Text, default="")
    # Grows with every change so calendar apps replace their copy (RFC 5545 SEQUENCE).
    sequence: Mapped[int] = mapped_column(default=0)
    attendance_taken_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    skill: Mapped[Skill] = relationship(lazy="joined")
    proposed_by: Mapped[User] = relationship(foreign_keys=[proposed_by_id])
    hosts: Mapped[list["WorkshopHost"]] = relationship(
        back_populates="workshop", cascade="all, delete-orphan", order_by="WorkshopHost.mentor_id"
    )

    @property
    def seats_left(self) -> int:
        return self.seats - self.seats_taken

    @property
    def is_holding(self) -> bool:
        return self.status in HOLDING

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @property
    def mentor_ids(self) -> set[int]:
        return {host.mentor_id for host in self.hosts}

    def is_host(self, user: User) -> bool:
        return user.id in self.mentor_ids

    def can_view(self, user: User) -> bool:
        """Approved workshops are open to everyone signed in but students who don't host them;
        a proposal, a declined or cancelled workshop only to its mentors and the advisor."""
        if user.is_advisor or self.is_host(user):
            return True
        return self.status is WorkshopStatus.APPROVED and user.role in ATTENDEE_ROLES

    def can_see_roster(self, user: User) -> bool:
        return user.is_advisor or self.is_host(user)

    def can_decide(self, user: User) -> bool:
        return user.is_advisor and self.status is WorkshopStatus.PROPOSED

    def can_cancel(self, user: User, now: datetime) -> bool:
        return self.is_holding and self.starts_at > now and self.can_see_roster(user)

    def can_change_seats(self, user: User, now: datetime) -> bool:
        return user.is_advisor and self.is_holding and self.starts_at > now

    def can_sign_up(self, user: User, now: datetime) -> bool:
        return (
            user.role in ATTENDEE_ROLES
            and self.status is WorkshopStatus.APPROVED
            and self.starts_at > now
        )

    def can_take_attendance(self, user: User, now: datetime) -> bool:
        return (
            self.status is WorkshopStatus.APPROVED
            and self.ends_at <= now
            and self.can_see_roster(user)
        )

    def can_seed_tip(self, user: User) -> bool:
        """A hosting mentor (or the advisor) writes a tip once attendance is taken."""
        return self.attendance_taken_at is not None and (user.is_advisor or self.is_host(user))


class WorkshopHost(db.Model):
    """A hosting mentor's hold on the workshop's time: the same overlap guard as sessions
    (hand-written in the migration) refuses a session or another workshop over it."""

    __tablename__ = "workshop_host"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        Index("ix_workshop_host_mentor_starts", "mentor_id", "starts_at"),
    )

    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshop.id", ondelete="CASCADE"), primary_key=True
    )
    mentor_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    # Copies of the workshop's time and whether it holds, so one table's guard can read them.
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    is_holding: Mapped[bool] = mapped_column(default=True)

    workshop: Mapped[Workshop] = relationship(back_populates="hosts")
    mentor: Mapped[User] = relationship(lazy="joined")


class WorkshopSeat(db.Model):
    """A teacher's place: a seat, a place on the waitlist (by sign-up order), or left."""

    __tablename__ = "workshop_seat"
    __table_args__ = (
        UniqueConstraint("workshop_id", "teacher_id"),
        Index("ix_workshop_seat_queue", "workshop_id", "status", "joined_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"))
    teacher_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    status: Mapped[SeatStatus] = mapped_column(_enum(SeatStatus, 16))
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    seated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attended: Mapped[bool | None]

    workshop: Mapped[Workshop] = relationship()
    teacher: Mapped[User] = relationship(lazy="joined")
