"""What the booking form can fill in for a teacher: where their last session met."""

from dataclasses import dataclass

from helpdesk.accounts.models import User
from helpdesk.bookings.models import Booking, BookingFormat
from helpdesk.extensions import db


@dataclass(frozen=True)
class LastPlace:
    format: BookingFormat
    room: str
    meeting_url: str


def last_place(teacher: User) -> LastPlace | None:
    """The format, room and link of the teacher's most recent booking (one query), if any."""
    row = db.session.execute(
        db.select(Booking.format, Booking.room, Booking.meeting_url)
        .where(Booking.teacher_id == teacher.id)
        .order_by(Booking.created_at.desc(), Booking.id.desc())
        .limit(1)
    ).first()
    return LastPlace(*row) if row else None
