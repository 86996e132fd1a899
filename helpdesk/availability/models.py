from datetime import date, time

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from helpdesk.calendar.models import DayType
from helpdesk.extensions import db


class AvailabilityWindow(db.Model):
    """When a mentor is free: a bell period or a time range, weekly or on one date."""

    __tablename__ = "availability_window"
    __table_args__ = (
        CheckConstraint(
            "period_name IS NOT NULL OR (start_time IS NOT NULL AND end_time > start_time)",
            name="period_or_times",
        ),
        CheckConstraint("weekdays BETWEEN 0 AND 127", name="weekday_mask"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    period_name: Mapped[str | None] = mapped_column(String(40))
    start_time: Mapped[time | None]
    end_time: Mapped[time | None]
    weekdays: Mapped[int] = mapped_column(default=0)  # bit 0 = Monday; 0 = every school day
    day_type_id: Mapped[int | None] = mapped_column(ForeignKey("day_type.id"))
    on: Mapped[date | None]  # a one-off extra window on this date

    day_type: Mapped[DayType | None] = relationship(lazy="joined")

    @property
    def weekday_set(self) -> frozenset[int]:
        return frozenset(d for d in range(7) if self.weekdays & (1 << d))


class TimeOff(db.Model):
    __tablename__ = "time_off"
    __table_args__ = (CheckConstraint("ends_on >= starts_on", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    note: Mapped[str] = mapped_column(String(120), default="")


class ProgramSettings(db.Model):
    """The advisor's booking rules; one row."""

    __tablename__ = "program_settings"
    __table_args__ = (
        CheckConstraint("buffer_minutes >= 0", name="buffer"),
        CheckConstraint("min_notice_hours >= 0", name="notice"),
        CheckConstraint("horizon_days >= 1", name="horizon"),
        CheckConstraint("weekly_cap >= 1", name="cap"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_lengths: Mapped[str] = mapped_column(String(60), default="20,30,45")
    buffer_minutes: Mapped[int] = mapped_column(default=10)
    min_notice_hours: Mapped[int] = mapped_column(default=24)
    horizon_days: Mapped[int] = mapped_column(default=28)
    weekly_cap: Mapped[int] = mapped_column(default=3)
    it_email: Mapped[str] = mapped_column(String(254), default="")
    last_digest_on: Mapped[date | None]  # the advisor's daily "requests waiting" email

    @property
    def lengths(self) -> list[int]:
        return sorted({int(p) for p in self.session_lengths.split(",") if p.strip().isdigit()})
