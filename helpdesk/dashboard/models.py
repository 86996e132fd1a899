"""A reporting term: the stretch of days the dashboard, the survey and the board report cover."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from helpdesk.clock import utcnow
from helpdesk.db import UTCDateTime
from helpdesk.extensions import db


class Term(db.Model):
    """District-wide (every school reports on the same term); days are the schools' own dates."""

    __tablename__ = "report_term"
    __table_args__ = (CheckConstraint("ends_on >= starts_on", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<Term {self.name}>"
