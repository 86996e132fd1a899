"""Deactivating a person: what it does to their future sessions and help requests, shown first,
then done in one transaction.

Each future session of a departing mentor is either cancelled (the teacher is told which other
mentors can teach it at that time) or reassigned to a mentor free then; a departing teacher's
sessions are cancelled with notice to the mentor. Help requests they claimed go back to the queue.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select

from helpdesk.accounts.models import User
from helpdesk.accounts.services import deactivate_user
from helpdesk.bookings.commands import cancel_booking, cancel_for_departure, reassign_booking
from helpdesk.bookings.lists import free_mentors_then
from helpdesk.bookings.locks import lock_people
from helpdesk.bookings.models import Booking, BookingStatus
from helpdesk.extensions import db
from helpdesk.requests.models import ACTIVE_STATUSES, HelpRequest, RequestStatus
from helpdesk.requests.services import return_to_queue

TEACHER_LEFT = "The teacher left the program."


class DeactivationError(ValueError):
    """The deactivation cannot be done as chosen; the message is safe to show."""


@dataclass(frozen=True)
class UpcomingSession:
    booking: Booking
    is_mentoring: bool  # they mentor it (it may be reassigned); else they are its teacher
    free_mentors: list[User]  # who could take it at the same time


@dataclass(frozen=True)
class DeactivationPreview:
    user: User
    upcoming: list[UpcomingSession]  # waiting or approved sessions still to come
    answering: list[HelpRequest]  # help requests they claimed: handed back to the queue
    asked: int  # their own open help requests: they stay open


@dataclass(frozen=True)
class DeactivationResult:
    cancelled: int
    reassigned: int
    released: int


# A plan maps each upcoming session's id to the mentor it goes to, or None to cancel it.
Plan = dict[int, int | None]


def _upcoming(user: User, now: datetime) -> list[Booking]:
    return list(
        db.session.scalars(
            select(Booking)
            .where(
                or_(Booking.mentor_id == user.id, Booking.teacher_id == user.id),
                Booking.status.in_((BookingStatus.REQUESTED, BookingStatus.APPROVED)),
                Booking.starts_at > now,
            )
            .order_by(Booking.starts_at, Booking.id)
        )
    )


def _answering(user: User) -> list[HelpRequest]:
    return list(
        db.session.scalars(
            select(HelpRequest)
            .where(
                HelpRequest.mentor_id == user.id,
                HelpRequest.status.in_((RequestStatus.CLAIMED, RequestStatus.WAITING)),
            )
            .order_by(HelpRequest.created_at)
        )
    )


def deactivation_preview(user: User, now: datetime) -> DeactivationPreview:
    upcoming = [
        UpcomingSession(
            booking,
            booking.mentor_id == user.id,
            free_mentors_then(booking, now) if booking.mentor_id == user.id else [],
        )
        for booking in _upcoming(user, now)
    ]
    asked = db.session.scalar(
        select(db.func.count())
        .select_from(HelpRequest)
        .where(HelpRequest.requester_id == user.id, HelpRequest.status.in_(ACTIVE_STATUSES))
    )
    return DeactivationPreview(user, upcoming, _answering(user), asked)


def deactivate(user: User, by: User, plan: Plan, now: datetime) -> DeactivationResult:
    """Carry out the plan for every future session, hand back their help requests, deactivate.

    Any failure (a mentor booked meanwhile, a session added since the preview) raises and the
    caller rolls back: nothing is half done.
    """
    if not user.is_active:
        raise DeactivationError(f"{user.full_name} is already deactivated.")
    # Everyone whose timetable changes, in one ordered lock: no session can be booked with the
    # departing person meanwhile, and the reassignments below wait for no one.
    lock_people(user.id, *(mentor_id for mentor_id in plan.values() if mentor_id))
    upcoming = _upcoming(user, now)
    if {booking.id for booking in upcoming} != set(plan):
        raise DeactivationError(
            "Their sessions changed since the page was shown; check them again and confirm."
        )
    cancelled = reassigned = 0
    for booking in upcoming:
        mentor_id = plan[booking.id]
        if mentor_id is None:
            if booking.mentor_id == user.id:
                cancel_for_departure(booking, by, now)
            else:
                cancel_booking(booking, by, TEACHER_LEFT, now)
            cancelled += 1
            continue
        new_mentor = db.session.get(User, mentor_id)
        if booking.mentor_id != user.id or new_mentor is None or not new_mentor.is_active:
            raise DeactivationError(f"“{booking.topic}” cannot go to that person; choose again.")
        reassign_booking(booking, by, new_mentor, now)
        reassigned += 1
    answering = _answering(user)
    for help_request in answering:
        return_to_queue(help_request, by)
    deactivate_user(user, by=by)
    return DeactivationResult(cancelled, reassigned, len(answering))
