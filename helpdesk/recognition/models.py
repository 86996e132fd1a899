"""What the advisor took off the recognition page (the page itself is worked out from sessions,
tips and shared thanks; see milestones.py)."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from helpdesk.clock import utcnow
from helpdesk.db import UTCDateTime
from helpdesk.extensions import db


class HiddenRecognition(db.Model):
    """One item the advisor hid: a mentor's milestone ("ten-sessions") or a shared thanks
    ("thanks:<reflection id>"). Hiding again is a no-op; showing again deletes the row."""

    __tablename__ = "hidden_recognition"
    __table_args__ = (UniqueConstraint("mentor_id", "item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    item: Mapped[str] = mapped_column(String(40))
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    hidden_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
