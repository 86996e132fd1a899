"""What a completed session leaves behind: the mentor's notes and both sides' reflections."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from helpdesk.accounts.models import User
from helpdesk.clock import utcnow
from helpdesk.db import UTCDateTime
from helpdesk.extensions import db


class SessionReport(db.Model):
    """The mentor's notes on a completed session: what was covered, the steps, useful links."""

    __tablename__ = "session_report"

    booking_id: Mapped[int] = mapped_column(
        ForeignKey("booking.id", ondelete="CASCADE"), primary_key=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    covered: Mapped[str] = mapped_column(Text, default="")
    steps: Mapped[str] = mapped_column(Text, default="")
    links: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Reflection(db.Model):
    """One side's reflection on a session (or a workshop); private to the pair (the workshop's
    people) and the advisor (the confidentiality norm)."""

    __tablename__ = "reflection"
    __table_args__ = (
        UniqueConstraint("booking_id", "author_id"),
        UniqueConstraint("workshop_id", "author_id"),
        CheckConstraint("rating IS NULL OR rating BETWEEN 1 AND 5", name="rating_range"),
        # About one session or one workshop (helpdesk.workshops), never both or neither.
        CheckConstraint("(booking_id IS NULL) <> (workshop_id IS NULL)", name="one_subject"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int | None] = mapped_column(
        ForeignKey("booking.id", ondelete="CASCADE"), index=True
    )
    workshop_id: Mapped[int | None] = mapped_column(
        ForeignKey("workshop.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    side: Mapped[str] = mapped_column(String(8))  # "teacher" or "mentor"
    learned: Mapped[str] = mapped_column(Text, default="")
    view_change: Mapped[str] = mapped_column(Text, default="")
    classroom_use: Mapped[str] = mapped_column(Text, default="")
    rating: Mapped[int | None]
    kudos: Mapped[str] = mapped_column(String(500), default="")
    # The teacher chose to share the kudos on the recognition page (shown if the mentor opted in).
    is_kudos_shared: Mapped[bool] = mapped_column(default=False, server_default=false())
    went_well: Mapped[str] = mapped_column(Text, default="")
    try_next: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User] = relationship(lazy="joined")
