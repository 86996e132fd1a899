"""Workshops as iCalendar events: for invitations, and in the feeds of hosting mentors and
seated teachers (registered with helpdesk.bookings.calendars)."""

from datetime import datetime

from helpdesk.accounts.models import Role, User
from helpdesk.bookings.calendars import FEED_HISTORY, _organizer, feed_sources
from helpdesk.bookings.models import BookingFormat
from helpdesk.calendar.ics_export import SessionEvent, event_calendar, is_calendar_address
from helpdesk.extensions import db
from helpdesk.links import absolute_url
from helpdesk.workshops.models import (
    SeatStatus,
    Workshop,
    WorkshopHost,
    WorkshopSeat,
    WorkshopStatus,
)

ICS_STATUS = {
    WorkshopStatus.PROPOSED: "TENTATIVE",
    WorkshopStatus.APPROVED: "CONFIRMED",
    WorkshopStatus.DECLINED: "CANCELLED",
    WorkshopStatus.CANCELLED: "CANCELLED",
}


def workshop_event(
    workshop: Workshop, recipient: User | None, *, cancelled: bool = False
) -> SessionEvent:
    """The workshop as an event with a stable UID; the only attendee is the recipient."""
    organizer_email, organizer_name = _organizer()
    link = absolute_url("workshops.show", workshop_id=workshop.id)
    online = workshop.format is BookingFormat.ONLINE
    return SessionEvent(
        uid=workshop.uid,
        sequence=workshop.sequence,
        status="CANCELLED" if cancelled else ICS_STATUS[workshop.status],
        start_at=workshop.starts_at,
        end_at=workshop.ends_at,
        summary=f"Helpdesk workshop: {workshop.title}",
        description=f"{workshop.description}\n\nWorkshop page: {link}",
        location="Online" if online else workshop.room,
        url=workshop.meeting_url if online else link,
        organizer_email=organizer_email,
        organizer_name=organizer_name,
        attendees=((recipient.email, recipient.display_name),)
        if recipient is not None and is_calendar_address(recipient.email)
        else (),
        stamp_at=workshop.updated_at,
        last_modified_at=workshop.updated_at,
    )


def workshop_ics(workshop: Workshop, recipient: User | None, method: str | None = None) -> bytes:
    return event_calendar(
        workshop_event(workshop, recipient, cancelled=method == "CANCEL"), method=method
    )


def feed_events(user: User, now: datetime) -> list[SessionEvent]:
    """Workshops a mentor hosts, or a teacher has (or had) a seat at; cancelled ones CANCELLED.
    A teacher who left sees the workshop as cancelled, so their calendar drops it."""
    since = now - FEED_HISTORY
    if user.role is Role.MENTOR:
        workshops = db.session.scalars(
            db.select(Workshop)
            .join(WorkshopHost, WorkshopHost.workshop_id == Workshop.id)
            .where(WorkshopHost.mentor_id == user.id, Workshop.ends_at >= since)
        ).all()
        return [workshop_event(w, user) for w in workshops]
    if user.role is Role.ADVISOR:
        workshops = db.session.scalars(db.select(Workshop).where(Workshop.ends_at >= since)).all()
        return [workshop_event(w, None) for w in workshops]
    rows = db.session.execute(
        db.select(Workshop, WorkshopSeat.status)
        .join(WorkshopSeat, WorkshopSeat.workshop_id == Workshop.id)
        .where(
            WorkshopSeat.teacher_id == user.id,
            Workshop.ends_at >= since,
            # never seated: it was never in their calendar
            db.or_(WorkshopSeat.status == SeatStatus.SEATED, WorkshopSeat.seated_at.is_not(None)),
        )
    ).all()
    return [
        workshop_event(w, user, cancelled=status is not SeatStatus.SEATED) for w, status in rows
    ]


feed_sources.append(feed_events)
