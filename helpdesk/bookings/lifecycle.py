"""The session state machine: the one table of allowed steps, and the one function that takes them."""

from sqlalchemy import update

from helpdesk.accounts.models import User
from helpdesk.bookings.models import Booking, BookingEvent, BookingStatus
from helpdesk.clock import utcnow
from helpdesk.extensions import db

S = BookingStatus
TRANSITIONS: dict[BookingStatus, frozenset[BookingStatus]] = {
    S.REQUESTED: frozenset({S.APPROVED, S.DECLINED, S.CANCELLED, S.EXPIRED}),
    S.APPROVED: frozenset({S.COMPLETED, S.NO_SHOW, S.CANCELLED}),
    S.DECLINED: frozenset(),
    S.CANCELLED: frozenset(),
    S.EXPIRED: frozenset(),
    S.COMPLETED: frozenset(),
    S.NO_SHOW: frozenset(),
}


class BookingError(ValueError):
    """A booking step that is not allowed; the message is safe to show."""


def record(
    booking: Booking,
    actor: User | None,
    from_status: BookingStatus | None,
    to_status: BookingStatus,
    reason: str = "",
) -> None:
    db.session.add(
        BookingEvent(
            booking_id=booking.id,
            actor_id=actor.id if actor else None,
            from_status=from_status.value if from_status else None,
            to_status=to_status.value,
            reason=reason.strip(),
        )
    )


def transition(
    booking: Booking, to_status: BookingStatus, actor: User | None, reason: str = ""
) -> None:
    """Move a session to a new status, atomically: a compare-and-swap on the status it had."""
    from_status = booking.status
    if to_status not in TRANSITIONS[from_status]:
        if from_status is not S.REQUESTED and to_status in TRANSITIONS[S.REQUESTED]:
            raise BookingError(
                f"This session was already decided: it is {from_status.label.lower()}."
            )
        raise BookingError(
            f"A session that is {from_status.label.lower()} cannot become {to_status.label.lower()}."
        )
    changed = db.session.execute(
        update(Booking)
        .where(Booking.id == booking.id, Booking.status == from_status)
        .values(status=to_status, sequence=Booking.sequence + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        db.session.refresh(booking)
        raise BookingError(
            f"This session was already decided: it is {booking.status.label.lower()}."
        )
    record(booking, actor, from_status, to_status, reason)
    db.session.flush()
    db.session.refresh(booking)


def bump(booking: Booking, actor: User, reason: str, **values) -> None:
    """Change a session's details (time, mentor) without a status change; history keeps the step."""
    status = booking.status
    changed = db.session.execute(
        update(Booking)
        .where(
            Booking.id == booking.id, Booking.status == status, Booking.sequence == booking.sequence
        )
        .values(sequence=Booking.sequence + 1, updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        db.session.refresh(booking)
        raise BookingError(
            "Someone else changed this session at the same time; look again and retry."
        )
    record(booking, actor, status, status, reason)
    db.session.flush()
    db.session.refresh(booking)
