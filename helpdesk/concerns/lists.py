"""Concerns as pages list them: the handlers' list, the reporter's own, the home-page count."""

from sqlalchemy import ColumnElement, exists, func, or_, select, true

from helpdesk.accounts.models import User
from helpdesk.concerns.models import Concern, ConcernSettings, ConcernStatus
from helpdesk.extensions import db

PAGE_SIZE = 30


def _not_about(user: User) -> ColumnElement[bool]:
    return or_(Concern.about_id.is_(None), Concern.about_id != user.id)


def for_handler(user: User, status: ConcernStatus | None, page: int):
    """The concerns this handler may read (none about themselves), newest first."""
    statement = select(Concern).where(_not_about(user))
    if status is not None:
        statement = statement.where(Concern.status == status)
    return db.paginate(
        statement.order_by(Concern.created_at.desc(), Concern.id.desc()),
        page=page,
        per_page=PAGE_SIZE,
        error_out=False,
    )


def counts_for_handler(user: User) -> dict[ConcernStatus, int]:
    rows = db.session.execute(
        select(Concern.status, func.count()).where(_not_about(user)).group_by(Concern.status)
    ).all()
    counts = dict.fromkeys(ConcernStatus, 0)
    counts.update({ConcernStatus(status): n for status, n in rows})
    return counts


def raised_by(user: User) -> list[Concern]:
    """A reporter's own concerns: the page shows their status, not what was decided."""
    return list(
        db.session.scalars(
            select(Concern)
            .where(Concern.reporter_id == user.id)
            .order_by(Concern.created_at.desc(), Concern.id.desc())
            .limit(100)
        )
    )


def handles_concerns(user: User) -> ColumnElement[bool]:
    """For a home page's counting statement: whether this user receives concerns."""
    if user.is_advisor:
        return true()
    return exists().where(ConcernSettings.id == 1, ConcernSettings.contact_id == user.id)


def open_count(user: User):
    """A scalar subquery: concerns not yet closed that this user handles (0 for anyone else),
    for a home page's one counting statement."""
    return (
        select(func.count(Concern.id))
        .where(Concern.status != ConcernStatus.CLOSED, _not_about(user), handles_concerns(user))
        .scalar_subquery()
    )
