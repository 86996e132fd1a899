"""What the finder asks before the teacher says anything: their last topic, the next two weeks."""

from datetime import date, timedelta

from helpdesk.accounts.models import User
from helpdesk.bookings.models import Booking
from helpdesk.extensions import db

SCHOOL_WEEKS = 2


def last_topic(teacher: User) -> int | None:
    """The skill of the teacher's most recent booking (by when they asked), if any."""
    return db.session.scalar(
        db.select(Booking.skill_id)
        .where(Booking.teacher_id == teacher.id)
        .order_by(Booking.created_at.desc(), Booking.id.desc())
        .limit(1)
    )


def next_school_weeks(today: date, weeks: int = SCHOOL_WEEKS) -> tuple[date, date]:
    """From today (or Monday, at a weekend) to the Friday `weeks` school weeks on."""
    start = today if today.weekday() < 5 else today + timedelta(days=7 - today.weekday())
    monday = start - timedelta(days=start.weekday())
    return start, monday + timedelta(weeks=weeks - 1, days=4)
