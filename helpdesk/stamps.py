"""Change stamps: one row per kind of shared data, renewed in the same transaction as each change.

A worker process caches what it computed under the stamp it read. A change commits a new stamp
with the change itself, so every process sees it at once and no cached entry outlives its data.
"""

import uuid

from sqlalchemy import String, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from helpdesk.extensions import db


class ChangeStamp(db.Model):
    __tablename__ = "change_stamp"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    stamp: Mapped[str] = mapped_column(String(32))


def current_stamp(name: str) -> str | None:
    """The stamp as this transaction sees it; None before the first change."""
    return db.session.scalar(select(ChangeStamp.stamp).where(ChangeStamp.name == name))


def renew_stamp(name: str) -> None:
    """Mark the data called `name` as changed (commits or rolls back with the caller's change)."""
    values = {"stamp": uuid.uuid4().hex}
    renewed = db.session.execute(
        update(ChangeStamp).where(ChangeStamp.name == name).values(**values),
        execution_options={"synchronize_session": False},
    )
    if renewed.rowcount:
        return
    try:
        with db.session.begin_nested():
            db.session.add(ChangeStamp(name=name, **values))
    except IntegrityError:  # another transaction created the row first
        db.session.execute(update(ChangeStamp).where(ChangeStamp.name == name).values(**values))
