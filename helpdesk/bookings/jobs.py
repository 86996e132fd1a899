"""The booking cron passes (`send-reminders`, `expire-requests`): one transaction per item."""

from datetime import datetime, timedelta

from sqlalchemy import update

from helpdesk.availability.services import program_settings
from helpdesk.bookings import notices
from helpdesk.bookings.lifecycle import BookingError, transition
from helpdesk.bookings.models import Booking, BookingStatus
from helpdesk.extensions import db
from helpdesk.jobs import JobRun, run_each

REMIND_AHEAD = timedelta(hours=36)


def expire_stale_requests(now: datetime) -> JobRun:
    """Requests not decided before start minus the minimum notice expire and free their slot."""
    notice = timedelta(hours=program_settings().min_notice_hours)
    stale = db.session.scalars(
        db.select(Booking.id)
        .where(Booking.status == BookingStatus.REQUESTED, Booking.starts_at <= now + notice)
        .order_by(Booking.id)
    ).all()
    return run_each(stale, _expire, "expire-requests")


def _expire(booking_id: int) -> bool:
    booking = db.session.get(Booking, booking_id)
    try:
        transition(booking, BookingStatus.EXPIRED, None, "Not decided before the minimum notice")
    except BookingError:
        return False  # decided meanwhile
    notices.expired(booking)
    return True


def send_reminders(now: datetime) -> JobRun:
    """Email both sides the day before an approved session; no run sends one twice."""
    due = db.session.scalars(
        db.select(Booking.id)
        .where(
            Booking.status == BookingStatus.APPROVED,
            Booking.reminded_at.is_(None),
            Booking.starts_at > now,
            Booking.starts_at <= now + REMIND_AHEAD,
        )
        .order_by(Booking.starts_at, Booking.id)
    ).all()
    return run_each(due, lambda booking_id: _remind(booking_id, now), "send-reminders")


def _remind(booking_id: int, now: datetime) -> bool:
    claimed = db.session.execute(
        update(Booking)
        .where(
            Booking.id == booking_id,
            Booking.reminded_at.is_(None),
            Booking.status == BookingStatus.APPROVED,
        )
        .values(reminded_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        return False
    notices.reminder(db.session.get(Booking, booking_id))
    return True


def send_advisor_digest(now: datetime) -> JobRun:
    """Once a day, tell the advisors how many requests wait and for how long."""
    return run_each([program_settings().id], lambda _id: _digest(now), "advisor-digest")


def _digest(now: datetime) -> bool:
    waiting = db.session.scalars(
        db.select(Booking)
        .where(Booking.status == BookingStatus.REQUESTED)
        .order_by(Booking.created_at)
    ).all()
    if not waiting:
        return False
    settings = program_settings()
    settings_type = type(settings)
    claimed = db.session.execute(
        update(settings_type)
        .where(
            settings_type.id == settings.id,
            db.or_(
                settings_type.last_digest_on.is_(None), settings_type.last_digest_on < now.date()
            ),
        )
        .values(last_digest_on=now.date())
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        return False
    notices.advisor_digest(waiting, now)
    return True
