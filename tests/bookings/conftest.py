from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import pytest

from helpdesk.accounts.models import Role, User
from helpdesk.bookings import commands
from helpdesk.bookings.models import Booking, BookingFormat
from helpdesk.skills.services import save_skill

# Mon 2 Nov 2026, 09:00 in New York (clocks went back on Sun 1 Nov).
NOW = datetime(2026, 11, 2, 14, 0, tzinfo=UTC)
# Wed 4 Nov 2026, Period 4 at 10:00 local = 15:00 UTC.
SLOT = datetime(2026, 11, 4, 15, 0, tzinfo=UTC)


@dataclass
class World:
    school: object
    skill: object
    mentor: User
    mentor2: User
    teacher: User
    teacher2: User
    advisor: User


@pytest.fixture
def world(db, make_school_with_calendar, make_mentor, make_user, clock) -> World:
    clock.now = NOW
    school = make_school_with_calendar("Period 4, 10:00, 10:50\nPeriod 6, 13:00, 13:50")
    skill = save_skill(name="Google Docs", description="", category="Docs")
    mentors = [
        make_mentor(name, school, {skill: 2}, "Period 4") for name in ("Maya Chen", "Leo Martins")
    ]
    db.session.commit()
    return World(
        school=school,
        skill=skill,
        mentor=mentors[0],
        mentor2=mentors[1],
        teacher=make_user(Role.TEACHER, full_name="Helen Park", school=school),
        teacher2=make_user(Role.TEACHER, full_name="Robert Gaines", school=school),
        advisor=make_user(Role.ADVISOR, full_name="Dana Whitfield", school=school),
    )


@pytest.fixture
def book(db, world):
    """Request a session directly through the service (as the booking page does)."""

    def do(
        teacher: User | None = None,
        mentor: User | None = None,
        starts_at: datetime = SLOT,
        minutes: int = 30,
        **fields,
    ) -> Booking:
        request = commands.BookingRequest(
            mentor_id=(mentor or world.mentor).id,
            skill_id=world.skill.id,
            starts_at=starts_at,
            minutes=minutes,
            topic=fields.pop("topic", "Sharing a Doc with my class"),
            learning_goal=fields.pop(
                "learning_goal", "Share a Doc so students can comment but not edit."
            ),
            format=fields.pop("format", BookingFormat.IN_PERSON),
            room=fields.pop("room", "B12"),
            agrees_to_norms=True,
            **fields,
        )
        booking = commands.request_booking(teacher or world.teacher, request, NOW)
        db.session.commit()
        return booking

    return do


def booking_page(
    world, starts_at: datetime = SLOT, mentor: User | None = None, minutes: int = 30
) -> str:
    query = urlencode(
        {
            "mentor": (mentor or world.mentor).id,
            "skill": world.skill.id,
            "start": starts_at.isoformat(),
            "minutes": minutes,
        }
    )
    return f"/sessions/new?{query}"


def later(delta_days: int) -> datetime:
    return SLOT + timedelta(days=delta_days)
