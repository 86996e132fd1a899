"""Read models for the workshop pages: each loads what it shows in a fixed number of queries."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlalchemy.orm import selectinload

from helpdesk.accounts.models import Role, User
from helpdesk.extensions import db
from helpdesk.workshops.models import (
    SIGNED_UP,
    SeatStatus,
    Workshop,
    WorkshopHost,
    WorkshopSeat,
    WorkshopStatus,
)

LIST_SIZE = 100


@dataclass(frozen=True)
class WorkshopRow:
    workshop: Workshop
    waitlist: int
    mine: SeatStatus | None  # the viewer's own place, if any


def _with_hosts():
    return selectinload(Workshop.hosts).joinedload(WorkshopHost.mentor)


def _rows(workshops: list[Workshop], user: User) -> list[WorkshopRow]:
    ids = [w.id for w in workshops]
    waiting = dict(
        db.session.execute(
            db.select(WorkshopSeat.workshop_id, func.count())
            .where(
                WorkshopSeat.workshop_id.in_(ids),
                WorkshopSeat.status == SeatStatus.WAITLISTED,
            )
            .group_by(WorkshopSeat.workshop_id)
        ).all()
    ) if ids else {}  # fmt: skip
    mine = dict(
        db.session.execute(
            db.select(WorkshopSeat.workshop_id, WorkshopSeat.status).where(
                WorkshopSeat.workshop_id.in_(ids),
                WorkshopSeat.teacher_id == user.id,
                WorkshopSeat.status.in_(SIGNED_UP),
            )
        ).all()
    ) if ids and user.role in (Role.TEACHER, Role.STAFF) else {}  # fmt: skip
    return [WorkshopRow(w, waiting.get(w.id, 0), mine.get(w.id)) for w in workshops]


def upcoming(user: User, now: datetime) -> list[WorkshopRow]:
    """Approved workshops that have not ended, soonest first (a mentor also sees their own
    proposals; the advisor every proposal, in the queue)."""
    statement = (
        db.select(Workshop)
        .where(Workshop.ends_at > now, Workshop.status == WorkshopStatus.APPROVED)
        .options(_with_hosts())
        .order_by(Workshop.starts_at, Workshop.id)
        .limit(LIST_SIZE)
    )
    return _rows(list(db.session.scalars(statement)), user)


def hosted_by(mentor: User, now: datetime) -> list[Workshop]:
    """The mentor's own workshops not yet ended, proposals included, and recent past ones."""
    return list(
        db.session.scalars(
            db.select(Workshop)
            .join(WorkshopHost, WorkshopHost.workshop_id == Workshop.id)
            .where(WorkshopHost.mentor_id == mentor.id)
            .options(_with_hosts())
            .order_by(Workshop.starts_at.desc(), Workshop.id)
            .limit(LIST_SIZE)
        ).unique()
    )


def proposals() -> list[Workshop]:
    """The advisor's queue: proposals waiting, oldest first."""
    return list(
        db.session.scalars(
            db.select(Workshop)
            .where(Workshop.status == WorkshopStatus.PROPOSED)
            .options(_with_hosts())
            .order_by(Workshop.created_at, Workshop.id)
        )
    )


def past(now: datetime, limit: int = 20) -> list[Workshop]:
    return list(
        db.session.scalars(
            db.select(Workshop)
            .where(Workshop.ends_at <= now, Workshop.status == WorkshopStatus.APPROVED)
            .options(_with_hosts())
            .order_by(Workshop.starts_at.desc())
            .limit(limit)
        )
    )


def load(workshop_id: int) -> Workshop | None:
    return db.session.scalar(
        db.select(Workshop).where(Workshop.id == workshop_id).options(_with_hosts())
    )


@dataclass(frozen=True)
class Roster:
    seated: list[WorkshopSeat]
    waitlisted: list[WorkshopSeat]


def roster(workshop: Workshop) -> Roster:
    """Seated in sign-up order, then the waitlist in its order, in one query."""
    seats = list(
        db.session.scalars(
            db.select(WorkshopSeat)
            .where(WorkshopSeat.workshop_id == workshop.id, WorkshopSeat.status.in_(SIGNED_UP))
            .order_by(WorkshopSeat.joined_at, WorkshopSeat.id)
        )
    )
    return Roster(
        [s for s in seats if s.status is SeatStatus.SEATED],
        [s for s in seats if s.status is SeatStatus.WAITLISTED],
    )


def waitlist_position(workshop: Workshop, seat: WorkshopSeat) -> int:
    """1 for the first on the waitlist."""
    ahead = db.session.scalar(
        db.select(func.count()).where(
            WorkshopSeat.workshop_id == workshop.id,
            WorkshopSeat.status == SeatStatus.WAITLISTED,
            db.or_(
                WorkshopSeat.joined_at < seat.joined_at,
                db.and_(WorkshopSeat.joined_at == seat.joined_at, WorkshopSeat.id < seat.id),
            ),
        )
    )
    return ahead + 1


def waitlist_length(workshop: Workshop) -> int:
    return db.session.scalar(
        db.select(func.count()).where(
            WorkshopSeat.workshop_id == workshop.id, WorkshopSeat.status == SeatStatus.WAITLISTED
        )
    )


def mentors() -> list[User]:
    return list(
        db.session.scalars(
            db.select(User)
            .where(User.role == Role.MENTOR, User.is_active.is_(True))
            .order_by(User.full_name)
        )
    )


def week_of(start: datetime, end: datetime) -> list[Workshop]:
    """Workshops holding time in [start, end), for the advisor's week calendar."""
    return list(
        db.session.scalars(
            db.select(Workshop)
            .where(
                Workshop.starts_at >= start,
                Workshop.starts_at < end,
                Workshop.status.in_((WorkshopStatus.PROPOSED, WorkshopStatus.APPROVED)),
            )
            .options(_with_hosts())
            .order_by(Workshop.starts_at)
        )
    )
