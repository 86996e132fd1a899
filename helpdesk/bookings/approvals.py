"""Approving several waiting sessions at once: what it will do, shown before it is done."""

from dataclasses import dataclass

from helpdesk.bookings.models import Booking, BookingStatus
from helpdesk.extensions import db

MOST_AT_ONCE = 200  # far more than a queue page shows; bounds the IN list


@dataclass(frozen=True)
class ApprovalPreview:
    waiting: list[Booking]  # these would be approved
    decided: list[Booking]  # already approved, declined, cancelled or expired: left alone

    @property
    def invitations(self) -> int:
        """Calendar invitations that go out: one to the teacher and one to the mentor of each."""
        return 2 * len(self.waiting)


def approval_preview(ids: list[int]) -> ApprovalPreview:
    bookings = db.session.scalars(
        db.select(Booking).where(Booking.id.in_(ids[:MOST_AT_ONCE])).order_by(Booking.starts_at)
    ).all()
    return ApprovalPreview(
        [b for b in bookings if b.status is BookingStatus.REQUESTED],
        [b for b in bookings if b.status is not BookingStatus.REQUESTED],
    )
