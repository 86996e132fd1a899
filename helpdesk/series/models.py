"""A weekly series: the pattern a standing pair meets on; each date is an ordinary Booking."""

import enum
from datetime import date, datetime, time

from sqlalchemy import CheckConstraint, Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from helpdesk.accounts.models import User
from helpdesk.clock import utcnow
from helpdesk.db import UTCDateTime
from helpdesk.extensions import db
from helpdesk.skills.models import Skill


class SeriesKind(enum.StrEnum):
    PERIOD = "period"  # a bell period on one day type of the rotation ("A day, Period 4")
    WEEKDAY = "weekday"  # a weekday and a wall-clock time ("Tuesdays 3:15 PM")


WEEKDAY_NAMES = ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays",
                 "Sundays")  # fmt: skip


class BookingSeries(db.Model):
    """Who, what pattern and which dates were asked for; the words (topic, goal, room) live on
    the sessions themselves, so this table holds no free text."""

    __tablename__ = "booking_series"
    __table_args__ = (
        CheckConstraint("minutes > 0", name="minutes_positive"),
        CheckConstraint(
            "(kind = 'period' AND period_name IS NOT NULL) OR "
            "(kind = 'weekday' AND weekday BETWEEN 0 AND 6 AND local_start IS NOT NULL)",
            name="pattern_complete",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id"))
    kind: Mapped[SeriesKind] = mapped_column(
        Enum(
            SeriesKind,
            native_enum=False,
            length=16,
            values_callable=lambda e: [m.value for m in e],
        )
    )
    day_type: Mapped[str | None] = mapped_column(String(40))
    period_name: Mapped[str | None] = mapped_column(String(40))
    weekday: Mapped[int | None]
    local_start: Mapped[time | None]
    minutes: Mapped[int]
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    # A form sent twice (double click, retry) carries the same key: one series.
    request_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    teacher: Mapped[User] = relationship(foreign_keys=[teacher_id], lazy="joined")
    mentor: Mapped[User] = relationship(foreign_keys=[mentor_id], lazy="joined")
    skill: Mapped[Skill] = relationship(lazy="joined")

    @property
    def pattern(self) -> str:
        """ "Every A day, Period 4" or "Tuesdays" (the time is formatted by the caller)."""
        if self.kind is SeriesKind.PERIOD:
            days = f"Every {self.day_type} day" if self.day_type else "Every school day"
            return f"{days}, {self.period_name}"
        return WEEKDAY_NAMES[self.weekday or 0]

    def involves(self, user: User) -> bool:
        return user.id in (self.mentor_id, self.teacher_id)

    def can_view(self, user: User) -> bool:
        return user.is_advisor or self.involves(user)
