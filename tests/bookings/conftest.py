from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlencode

import pytest

from helpdesk.accounts.models import Role, User
from helpdesk.availability.services import add_window
from helpdesk.bookings import services
from helpdesk.bookings.models import Booking, BookingFormat
from helpdesk.calendar import services as calendar
from helpdesk.mentors.services import profile_for, update_profile
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
def world(db, make_school, make_user, clock) -> World:
    clock.now = NOW
    school = make_school("Lincoln High School", "America/New_York")
    calendar.set_term(school, date(2026, 9, 1), date(2027, 6, 20))
    calendar.save_schedule(
        school, "Regular", calendar.parse_periods("Period 4, 10:00, 10:50\nPeriod 6, 13:00, 13:50")
    )
    skill = save_skill(name="Google Docs", description="", category="Docs")
    mentors = []
    for name in ("Maya Chen", "Leo Martins"):
        mentor = make_user(
            Role.MENTOR,
            full_name=name,
            school=school,
            email=f"{name.split()[0].lower()}@students.example.org",
        )
        update_profile(
            profile_for(mentor),
            bio="",
            story="",
            weekly_cap=None,
            offers_online=True,
            offers_in_person=True,
            skill_levels={skill.id: 2},
        )
        add_window(mentor, period_name="Period 4")
        mentors.append(mentor)
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
        request = services.BookingRequest(
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
        booking = services.request_booking(teacher or world.teacher, request, NOW)
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
