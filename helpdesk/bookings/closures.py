"""Sessions and closed days: which sessions a closure would cancel, and restoring them on reopening.

Restoring makes a new session with the old one's details (a new calendar UID: the old event was
sent as CANCEL, and some calendar apps never revive a cancelled UID); the cancelled one stays in
the history. A session is restored only if its time has not started and is still free for both
people; the database's overlap guard settles a race.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError

from helpdesk.accounts.models import User
from helpdesk.bookings import notices
from helpdesk.bookings.commands import is_overlap
from helpdesk.bookings.lifecycle import record
from helpdesk.bookings.lists import at_school, closure_for
from helpdesk.bookings.locks import lock_people
from helpdesk.bookings.models import HOLDING_STATUSES, Booking, BookingEvent, BookingStatus
from helpdesk.extensions import db
from helpdesk.schools.models import School

CLOSED_REASON = "School closed: "  # cancel_for_closure's reason starts so
OPEN_STATUSES = (BookingStatus.REQUESTED, BookingStatus.APPROVED)


def _day_span(school: School, start: date, end: date) -> tuple[datetime, datetime]:
    zone = ZoneInfo(school.timezone)
    return (
        datetime.combine(start, time.min, zone),
        datetime.combine(end + timedelta(days=1), time.min, zone),
    )


def _of_school(school: School):
    return at_school(school.id)


def sessions_between(school: School, start: date, end: date) -> list[Booking]:
    """The school's waiting and approved sessions on these local days, in time order."""
    first, after = _day_span(school, start, end)
    return list(
        db.session.scalars(
            db.select(Booking)
            .where(
                _of_school(school),
                Booking.status.in_(OPEN_STATUSES),
                Booking.starts_at >= first,
                Booking.starts_at < after,
            )
            .order_by(Booking.starts_at, Booking.id)
        )
    )


@dataclass(frozen=True)
class Cancelled:
    """A session a closure cancelled, what it was before, and whether its time is free now."""

    booking: Booking
    was: BookingStatus
    problem: str | None  # why it cannot be restored, or None

    @property
    def can_restore(self) -> bool:
        return self.problem is None


def cancelled_by_closure(school: School, day: date, now: datetime) -> list[Cancelled]:
    """Sessions of that day that a closure cancelled: the latest for each time and pair."""
    first, after = _day_span(school, day, day)
    rows = db.session.execute(
        db.select(Booking, BookingEvent.from_status)
        .join(BookingEvent, BookingEvent.booking_id == Booking.id)
        .where(
            _of_school(school),
            Booking.status == BookingStatus.CANCELLED,
            Booking.starts_at >= first,
            Booking.starts_at < after,
            BookingEvent.to_status == BookingStatus.CANCELLED.value,
            BookingEvent.reason.startswith(CLOSED_REASON),
        )
        .order_by(Booking.id.desc())
    ).all()
    latest: dict[tuple, tuple[Booking, str]] = {}
    for booking, was in rows:
        latest.setdefault(
            (booking.mentor_id, booking.teacher_id, booking.starts_at), (booking, was)
        )
    found = sorted(latest.values(), key=lambda item: (item[0].starts_at, item[0].id))
    return [
        Cancelled(b, BookingStatus(was), _restore_problem(b, now, reopening=school.id))
        for b, was in found
    ]


def _restore_problem(booking: Booking, now: datetime, reopening: int | None = None) -> str | None:
    """Why the session cannot come back, or None; `reopening` is the school whose closure is
    being lifted (its own closure does not count)."""
    if booking.starts_at <= now:
        return "Its time has passed."
    if not booking.mentor.is_active:
        return f"{booking.mentor.display_name} is deactivated."
    for person, whose in ((booking.mentor, "The mentor's"), (booking.teacher, "The teacher's")):
        closure = closure_for(person, booking.starts_at)
        if closure is not None and closure.school_id != reopening:
            return f"{whose} school is still closed that day ({closure.name})."
    busy = db.session.scalar(
        db.select(Booking.mentor_id).where(
            Booking.status.in_(HOLDING_STATUSES),
            db.or_(
                Booking.mentor_id == booking.mentor_id, Booking.teacher_id == booking.teacher_id
            ),
            Booking.starts_at < booking.ends_at,
            Booking.ends_at > booking.starts_at,
        )
    )
    if busy is None:
        return None
    who = booking.mentor.display_name if busy == booking.mentor_id else booking.teacher.full_name
    return f"{who} has another session at that time now."


def restore_session(
    cancelled: Cancelled, actor: User, reason: str, now: datetime
) -> Booking | None:
    """A new session like the cancelled one, waiting or approved as it was; None if not free."""
    old = cancelled.booking
    lock_people(old.mentor_id, old.teacher_id)
    if _restore_problem(old, now) is not None:
        return None
    booking = Booking(
        mentor_id=old.mentor_id,
        teacher_id=old.teacher_id,
        skill_id=old.skill_id,
        starts_at=old.starts_at,
        ends_at=old.ends_at,
        status=cancelled.was,
        topic=old.topic,
        learning_goal=old.learning_goal,
        format=old.format,
        room=old.room,
        meeting_url=old.meeting_url,
        notes=old.notes,
        norms_agreed_at=old.norms_agreed_at,
    )
    try:
        with db.session.begin_nested():
            db.session.add(booking)
            db.session.flush()
    except IntegrityError as error:
        if is_overlap(error):
            return None
        raise
    record(booking, actor, None, cancelled.was, f"{reason} (restores session {old.id})")
    db.session.flush()
    _tell_restored(booking, reason)
    return booking


def _tell_restored(booking: Booking, reason: str) -> None:
    """Both sides hear it is back; an approved session comes with a fresh invitation."""
    approved = booking.status is BookingStatus.APPROVED
    notices.notify(
        [booking.teacher, booking.mentor],
        f"Session restored: {booking.topic}, {notices.when(booking)}",
        f"/sessions/{booking.id}",
    )
    still = "" if approved else " It still waits for the advisor's approval."
    for user in (booking.teacher, booking.mentor):
        notices._mail(
            user,
            f"Session restored: {booking.topic}",
            f"{reason}, so this session is back on.{still}\n\n{notices._summary(booking)}",
            booking,
            "REQUEST" if approved else None,
        )
