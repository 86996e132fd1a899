"""Read models for series pages: a series with its dates, a session's place in its series, and
the series waiting in the advisor's queue."""

from dataclasses import dataclass

from helpdesk.bookings.models import Booking, BookingStatus
from helpdesk.extensions import db
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


@dataclass(frozen=True)
class WaitingSeries:
    series: BookingSeries
    sessions: list[Booking]  # its dates still waiting for approval, in order


def waiting_series() -> list[WaitingSeries]:
    """Every series with dates waiting for approval, oldest request first: two queries."""
    waiting = db.session.scalars(
        db.select(Booking)
        .where(Booking.status == BookingStatus.REQUESTED, Booking.series_id.is_not(None))
        .order_by(Booking.starts_at, Booking.id)
    ).all()
    if not waiting:
        return []
    by_series: dict[int, list[Booking]] = {}
    for booking in waiting:
        by_series.setdefault(booking.series_id, []).append(booking)
    series = db.session.scalars(
        db.select(BookingSeries)
        .where(BookingSeries.id.in_(by_series))
        .order_by(BookingSeries.created_at, BookingSeries.id)
    ).all()
    return [WaitingSeries(s, by_series[s.id]) for s in series]
