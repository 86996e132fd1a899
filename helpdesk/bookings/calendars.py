"""Sessions as iCalendar: one event per session, and each user's private feed."""

import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import current_app

from helpdesk.accounts.models import Role, User
from helpdesk.bookings.models import Booking, BookingFormat, BookingStatus
from helpdesk.calendar.ics_export import (
    SessionEvent,
    event_calendar,
    feed_calendar,
    is_calendar_address,
)
from helpdesk.extensions import db
from helpdesk.links import absolute_url

FEED_HISTORY = timedelta(days=60)
ICS_STATUS = {
    BookingStatus.REQUESTED: "TENTATIVE",
    BookingStatus.APPROVED: "CONFIRMED",
    BookingStatus.COMPLETED: "CONFIRMED",
    BookingStatus.NO_SHOW: "CONFIRMED",
    BookingStatus.DECLINED: "CANCELLED",
    BookingStatus.CANCELLED: "CANCELLED",
    BookingStatus.EXPIRED: "CANCELLED",
}


def _organizer() -> tuple[str, str]:
    sender = current_app.config["MAIL_FROM"]
    if "<" in sender:
        name, _, address = sender.partition("<")
        return address.rstrip(">").strip(), name.strip()
    return sender.strip(), "Helpdesk"


def session_event(booking: Booking, recipient: User | None) -> SessionEvent:
    """The session as a calendar event; the only attendee is the recipient (no student emails to adults).

    Stored text goes to the writer as it is: the writer cleans it, so a session saved before
    the forms checked its text still gives a calendar (see ics_export).
    """
    other = (
        booking.mentor.display_name
        if recipient is None or recipient.id != booking.mentor_id
        else booking.teacher.full_name
    )
    organizer_email, organizer_name = _organizer()
    link = absolute_url("bookings.show", booking_id=booking.id)
    return SessionEvent(
        uid=booking.uid,
        sequence=booking.sequence,
        status=ICS_STATUS[booking.status],
        start_at=booking.starts_at,
        end_at=booking.ends_at,
        summary=f"Helpdesk: {booking.topic} with {other}",
        description=f"Learning goal: {booking.learning_goal}\n\nSession page: {link}",
        location=booking.room if booking.format is BookingFormat.IN_PERSON else "Online",
        url=booking.meeting_url if booking.format is BookingFormat.ONLINE else link,
        organizer_email=organizer_email,
        organizer_name=organizer_name,
        attendees=((recipient.email, recipient.display_name),)
        if recipient is not None and is_calendar_address(recipient.email)
        else (),
        stamp_at=booking.updated_at,
        last_modified_at=booking.updated_at,
    )


def session_ics(booking: Booking, recipient: User | None, method: str | None = None) -> bytes:
    return event_calendar(session_event(booking, recipient), method=method)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_feed_token(user: User) -> str:
    """A new 256-bit feed token; only its hash is stored, and the old link stops working."""
    token = secrets.token_urlsafe(32)
    user.feed_token_hash = _hash(token)
    return token


def user_for_feed_token(token: str) -> User | None:
    if not token or len(token) > 100:
        return None
    user = db.session.scalar(db.select(User).where(User.feed_token_hash == _hash(token)))
    return user if user is not None and user.is_active else None


# Other features' events for a user's feed (workshops): (user, now) -> events. Read on each
# feed request, beside the cached sessions (the feed view), so they need no stamps of their own.
feed_sources: list[Callable[[User, datetime], list[SessionEvent]]] = []


def feed_for(user: User, now: datetime, sessions: list[SessionEvent] | None = None) -> bytes:
    """The user's feed: their sessions (`sessions`, else read now) and the feed sources' events."""
    events = session_events(user, now) if sessions is None else list(sessions)
    for source in feed_sources:
        events.extend(source(user, now))
    return feed_calendar(
        events,
        name=f"Helpdesk sessions – {user.display_name}",
        calendar_uid=f"helpdesk-feed-{user.id}@helpdesk",
    )


def session_events(user: User, now: datetime) -> list[SessionEvent]:
    """The user's sessions from 60 days back onward, cancelled ones included as CANCELLED."""
    statement = (
        db.select(Booking)
        .where(Booking.ends_at >= now - FEED_HISTORY)
        .order_by(Booking.starts_at, Booking.id)
    )
    if user.role is Role.MENTOR:
        statement = statement.where(Booking.mentor_id == user.id)
    elif user.role is Role.TEACHER:
        statement = statement.where(Booking.teacher_id == user.id)
    elif user.role is not Role.ADVISOR:
        statement = statement.where(db.false())
    bookings = db.session.scalars(statement).all()
    return [session_event(b, None if user.is_advisor else user) for b in bookings]
