"""The demo's memory: each demo thing is created once, under a stable key, and never again.

A person may rename a demo skill, edit a demo tip's title, reopen a demo closure or delete a
demo session; seeding again must not bring the old version back. So the demo remembers what it
created by key (and the row it became), and creates only keys it has never created.
"""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from helpdesk.clock import utcnow
from helpdesk.db import UTCDateTime
from helpdesk.extensions import db


class DemoRecord(db.Model):
    __tablename__ = "demo_record"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    record_id: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def created(key: str) -> DemoRecord | None:
    """The record of a demo thing made before under this key, or None."""
    return db.session.get(DemoRecord, key)


def remember(key: str, record_id: int | None) -> None:
    db.session.add(DemoRecord(key=key, record_id=record_id))
