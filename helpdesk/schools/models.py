import uuid
from datetime import date

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from helpdesk.extensions import db


def new_stamp() -> str:
    return uuid.uuid4().hex


class School(db.Model):
    __tablename__ = "school"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    timezone: Mapped[str] = mapped_column(String(64))
    # The district's locale (helpdesk.locale), the same on every school: read with the user's
    # school at no extra query. Change it with set_district_locale.
    locale: Mapped[str] = mapped_column(String(16), default="en-US", server_default="en-US")
    term_starts_on: Mapped[date | None]
    term_ends_on: Mapped[date | None]
    # Changes whenever anything in the school's calendar changes: a cache key, see
    # helpdesk.calendar.services.load_calendars.
    calendar_stamp: Mapped[str | None] = mapped_column(String(32), default=new_stamp)

    def __repr__(self) -> str:
        return f"<School {self.name}>"
