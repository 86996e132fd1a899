"""A person's workshops for their record (helpdesk.records): run, proposed, or signed up for."""

from sqlalchemy import and_, or_, select

from helpdesk.accounts.models import User
from helpdesk.extensions import db
from helpdesk.workshops.models import Workshop, WorkshopHost, WorkshopSeat

COLUMNS = (
    "id role title skill starts_at ends_at status place joined_at attended description room "
    "meeting_url"
)


def workshop_rows(person: User) -> list[tuple]:
    """One row per workshop, in one query whatever their number."""
    hosted = select(WorkshopHost.workshop_id).where(WorkshopHost.mentor_id == person.id)
    rows = db.session.execute(
        select(Workshop, WorkshopSeat)
        .outerjoin(
            WorkshopSeat,
            and_(WorkshopSeat.workshop_id == Workshop.id, WorkshopSeat.teacher_id == person.id),
        )
        .where(
            or_(
                Workshop.id.in_(hosted),
                Workshop.proposed_by_id == person.id,
                WorkshopSeat.id.is_not(None),
            )
        )
        .order_by(Workshop.starts_at, Workshop.id)
    ).all()
    return [
        (
            w.id,
            "attendee" if seat else ("mentor" if person.is_mentor else "proposer"),
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
        for w, seat in rows
    ]
