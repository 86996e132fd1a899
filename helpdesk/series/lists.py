"""Read models for series pages: a series with its dates, a session's place in its series, and
the series waiting in the advisor's queue."""

from dataclasses import dataclass
from datetime import datetime, time
from typing import NamedTuple

from sqlalchemy.orm import aliased, lazyload

from helpdesk.accounts.models import Role, User
from helpdesk.bookings.models import Booking, BookingStatus
from helpdesk.extensions import db
from helpdesk.schools.models import School
from helpdesk.series.models import BookingSeries


@dataclass(frozen=True)
class Position:
    """ "Weekly · 3 of 8": this session's place among its series' dates."""

    series_id: int
    number: int
    total: int


def position_of(booking: Booking) -> Position | None:
    """None for a one-off session; one query for a date of a series."""
    if booking.series_id is None:
        return None
    starts = (
        db.session.execute(
            db.select(Booking.id)
            .where(Booking.series_id == booking.series_id)
            .order_by(Booking.starts_at, Booking.id)
        )
        .scalars()
        .all()
    )
    return Position(booking.series_id, starts.index(booking.id) + 1, len(starts))


class WaitingDate(NamedTuple):
    id: int
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class WaitingSeries:
    """One row of the approval queue: plain values, so the queue's cache can keep it."""

    id: int
    topic: str
    pattern: str
    local_start: time | None
    teacher_name: str
    mentor_name: str
    timezone: str
    sessions: list[WaitingDate]  # its dates still waiting for approval, in order


def waiting_series() -> list[WaitingSeries]:
    """Every series with dates waiting for approval, oldest request first, in one statement."""
    teacher, mentor = aliased(User), aliased(User)
    rows = db.session.execute(
        db.select(
            BookingSeries,
            Booking.id,
            Booking.starts_at,
            Booking.ends_at,
            Booking.topic,
            teacher.full_name,
            mentor.full_name,
            mentor.role,
            School.timezone,
        )
        .select_from(Booking)
        .join(BookingSeries, BookingSeries.id == Booking.series_id)
        .join(teacher, teacher.id == BookingSeries.teacher_id)
        .join(mentor, mentor.id == BookingSeries.mentor_id)
        .join(School, School.id == mentor.school_id)
        .where(Booking.status == BookingStatus.REQUESTED)
        .order_by(BookingSeries.created_at, BookingSeries.id, Booking.starts_at, Booking.id)
        .options(lazyload("*"))
    ).all()
    found: dict[int, WaitingSeries] = {}
    for series, *date, topic, teacher_name, mentor_full, mentor_role, zone in rows:
        if series.id not in found:
            found[series.id] = WaitingSeries(
                series.id,
                topic,
                series.pattern,
                series.local_start,
                teacher_name,
                User.display_name.fget(_Person(mentor_full, mentor_role)),
                zone,
                [],
            )
        found[series.id].sessions.append(WaitingDate(*date))
    return list(found.values())


class _Person(NamedTuple):
    full_name: str
    role: Role
