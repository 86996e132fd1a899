"""A form sent twice makes one row: rows carry the form's `request_key` (helpdesk.request_keys),
unique in the database, and a repeat returns the row the first submission made."""

from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from helpdesk.extensions import db

Row = TypeVar("Row")


def earlier_submission(model: type[Row], key: str | None, owner: str, owner_id: int) -> Row | None:
    """The row this person's earlier submission of the same form made, if any."""
    if not key:
        return None
    found = db.session.scalar(select(model).where(model.request_key == key))
    return found if found is not None and getattr(found, owner) == owner_id else None


def insert_once(row: Row, owner: str) -> Row | None:
    """Insert `row`; None when inserted, or the earlier row when the same form raced it in.

    Another person's row under the same key is an integrity error like any other."""
    try:
        with db.session.begin_nested():
            db.session.add(row)
            db.session.flush()
    except IntegrityError:
        earlier = earlier_submission(type(row), row.request_key, owner, getattr(row, owner))
        if earlier is None:
            raise
        return earlier
    return None
