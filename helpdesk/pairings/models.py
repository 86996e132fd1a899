"""A pairing of a student mentor with a teacher over weeks, and what the pair agree and write.

The teacher's free periods live here too: pairings use them first (shared free periods), and
the finder reads them for its "Times I'm free" filter.
"""

import enum
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Enum,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from helpdesk.accounts.models import User
from helpdesk.calendar.models import DayType
from helpdesk.clock import utcnow
from helpdesk.db import UTCDateTime
from helpdesk.extensions import db
from helpdesk.skills.models import Skill


def _enum(kind: type[enum.Enum], length: int) -> Enum:
    return Enum(
        kind, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e]
    )


class TeacherFreePeriod(db.Model):
    """One bell period a teacher is free in: on a rotation day type, or on a weekday. A teacher's
    set is replaced whole (free_periods.set_free_periods), so no row repeats."""

    __tablename__ = "teacher_free_period"
    __table_args__ = (
        CheckConstraint("(day_type_id IS NULL) <> (weekday IS NULL)", name="day_type_or_weekday"),
        CheckConstraint("weekday IS NULL OR weekday BETWEEN 0 AND 6", name="weekday_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    teacher_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    period_name: Mapped[str] = mapped_column(String(40))
    day_type_id: Mapped[int | None] = mapped_column(ForeignKey("day_type.id", ondelete="CASCADE"))
    weekday: Mapped[int | None]  # 0 = Monday

    day_type: Mapped[DayType | None] = relationship(lazy="joined")


class PairingStatus(enum.StrEnum):
    REQUESTED = "requested"  # a teacher asked; the advisor has not decided
    DECLINED = "declined"
    ACTIVE = "active"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return {"requested": "Waiting for the advisor"}.get(self.value, self.value.capitalize())


# The allowed changes of status, in one place (services.move does every change).
TRANSITIONS: dict[PairingStatus, frozenset[PairingStatus]] = {
    PairingStatus.REQUESTED: frozenset({PairingStatus.ACTIVE, PairingStatus.DECLINED}),
    PairingStatus.ACTIVE: frozenset({PairingStatus.CLOSED}),
    PairingStatus.DECLINED: frozenset(),
    PairingStatus.CLOSED: frozenset(),
}


class Pairing(db.Model):
    """A mentor paired with a teacher for a span of dates, or a teacher's request for one.

    A mentor has at most one active pairing with the same teacher: a partial unique index
    (the database's guarantee, whatever two advisors click at once).
    """

    __tablename__ = "pairing"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
        CheckConstraint(
            "status NOT IN ('active', 'closed') OR mentor_id IS NOT NULL", name="paired_has_mentor"
        ),
        Index(
            "uq_pairing_active_pair",
            "mentor_id",
            "teacher_id",
            unique=True,
            sqlite_where=text("status = 'active'"),
            postgresql_where=text("status = 'active'"),
        ),
        Index("ix_pairing_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    mentor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    # A request may name the mentor the teacher would like; the advisor decides.
    asked_mentor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    skill_id: Mapped[int | None] = mapped_column(ForeignKey("skill.id"))
    status: Mapped[PairingStatus] = mapped_column(
        _enum(PairingStatus, 16), default=PairingStatus.ACTIVE
    )
    # What the teacher wants to learn, in their words (a request) or the advisor's.
    focus: Mapped[str] = mapped_column(Text, default="")
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    decline_reason: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    teacher_norms_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    mentor_norms_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    teacher: Mapped[User] = relationship(foreign_keys=[teacher_id], lazy="joined")
    mentor: Mapped[User | None] = relationship(foreign_keys=[mentor_id], lazy="joined")
    asked_mentor: Mapped[User | None] = relationship(foreign_keys=[asked_mentor_id])
    skill: Mapped[Skill | None] = relationship(lazy="joined")
    goals: Mapped[list["PairingGoal"]] = relationship(
        back_populates="pairing",
        order_by="PairingGoal.position",
        cascade="all, delete-orphan",
    )

    @property
    def is_active(self) -> bool:
        return self.status is PairingStatus.ACTIVE

    @property
    def norms_agreed(self) -> bool:
        return self.teacher_norms_at is not None and self.mentor_norms_at is not None

    def involves(self, user: User) -> bool:
        return user.id in (self.teacher_id, self.mentor_id)

    def side_of(self, user: User) -> str | None:
        if user.id == self.teacher_id:
            return "teacher"
        if self.mentor_id is not None and user.id == self.mentor_id:
            return "mentor"
        return None

    def can_view(self, user: User) -> bool:
        """Its teacher, its mentor and the advisor; everyone else is told it does not exist."""
        return user.is_advisor or self.involves(user)

    def can_decide(self, user: User) -> bool:
        return user.is_advisor and self.status is PairingStatus.REQUESTED

    def can_work_on(self, user: User) -> bool:
        """Goals, norms and progress: the pair (and the advisor) while it is active."""
        return self.is_active and (user.is_advisor or self.involves(user))

    def can_agree_norms(self, user: User) -> bool:
        side = self.side_of(user)
        return self.is_active and side is not None and getattr(self, f"{side}_norms_at") is None

    def can_close(self, user: User) -> bool:
        return self.is_active and (user.is_advisor or self.involves(user))

    def can_reflect(self, user: User) -> bool:
        return self.status is PairingStatus.CLOSED and self.involves(user)


class GoalStatus(enum.StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    MET = "met"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class PairingGoal(db.Model):
    """One of a pairing's 1-3 learning goals, with where it stands now."""

    __tablename__ = "pairing_goal"
    __table_args__ = (
        UniqueConstraint("pairing_id", "position"),
        CheckConstraint("position BETWEEN 1 AND 3", name="position_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = mapped_column(ForeignKey("pairing.id", ondelete="CASCADE"))
    position: Mapped[int]
    text: Mapped[str] = mapped_column(String(300))
    status: Mapped[GoalStatus] = mapped_column(
        _enum(GoalStatus, 16), default=GoalStatus.NOT_STARTED
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    pairing: Mapped[Pairing] = relationship(back_populates="goals")
    updates: Mapped[list["GoalUpdate"]] = relationship(
        back_populates="goal", order_by="GoalUpdate.id", cascade="all, delete-orphan"
    )


class GoalUpdate(db.Model):
    """One step of a goal's progress: who said where it stands, when, with a short note."""

    __tablename__ = "pairing_goal_update"

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(
        ForeignKey("pairing_goal.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    status: Mapped[GoalStatus] = mapped_column(_enum(GoalStatus, 16))
    note: Mapped[str] = mapped_column(String(300), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    goal: Mapped[PairingGoal] = relationship(back_populates="updates")
    author: Mapped[User | None] = relationship(lazy="joined")


# The program's closing questions, in order: (column, question).
CLOSING_QUESTIONS: tuple[tuple[str, str], ...] = (
    ("about_program", "What do you think about reverse mentoring?"),
    ("view_change", "How has your view of technology changed?"),
    ("future_use", "How do you plan on using what you did together in the future?"),
    ("learned", "What have you learned?"),
    ("applied", "How have you applied it?"),
)


class PairingReflection(db.Model):
    """One side's closing reflection; the other side reads it only once both have written."""

    __tablename__ = "pairing_reflection"
    __table_args__ = (UniqueConstraint("pairing_id", "author_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = mapped_column(
        ForeignKey("pairing.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    side: Mapped[str] = mapped_column(String(8))  # "teacher" or "mentor"
    about_program: Mapped[str] = mapped_column(Text, default="")
    view_change: Mapped[str] = mapped_column(Text, default="")
    future_use: Mapped[str] = mapped_column(Text, default="")
    learned: Mapped[str] = mapped_column(Text, default="")
    applied: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User] = relationship(lazy="joined")

    def answers(self) -> list[tuple[str, str]]:
        return [(question, getattr(self, column)) for column, question in CLOSING_QUESTIONS]
