"""A school's calendar: bell schedules, day types, exceptions, closures."""

from datetime import date, time

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from helpdesk.extensions import db


class BellSchedule(db.Model):
    __tablename__ = "bell_schedule"
    __table_args__ = (UniqueConstraint("school_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))

    periods: Mapped[list["Period"]] = relationship(
        back_populates="schedule",
        cascade="all, delete-orphan",
        order_by="Period.start_time",
        lazy="selectin",
    )


class Period(db.Model):
    __tablename__ = "period"
    __table_args__ = (
        UniqueConstraint("schedule_id", "name"),
        CheckConstraint("end_time > start_time", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    schedule_id: Mapped[int] = mapped_column(ForeignKey("bell_schedule.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(40))
    start_time: Mapped[time]
    end_time: Mapped[time]

    schedule: Mapped[BellSchedule] = relationship(back_populates="periods")


class DayType(db.Model):
    """A kind of school day ("A", "B") that picks a bell schedule; some rotate in order."""

    __tablename__ = "day_type"
    __table_args__ = (UniqueConstraint("school_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    name: Mapped[str] = mapped_column(String(40))
    schedule_id: Mapped[int] = mapped_column(ForeignKey("bell_schedule.id"))
    rotation_position: Mapped[int | None]

    schedule: Mapped[BellSchedule] = relationship(lazy="joined")


class DayException(db.Model):
    """One date that differs: another rotation day type and/or another bell schedule."""

    __tablename__ = "day_exception"
    __table_args__ = (UniqueConstraint("school_id", "on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    on: Mapped[date]
    day_type_id: Mapped[int | None] = mapped_column(ForeignKey("day_type.id"))
    schedule_id: Mapped[int | None] = mapped_column(ForeignKey("bell_schedule.id"))
    note: Mapped[str] = mapped_column(String(120), default="")

    day_type: Mapped[DayType | None] = relationship(lazy="joined")
    schedule: Mapped[BellSchedule | None] = relationship(lazy="joined")


class Closure(db.Model):
    """A day the school is closed: a holiday, a testing day, a snow day."""

    __tablename__ = "closure"
    __table_args__ = (UniqueConstraint("school_id", "on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    on: Mapped[date]
    name: Mapped[str] = mapped_column(String(200))


# What a cache of anything computed from school days watches (helpdesk.stamps.renew_on_change):
# the school row (its term and calendar stamp) and every calendar table.
SCHOOL_CALENDAR_TABLES: dict[str, None] = {
    table: None
    for table in ("school", "bell_schedule", "period", "day_type", "day_exception", "closure")
}
