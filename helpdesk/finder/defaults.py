"""What the finder asks before the teacher says anything: their last topic, the next two weeks."""

from datetime import date, timedelta

from helpdesk.accounts.models import User
from helpdesk.bookings.models import Booking
from helpdesk.extensions import db

SCHOOL_WEEKS = 2


def last_topic(teacher: User) -> tuple[int, int] | None:
    """The skill and length in minutes of the teacher's most recent booking (by when they
    asked), if any."""
    row = db.session.execute(
        db.select(Booking.skill_id, Booking.starts_at, Booking.ends_at)
        .where(Booking.teacher_id == teacher.id)
        .order_by(Booking.created_at.desc(), Booking.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    skill_id, starts_at, ends_at = row
    return skill_id, int((ends_at - starts_at).total_seconds() // 60)


def next_school_weeks(today: date, weeks: int = SCHOOL_WEEKS) -> tuple[date, date]:
    """From today (or Monday, at a weekend) to the Friday `weeks` school weeks on."""
    start = today if today.weekday() < 5 else today + timedelta(days=7 - today.weekday())
    monday = start - timedelta(days=start.weekday())
    return start, monday + timedelta(weeks=weeks - 1, days=4)
