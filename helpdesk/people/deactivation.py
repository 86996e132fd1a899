"""What deactivating a person leaves behind, shown before the advisor confirms."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select

from helpdesk.accounts.models import User
from helpdesk.bookings.models import Booking, BookingStatus
from helpdesk.extensions import db
from helpdesk.requests.models import ACTIVE_STATUSES, HelpRequest, RequestStatus


@dataclass(frozen=True)
class DeactivationPreview:
    user: User
    upcoming: list[Booking]  # waiting or approved sessions they are in: not cancelled
    answering: list[HelpRequest]  # help requests they claimed: they stay claimed
    asked: int  # their own open help requests: they stay open


def deactivation_preview(user: User, now: datetime) -> DeactivationPreview:
    upcoming = db.session.scalars(
        select(Booking)
        .where(
            or_(Booking.mentor_id == user.id, Booking.teacher_id == user.id),
            Booking.status.in_((BookingStatus.REQUESTED, BookingStatus.APPROVED)),
            Booking.ends_at > now,
        )
        .order_by(Booking.starts_at)
    ).all()
    answering = db.session.scalars(
        select(HelpRequest)
        .where(
            HelpRequest.mentor_id == user.id,
            HelpRequest.status.in_((RequestStatus.CLAIMED, RequestStatus.WAITING)),
        )
        .order_by(HelpRequest.created_at)
    ).all()
    asked = db.session.scalar(
        select(db.func.count())
        .select_from(HelpRequest)
        .where(HelpRequest.requester_id == user.id, HelpRequest.status.in_(ACTIVE_STATUSES))
    )
    return DeactivationPreview(user, list(upcoming), list(answering), asked)
