"""What sessions do when other features announce a change (connected at import; create_app
imports this module)."""

from datetime import date, datetime

from sqlalchemy import update

from helpdesk.accounts.models import User
from helpdesk.bookings.commands import cancel_for_closure
from helpdesk.bookings.models import Booking
from helpdesk.calendar.signals import day_closed
from helpdesk.extensions import db
from helpdesk.schools.models import School
from helpdesk.skills.models import Skill
from helpdesk.skills.signals import skills_merged


def cancel_on_closed_day(
    school: School, *, day: date, reason: str, actor: User | None, now: datetime, **_
) -> int:
    """A closed day cancels the sessions on it of the school's mentors and teachers."""
    return cancel_for_closure(school.id, day, reason, actor, now)


def move_sessions_to_skill(source: Skill, *, target: Skill, **_) -> None:
    """Sessions about the merged skill are about the one that stays."""
    db.session.execute(
        update(Booking).where(Booking.skill_id == source.id).values(skill_id=target.id)
    )


day_closed.connect(cancel_on_closed_day)
skills_merged.connect(move_sessions_to_skill)
