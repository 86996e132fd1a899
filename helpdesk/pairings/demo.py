"""The demo district's pairings: teachers with free periods, three active pairings with goals
and progress (one that has not met in over two weeks), one closed with both reflections, and one
teacher's request waiting for the advisor. Each is made once, through the services, under a
stable key (helpdesk.demo_records), with dates placed around today."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from helpdesk.accounts.models import Role, User
from helpdesk.bookings.models import Booking
from helpdesk.demo_records import created, remember
from helpdesk.extensions import db
from helpdesk.pairings import free_periods, services
from helpdesk.pairings.models import GoalStatus, Pairing

# Teachers' free periods, as (column index in the school's grid, period name).
FREE = {
    "Helen Park": ((0, "Period 4"), (1, "Period 6"), (0, "Lunch"), (1, "Lunch")),
    "Susan Ito": ((0, "Period 3"), (1, "Period 3"), (1, "Period 4")),
    "Linda Alvarez": ((0, "Period 7"), (1, "Period 2")),
    "Nancy Huang": ((0, "Lunch"), (1, "Period 1"), (1, "Lunch")),
    "Angela Moretti": ((0, "Period 6"), (1, "Period 5")),
    "Robert Gaines": ((1, "Block 2"), (3, "Specials"), (4, "Lunch")),
    "Brian Castillo": ((0, "Lunch"), (2, "Specials")),
}


@dataclass(frozen=True)
class DemoPairing:
    key: str
    teacher: str
    mentor: str
    weeks_ago: int  # when it started
    focus: str
    goals: tuple[tuple[str, GoalStatus, str, int], ...]  # text, status now, note, days ago
    closed_weeks_ago: int | None = None
    reflections: tuple[tuple[str, dict], ...] = ()  # ("teacher" or "mentor", answers)


PAIRINGS = (
    DemoPairing(
        "helen-maya",
        "Helen Park",
        "Maya Chen",
        12,
        "A class video channel my students can post to, safely.",
        (
            (
                "Record and trim a lesson video on my own",
                GoalStatus.MET,
                "Trimmed the fractions intro without help",
                20,
            ),
            (
                "Students submit videos through Classroom",
                GoalStatus.IN_PROGRESS,
                "First assignment set up; two students posted",
                6,
            ),
            ("Caption every video I publish", GoalStatus.NOT_STARTED, "", 0),
        ),
    ),
    DemoPairing(
        "susan-lucas",
        "Susan Ito",
        "Lucas Moreau",
        8,
        "Spreadsheets for my lab data: charts the class can read.",
        (
            (
                "Make a chart from the lab's data table",
                GoalStatus.MET,
                "Line chart of the pendulum lab, with labels",
                9,
            ),
            ("Share a template each group copies", GoalStatus.IN_PROGRESS, "Template drafted", 4),
        ),
    ),
    DemoPairing(
        "robert-ava",
        "Robert Gaines",
        "Ava Thompson",
        9,
        "Reading apps on the class iPads, set up once for the year.",
        (
            (
                "Set up the reading app for every reading group",
                GoalStatus.IN_PROGRESS,
                "Two of four groups done",
                40,
            ),
        ),
    ),
    DemoPairing(
        "linda-priya",
        "Linda Alvarez",
        "Priya Natarajan",
        12,
        "Digital portfolios for my art students.",
        (
            ("Each student has a portfolio site", GoalStatus.MET, "All 26 set up", 60),
            ("Photograph work well enough to post", GoalStatus.MET, "Lightbox corner works", 50),
        ),
        closed_weeks_ago=3,
        reflections=(
            (
                "teacher",
                {
                    "about_program": "I was sceptical; now I think every department should do it.",
                    "view_change": "Less scary. I can break things and fix them.",
                    "future_use": "Portfolios for every class next year, set up in September.",
                    "learned": "Site templates, sharing settings, photographing artwork.",
                    "applied": "My students curate their own portfolios for the spring show.",
                },
            ),
            (
                "mentor",
                {
                    "about_program": "Teaching an adult is harder than it looks, and more fun.",
                    "view_change": "I see how much setup teachers do before a lesson.",
                    "future_use": "I want to help the other art teachers next term.",
                    "learned": "To explain slowly and let her drive the mouse.",
                    "applied": "I wrote two tips for the library from our sessions.",
                },
            ),
        ),
    ),
)
REQUEST = (
    "Nancy Huang",
    "Noah Kim",
    "I'd like a regular mentor for iPad apps in my reading centers.",
)


def seed_pairings(now: datetime, domain: str) -> int:
    """Create the missing demo pairings; returns how many records were added."""
    people = {
        u.full_name: u
        for u in db.session.scalars(select(User).where(User.email.like(f"%@{domain}")))
    }
    advisor = next((u for u in people.values() if u.role is Role.ADVISOR and u.is_active), None)
    if advisor is None:
        return 0
    count = 0
    for name, choices in FREE.items():
        count += _free_periods(people.get(name), choices)
    for demo in PAIRINGS:
        count += _pairing(demo, people, advisor, now)
    count += _request(people, now)
    return count


def _today(user: User, now: datetime) -> date:
    return now.astimezone(ZoneInfo(user.school.timezone)).date()


def _free_periods(teacher: User | None, choices) -> int:
    key = f"pairings:free:{teacher.email if teacher else ''}"
    if teacher is None or created(key) is not None:
        return 0
    columns = free_periods.grid(teacher.school_id)
    keys = [
        free_periods.choice_key(columns[i], period)
        for i, period in choices
        if i < len(columns) and period in columns[i].periods
    ]
    free_periods.set_free_periods(teacher, keys)
    remember(key, teacher.id)
    return 1


def _skill_of(teacher: User, mentor: User):
    booking = db.session.scalar(
        select(Booking)
        .where(Booking.teacher_id == teacher.id, Booking.mentor_id == mentor.id)
        .order_by(Booking.starts_at.desc())
        .limit(1)
    )
    return booking.skill if booking else None


def _at(user: User, day: date) -> datetime:
    return datetime.combine(day, time(15, 30), ZoneInfo(user.school.timezone)).astimezone(UTC)


def _pairing(demo: DemoPairing, people: dict, advisor: User, now: datetime) -> int:
    key = f"pairings:{demo.key}"
    teacher, mentor = people.get(demo.teacher), people.get(demo.mentor)
    if created(key) is not None or teacher is None or mentor is None:
        return 0
    if not (teacher.is_active and mentor.is_active):
        return 0
    today = _today(teacher, now)
    starts_on = today - timedelta(weeks=demo.weeks_ago)
    term_end = teacher.school.term_ends_on or today + timedelta(weeks=20)
    started = _at(teacher, starts_on)
    try:
        pairing = services.create_pairing(
            advisor, teacher, mentor, starts_on=starts_on, ends_on=term_end,
            skill=_skill_of(teacher, mentor), focus=demo.focus,
            goals=[text for text, *_rest in demo.goals], now=started,
        )  # fmt: skip
    except services.PairingError:
        return 0  # someone paired them by hand meanwhile
    services.agree_norms(pairing, teacher, started + timedelta(days=2))
    services.agree_norms(pairing, mentor, started + timedelta(days=2))
    for goal, (_text, status, note, days_ago) in zip(pairing.goals, demo.goals, strict=True):
        when = _at(teacher, today - timedelta(days=days_ago))
        if status is GoalStatus.MET:
            services.update_goal(goal, mentor, GoalStatus.IN_PROGRESS, "", when - timedelta(days=7))
            services.update_goal(goal, teacher, status, note, when)
        elif status is GoalStatus.IN_PROGRESS:
            services.update_goal(goal, mentor, status, note, when)
    if demo.closed_weeks_ago is not None:
        closed = _at(teacher, today - timedelta(weeks=demo.closed_weeks_ago))
        pairing.ends_on = closed.date()
        services.close_pairing(pairing, teacher, closed)
        for side, answers in demo.reflections:
            author = teacher if side == "teacher" else mentor
            services.reflect(pairing, author, services.ReflectionInput(**answers), closed)
    remember(key, pairing.id)
    return 1


def _request(people: dict, now: datetime) -> int:
    key = "pairings:request"
    teacher_name, mentor_name, focus = REQUEST
    teacher, mentor = people.get(teacher_name), people.get(mentor_name)
    if created(key) is not None or teacher is None:
        return 0
    waiting = db.session.scalar(
        select(Pairing.id).where(Pairing.teacher_id == teacher.id, Pairing.status == "requested")
    )
    if waiting is not None:
        return 0
    today = _today(teacher, now)
    pairing = services.request_pairing(
        teacher, skill=_skill_of(teacher, mentor) if mentor else None, focus=focus,
        starts_on=today + timedelta(days=7),
        ends_on=teacher.school.term_ends_on or today + timedelta(weeks=12),
        asked_mentor=mentor if mentor is not None and mentor.is_active else None,
        now=now - timedelta(days=2),
    )  # fmt: skip
    remember(key, pairing.id)
    return 1
