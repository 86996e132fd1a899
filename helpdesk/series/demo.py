"""The demo district's weekly series: one approved across the A/B rotation with a date skipped
for a holiday, and one waiting for the advisor. Found again by stable keys: a second run adds
nothing."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from helpdesk import demo_records
from helpdesk.accounts.models import Role, User
from helpdesk.bookings.models import BookingFormat
from helpdesk.calendar.models import Closure
from helpdesk.extensions import db
from helpdesk.series import services
from helpdesk.series.expansion import Pattern
from helpdesk.skills.models import Skill

APPROVED = "series:weekly-approved"
WAITING = "series:waiting"


def _person(name: str, role: Role) -> User | None:
    return db.session.scalar(
        db.select(User).where(User.full_name == name, User.role == role, User.is_active)
    )


def _skill(name: str) -> Skill | None:
    return db.session.scalar(db.select(Skill).where(Skill.name == name))


def _next_holiday(school_id: int, after: date) -> date | None:
    return db.session.scalar(
        db.select(Closure.on)
        .where(Closure.school_id == school_id, Closure.on >= after)
        .order_by(Closure.on)
    )


def seed_series(now: datetime) -> int:
    """Create the demo's two series if missing; returns how many were added."""
    advisor = db.session.scalar(db.select(User).where(User.role == Role.ADVISOR))
    mentor = _person("Priya Natarajan", Role.MENTOR)
    teacher = _person("Karen Lindqvist", Role.TEACHER)
    pair = _person("Maya Chen", Role.MENTOR), _person("Helen Park", Role.TEACHER)
    if advisor is None or mentor is None or teacher is None or None in pair:
        return 0
    today = now.astimezone(ZoneInfo(mentor.school.timezone)).date()
    created = 0
    if demo_records.created(APPROVED) is None:
        # Period 3 (9:50 AM) on the weekday of a holiday five weeks or more ahead: A and B days
        # by turn, and the holiday's week skipped, two weeks in. Not in the next two school
        # weeks, which Find a mentor opens on: those stay as the rest of the demo leaves them.
        holiday = _next_holiday(mentor.school_id, today + timedelta(weeks=5))
        if holiday is not None:
            starts_on = holiday - timedelta(weeks=2)
            pattern = Pattern(minutes=30, starts_on=starts_on, count=7,
                              weekday=holiday.weekday(), at=time(9, 50))  # fmt: skip
            outcome = _book(mentor, teacher, "Google Classroom", pattern, now, APPROVED,
                            "Run my class stream and return work with feedback every week.")  # fmt: skip
            if outcome is not None:
                services.approve_series(outcome.series, advisor)
                created += 1
    if demo_records.created(WAITING) is None:
        mentor, teacher = pair
        pattern = Pattern(minutes=30, starts_on=today + timedelta(weeks=3), count=6,
                          period="Period 4", day_type="A")  # fmt: skip
        if _book(mentor, teacher, "Video podcasts", pattern, now, WAITING,
                 "Edit our class podcast myself, one episode a week.") is not None:  # fmt: skip
            created += 1
    return created


def _book(mentor, teacher, skill_name, pattern, now, key, goal):
    skill = _skill(skill_name)
    if skill is None:
        return None
    request = services.SeriesRequest(
        teacher_id=teacher.id,
        mentor_id=mentor.id,
        skill_id=skill.id,
        pattern=pattern,
        topic=f"{skill_name}, every week",
        learning_goal=goal,
        format=BookingFormat.IN_PERSON,
        room="Library",
        request_key=f"demo-{key.replace(':', '-')}",
        agrees_to_norms=True,
    )
    try:
        with db.session.begin_nested():
            outcome = services.book_series(teacher, request, now)
    except services.SeriesError:
        return None
    demo_records.remember(key, outcome.series.id)
    return outcome
