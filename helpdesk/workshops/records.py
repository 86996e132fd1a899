"""A person's workshops for their record (helpdesk.records): run, proposed, or signed up for."""

from sqlalchemy import or_, select

from helpdesk.accounts.models import User
from helpdesk.extensions import db
from helpdesk.workshops.models import Workshop, WorkshopHost, WorkshopSeat

COLUMNS = (
    "id role title skill starts_at ends_at status place joined_at attended description room "
    "meeting_url"
)


def workshop_rows(person: User) -> list[tuple]:
    """One row per workshop, in two queries whatever their number."""
    seats = {
        s.workshop_id: s
        for s in db.session.scalars(
            select(WorkshopSeat).where(WorkshopSeat.teacher_id == person.id)
        )
    }
    hosted = select(WorkshopHost.workshop_id).where(WorkshopHost.mentor_id == person.id)
    workshops = db.session.scalars(
        select(Workshop)
        .where(
            or_(
                Workshop.id.in_(hosted),
                Workshop.proposed_by_id == person.id,
                Workshop.id.in_(list(seats)),
            )
        )
        .order_by(Workshop.starts_at, Workshop.id)
    )
    rows = []
    for w in workshops:
        seat = seats.get(w.id)
        role = "attendee" if seat else ("mentor" if person.is_mentor else "proposer")
        rows.append(
            (
                w.id,
                role,
                w.title,
                w.skill.name,
                w.starts_at,
                w.ends_at,
                w.status.value,
                seat.status.value if seat else "",
                seat.joined_at if seat else None,
                seat.attended if seat else None,
                w.description,
                w.room,
                w.meeting_url,
            )
        )
    return rows
