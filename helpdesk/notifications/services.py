from collections.abc import Iterable

from sqlalchemy import update

from helpdesk.accounts.models import User
from helpdesk.clock import utcnow
from helpdesk.extensions import db
from helpdesk.notifications.models import Notification

LIST_SIZE = 50


def notify(users: Iterable[User], message: str, link: str = "") -> None:
    db.session.add_all(Notification(user_id=u.id, message=message[:300], link=link) for u in users)


def unread_count(user: User) -> int:
    return db.session.scalar(
        db.select(db.func.count(Notification.id)).where(
            Notification.user_id == user.id, Notification.read_at.is_(None)
        )
    )


def recent(user: User) -> list[Notification]:
    return list(
        db.session.scalars(
            db.select(Notification)
            .where(Notification.user_id == user.id)
            .order_by(Notification.id.desc())
            .limit(LIST_SIZE)
        )
    )


def mark_all_read(user: User) -> None:
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
