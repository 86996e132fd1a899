from dataclasses import dataclass
from datetime import UTC, date, datetime, time

import pytest

from helpdesk.accounts.models import Role, User
from helpdesk.bookings.models import BookingFormat
from helpdesk.calendar import services as calendar
from helpdesk.series import services
from helpdesk.series.expansion import Pattern
from helpdesk.skills.services import save_skill

# Mon 2 Nov 2026, 09:00 in New York.
NOW = datetime(2026, 11, 2, 14, 0, tzinfo=UTC)
PERIODS = "Period 1, 08:00, 08:50\nPeriod 4, 10:00, 10:50\nPeriod 7, 14:10, 15:00"
# An early dismissal: Period 4 moves to 9:30 and Period 7 is gone.
EARLY = "Period 1, 08:00, 08:30\nPeriod 4, 09:30, 10:00"


@dataclass
class World:
    school: object
    skill: object
    mentor: User
    mentor2: User
    teacher: User
    teacher2: User
    advisor: User
    a_day: object
    early: object


@pytest.fixture
def world(db, make_school_with_calendar, make_mentor, make_user, clock) -> World:
    """A school with an A/B rotation from Tue 1 Sep 2026 (no closures), one skill, two mentors
    free in Period 4 every day."""
    clock.now = NOW
    school = make_school_with_calendar(PERIODS)
    regular = db.session.scalars(db.select(calendar.BellSchedule)).one()
    a_day = calendar.save_day_type(school, "A", regular, 0)
    calendar.save_day_type(school, "B", regular, 1)
    early = calendar.save_schedule(school, "Early dismissal", calendar.parse_periods(EARLY))
    skill = save_skill(name="Google Classroom", description="", category="Classroom")
    db.session.commit()
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
        a_day=a_day,
        early=early,
    )


def a_days(starts_on=date(2026, 11, 4), until=date(2026, 11, 30), minutes=30) -> Pattern:
    return Pattern(minutes=minutes, starts_on=starts_on, until=until, period="Period 4",
                   day_type="A")  # fmt: skip


def tuesdays(weeks=6, at=time(10, 0), starts_on=date(2026, 11, 3), minutes=30) -> Pattern:
    return Pattern(minutes=minutes, starts_on=starts_on, count=weeks, weekday=1, at=at)


def series_request(world, pattern, teacher=None, mentor=None, **fields) -> services.SeriesRequest:
    return services.SeriesRequest(
        teacher_id=(teacher or world.teacher).id,
        mentor_id=(mentor or world.mentor).id,
        skill_id=world.skill.id,
        pattern=pattern,
        topic=fields.pop("topic", "Google Classroom every week"),
        learning_goal=fields.pop("learning_goal", "Run my class stream and grade in Classroom."),
        format=fields.pop("format", BookingFormat.IN_PERSON),
        room=fields.pop("room", "Library"),
        agrees_to_norms=True,
        **fields,
    )


@pytest.fixture
def book_series(db, world):
    def do(pattern=None, actor=None, confirmed=None, **fields):
        request = series_request(world, pattern or a_days(), **fields)
        teacher = db.session.get(User, request.teacher_id)
        outcome = services.book_series(actor or teacher, request, NOW, confirmed)
        db.session.commit()
        return outcome

    return do
