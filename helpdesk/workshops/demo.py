"""The demo district's workshops: one full with a waitlist, one with seats left, one past with
attendance taken, reflections and a tip, and one waiting for approval. Each is made once,
through the services, under a stable key (helpdesk.demo_records); times are after school, on
weekdays placed around today."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from helpdesk.accounts.models import Role, User
from helpdesk.bookings.models import BookingFormat
from helpdesk.demo_records import created, remember
from helpdesk.extensions import db
from helpdesk.reflections.services import ReflectionInput
from helpdesk.skills.models import Skill
from helpdesk.tips.models import Device
from helpdesk.tips.services import create_tip, submit_tip
from helpdesk.workshops import services

AFTER_SCHOOL = time(15, 30)


@dataclass(frozen=True)
class DemoWorkshop:
    key: str
    title: str
    skill: str
    description: str
    days: int  # school days from today (negative: past)
    seats: int
    mentors: tuple[str, ...]  # demo mentor logins, the first proposes
    teachers: tuple[str, ...]  # who signs up, in this order
    approved: bool = True
    room: str = "Library"


WORKSHOPS = (
    DemoWorkshop(
        "forms-quizzes",
        "Self-marking quizzes with Google Forms",
        "Google Docs & Slides",
        "Build a ten-question quiz that marks itself, share it with a class and read the "
        "answers as a chart. Bring a Chromebook or laptop.",
        3,
        4,
        ("maya.chen", "leo.martins"),
        (
            "helen.park",
            "angela.moretti",
            "brian.castillo",
            "david.osei",
            "karen.lindqvist",
            "linda.alvarez",
        ),
    ),  # fmt: skip
    DemoWorkshop(
        "class-site-basics",
        "Your class website in one hour",
        "Class websites",
        "Start a Google Site for your class: pages, a calendar and a place for homework.",
        6,
        12,
        ("aisha.bello",),
        ("james.whitaker", "nancy.huang", "patricia.dunn"),
        room="Room 214",
    ),
    DemoWorkshop(
        "ipad-video",
        "Short videos on the iPad",
        "Video podcasts",
        "Film, trim and share a two-minute video with iMovie.",
        -4,
        8,
        ("ethan.novak", "zoe.adeyemi"),
        ("michael.brennan", "ruth.abernathy", "susan.ito"),
    ),
    DemoWorkshop(
        "screencasts",
        "Screencasts for absent students",
        "Video podcasts",
        "Record your screen and voice so a student who missed class can catch up.",
        9,
        10,
        ("noah.kim",),
        (),
        approved=False,
    ),
)


def _school_day(today: date, days: int) -> date:
    """`days` weekdays from today (backwards when negative)."""
    step = 1 if days >= 0 else -1
    day, left = today, abs(days)
    while left:
        day += timedelta(days=step)
        if day.weekday() < 5:
            left -= 1
    return day


def _person(login: str, domain: str) -> User | None:
    return db.session.scalar(db.select(User).where(User.email == f"{login}@{domain}"))


def seed_workshops(now: datetime, domain: str, skills: dict[str, Skill | None]) -> int:
    """Create the missing demo workshops; returns how many were added."""
    advisor = db.session.scalar(db.select(User).where(User.email == f"advisor@{domain}"))
    if advisor is None:
        return 0
    count = 0
    for demo in WORKSHOPS:
        count += _workshop(demo, now, domain, skills, advisor)
    return count


def _workshop(demo, now, domain, skills, advisor) -> int:
    key = f"workshop:{demo.key}"
    skill = skills.get(demo.skill)
    mentors = [_person(f"student.{m}", domain) for m in demo.mentors]
    if created(key) is not None or skill is None or None in mentors:
        return 0
    zone = ZoneInfo(mentors[0].school.timezone)
    day = _school_day(now.astimezone(zone).date(), demo.days)
    starts_at = datetime.combine(day, AFTER_SCHOOL, zone)
    # a past workshop is proposed, approved and signed up for as of two weeks before it
    then = min(now, starts_at - timedelta(days=14))
    data = services.WorkshopInput(
        skill_id=skill.id,
        title=demo.title,
        description=demo.description,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        format=BookingFormat.IN_PERSON,
        room=demo.room,
        meeting_url="",
        seats=demo.seats,
        mentor_ids=tuple(m.id for m in mentors),
    )
    try:
        with db.session.begin_nested():
            workshop = services.propose_workshop(mentors[0], data, then)
    except services.WorkshopError:
        return 0  # a mentor is busy then (a person's own sessions moved): leave it out
    if demo.approved:
        services.approve_workshop(workshop, advisor)
    for n, login in enumerate(demo.teachers):
        teacher = _person(login, domain)
        if teacher is not None and teacher.role in (Role.TEACHER, Role.STAFF):
            services.sign_up(workshop, teacher, then + timedelta(minutes=n))
    if demo.days < 0:
        _after(workshop, mentors, now)
    remember(key, workshop.id)
    return 1


def _after(workshop, mentors: list[User], now: datetime) -> None:
    seated = [s.teacher for s in services.signed_up(workshop)]
    came = {t.id for t in seated[:-1]}  # all but one came
    services.take_attendance(workshop, mentors[0], came, now)
    services.reflect(
        workshop,
        seated[0],
        ReflectionInput(
            learned="How to trim a clip and add a title in iMovie.",
            classroom_use="Students will film their lab steps next week.",
            rating=5,
            kudos="Patient and clear, thank you!",
        ),
    )
    services.reflect(
        workshop,
        mentors[0],
        ReflectionInput(went_well="Everyone finished a video.", try_next="Shorter intro."),
    )
    tip = create_tip(
        author=mentors[0],
        title="Trim a video clip in iMovie on the iPad",
        body="1. Tap the clip in the timeline.\n2. Drag the yellow handles to trim.\n"
        "3. Tap Done, then Share to save it to Photos.",
        skills=[workshop.skill],
        devices=[Device.IPAD],
        workshop=workshop,
    )
    submit_tip(tip, by=mentors[0])
