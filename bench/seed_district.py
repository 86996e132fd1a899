"""Seed a school district at benchmark scale: fast, and the same rows every time for one seed.

Schools in several time zones with A/B rotations, early dismissals and closures; mentors with
skills, availability windows and time off; teachers; sessions spread over the term. Rows go in with
bulk inserts in batches and everyone shares one password hash. Every session sits in one slot of its
school's day (a bell period, or a before- or after-school block); a school's slots never overlap, a
mentor has one session per slot and the teachers of one slot are all different, so the database's
overlap guard accepts every row whatever its status. Optionally tips (with their search index) and
help requests.

    python -m bench.seed_district --url sqlite:///bench/.data/district.sqlite --sessions 100000
    python -m bench.seed_district --url ... --sessions 200000 --tips 100000 --requests 50000
"""

import argparse
import itertools
import math
import random
import sys
import time as clock
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import flask_migrate
from sqlalchemy import create_engine, insert, make_url, select, text

from bench import tips_search as tip_words
from helpdesk import create_app
from helpdesk.accounts.models import Role, User
from helpdesk.accounts.passwords import hash_password
from helpdesk.availability.models import AvailabilityWindow, TimeOff
from helpdesk.availability.services import program_settings
from helpdesk.availability.slots import Window
from helpdesk.bookings.models import Booking, BookingFormat, BookingStatus
from helpdesk.calendar import services as calendar
from helpdesk.calendar.models import Closure, DayType
from helpdesk.calendar.school_days import SchoolDay
from helpdesk.extensions import db
from helpdesk.mentors.models import MentorProfile, MentorSkill
from helpdesk.requests.models import HelpRequest, RequestStatus, Urgency
from helpdesk.requests.school_clock import school_seconds_between
from helpdesk.requests.services import desk_settings
from helpdesk.schools.models import School
from helpdesk.skills.models import Skill
from helpdesk.tips.models import Tip, TipStatus, tip_skill

ROOT = Path(__file__).resolve().parent
DEFAULT_SQLITE_URL = f"sqlite:///{ROOT / '.data' / 'district.sqlite'}"
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/helpdesk_bench_finder"
DOMAIN = "bench-district.example.org"
BENCH_PASSWORD = "bench-district-2027"  # noqa: S105 (benchmark accounts on a throwaway database)
BATCH = 5_000

TERM = (date(2026, 8, 31), date(2027, 6, 18))
# The benchmark's "now": a Wednesday afternoon in spring, with most of the term behind it.
NOW = datetime(2027, 3, 10, 15, 0, tzinfo=UTC)
BOOKED_AHEAD = timedelta(weeks=5)  # sessions exist up to this far after NOW
FUTURE_SHARE = 0.1  # of each mentor's sessions, the share still to come
IN_WINDOW_SHARE = 0.75  # of each mentor's sessions, the share inside their availability windows

TIMEZONES = (
    ["America/New_York"] * 9
    + ["America/Chicago"] * 6
    + ["America/Denver"] * 2
    + ["America/Phoenix", "America/Los_Angeles", "America/Detroit"]
)
TOWNS = [
    "Lincoln",
    "Maple",
    "Riverside",
    "Oak",
    "Hill",
    "Cedar",
    "Grove",
    "Lakeview",
    "Hillcrest",
    "Brookside",
    "Fairview",
    "Westfield",
    "Northgate",
    "Pinecrest",
    "Springdale",
    "Elmwood",
    "Greenfield",
    "Harbor",
    "Point",
    "Clearwater",
    "Stonebridge",
    "Meadowbrook",
    "Ridgeway",
    "Sunnyside",
    "Willow",
    "Creek",
    "Eastwood",
]
KINDS = ("High School", "Middle School", "Elementary School", "Elementary School")
GRADES = {"High School": (9, 12), "Middle School": (6, 8), "Elementary School": (4, 5)}
SCHEDULES = {  # (regular, early dismissal): every period lies between 08:00 and 15:05
    "High School": (
        "Period 1, 08:00, 08:50\nPeriod 2, 08:55, 09:45\nPeriod 3, 09:50, 10:40\n"
        "Period 4, 10:45, 11:35\nLunch, 11:40, 12:20\nPeriod 5, 12:25, 13:15\n"
        "Period 6, 13:20, 14:10\nPeriod 7, 14:15, 15:05",
        "Period 1, 08:00, 08:35\nPeriod 2, 08:40, 09:15\nPeriod 3, 09:20, 09:55\n"
        "Period 4, 10:00, 10:35\nLunch, 10:40, 11:10\nPeriod 5, 11:15, 11:50",
    ),
    "Middle School": (
        "Period 1, 08:10, 09:00\nPeriod 2, 09:05, 09:55\nPeriod 3, 10:00, 10:50\n"
        "Lunch, 10:55, 11:30\nPeriod 4, 11:35, 12:25\nPeriod 5, 12:30, 13:20\n"
        "Period 6, 13:25, 14:15\nAdvisory, 14:20, 14:55",
        "Period 1, 08:10, 08:45\nPeriod 2, 08:50, 09:25\nPeriod 3, 09:30, 10:05\n"
        "Lunch, 10:10, 10:40\nPeriod 4, 10:45, 11:20\nAdvisory, 11:25, 11:55",
    ),
    "Elementary School": (
        "Morning block, 08:30, 09:30\nReading, 09:35, 10:25\nMath, 10:30, 11:20\n"
        "Lunch, 11:25, 12:00\nScience, 12:05, 12:55\nSpecials, 13:00, 13:45\n"
        "Afternoon block, 13:50, 14:50",
        "Morning block, 08:30, 09:15\nReading, 09:20, 10:00\nMath, 10:05, 10:45\n"
        "Lunch, 10:50, 11:25",
    ),
}
BEFORE_SCHOOL = (time(7, 15), time(7, 55))
AFTER_SCHOOL = (time(15, 10), time(16, 30))
# Session slots outside the bell schedule; they lie inside the windows above.
EXTRA_SLOTS = (
    (time(7, 15), time(7, 55)),
    (time(15, 15), time(15, 45)),
    (time(15, 50), time(16, 20)),
)
CLOSURES = [
    (date(2026, 9, 7), "Labor Day"),
    (date(2026, 10, 12), "Indigenous Peoples' Day"),
    (date(2026, 11, 3), "Election Day (staff development)"),
    (date(2026, 11, 11), "Veterans Day"),
    (date(2026, 11, 26), "Thanksgiving"),
    (date(2026, 11, 27), "Thanksgiving break"),
    *[(date(2026, 12, d), "Winter break") for d in (24, 25, 28, 29, 30, 31)],
    (date(2027, 1, 1), "New Year's Day"),
    (date(2027, 1, 18), "Martin Luther King Jr. Day"),
    (date(2027, 2, 15), "Presidents' Day"),
    (date(2027, 2, 16), "Mid-winter recess"),
    *[(date(2027, 3, 29) + timedelta(days=d), "Spring break") for d in range(5)],
    (date(2027, 5, 31), "Memorial Day"),
]
EARLY_DISMISSALS = [date(2026, 11, 25), date(2026, 12, 23), date(2027, 3, 26)]
SKILLS = [  # (name, category, how many mentors lean towards it: a weight)
    ("Google Docs & Slides", "Docs", 5),
    ("Google Classroom", "Docs", 5),
    ("Spreadsheets", "Docs", 3),
    ("Email & cloud storage", "Docs", 3),
    ("Forms & quizzes", "Docs", 3),
    ("Chromebooks", "Devices", 5),
    ("iPad apps", "Devices", 4),
    ("Interactive whiteboards", "Devices", 3),
    ("Troubleshooting", "Devices", 4),
    ("Printing & projecting", "Devices", 2),
    ("Class websites", "Web", 2),
    ("Digital portfolios", "Web", 2),
    ("Social media & blogs", "Web", 1),
    ("Online safety", "Web", 2),
    ("Video podcasts", "Video", 3),
    ("Screen recording", "Video", 2),
    ("Photo editing", "Media", 2),
    ("Music & audio", "Media", 1),
    ("Coding with Scratch", "Coding", 2),
    ("Python basics", "Coding", 1),
    ("Robotics kits", "Coding", 1),
    ("3D printing", "Making", 1),
    ("Canva & posters", "Media", 3),
    ("Quiz games", "Classroom", 3),
    ("Accessibility tools", "Classroom", 2),
]
FIRST_NAMES = [
    "Maya",
    "Jordan",
    "Priya",
    "Leo",
    "Aisha",
    "Ethan",
    "Sofia",
    "Noah",
    "Zoe",
    "Lucas",
    "Amara",
    "Diego",
    "Hana",
    "Omar",
    "Chloe",
    "Mateo",
    "Nia",
    "Ravi",
    "Elena",
    "Kai",
    "Fatima",
    "Owen",
    "Lina",
    "Samuel",
    "Grace",
    "Yusuf",
    "Ava",
    "Tomas",
    "Mei",
    "Isaac",
    "Leila",
    "Marcus",
]
LAST_NAMES = [
    "Chen",
    "Ellis",
    "Natarajan",
    "Martins",
    "Bello",
    "Novak",
    "Ramirez",
    "Kim",
    "Adeyemi",
    "Moreau",
    "Park",
    "Gaines",
    "Alvarez",
    "Brennan",
    "Ito",
    "Whitaker",
    "Dunn",
    "Osei",
    "Lindqvist",
    "Reed",
    "Huang",
    "Fitzgerald",
    "Moretti",
    "Castillo",
    "Abernathy",
    "Kowalski",
    "Nguyen",
    "Haddad",
    "Okafor",
    "Silva",
    "Jensen",
    "Rossi",
    "Tanaka",
    "Mensah",
]
ASKS = (
    "getting started",
    "a lesson next week",
    "sharing with students",
    "fixing a problem",
    "a class project",
    "going further",
)
# Status mixes: sessions already held, and sessions still to come.
PAST_STATUSES = {
    BookingStatus.COMPLETED: 70,
    BookingStatus.NO_SHOW: 5,
    BookingStatus.CANCELLED: 11,
    BookingStatus.DECLINED: 6,
    BookingStatus.EXPIRED: 4,
    BookingStatus.APPROVED: 4,
}
FUTURE_STATUSES = {
    BookingStatus.APPROVED: 60,
    BookingStatus.REQUESTED: 25,
    BookingStatus.CANCELLED: 10,
    BookingStatus.DECLINED: 5,
}


@dataclass
class Mentor:
    id: int
    school_id: int
    skill_ids: list[int] = field(default_factory=list)
    offers_online: bool = True
    windows: list[Window] = field(default_factory=list)


@dataclass
class District:
    """What later tables need to know about the rows already seeded."""

    schools: list[School]
    kinds: dict[int, str]
    days: dict[int, dict[date, SchoolDay]]
    skills: dict[int, str]
    mentors: list[Mentor]
    teachers: dict[int, list[int]]


def seed(
    url: str,
    *,
    schools: int = 20,
    mentors: int = 1000,
    teachers: int = 5000,
    sessions: int = 100_000,
    tips: int = 0,
    help_requests: int = 0,
    seed: int = 42,
    now: datetime = NOW,
) -> dict[str, int]:
    """Recreate the database at url and fill it with a district; returns rows per table."""
    if teachers < mentors:
        raise ValueError("seed at least as many teachers as mentors")
    reset_database(url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    counts: dict[str, int] = {}
    with app.app_context():
        with _step("schema"):
            flask_migrate.upgrade()
        rng = random.Random(seed)
        program_settings()
        with _step("schools and calendars"):
            school_list = seed_schools(schools)
            days = seed_calendars(rng, school_list)
        district = District(
            schools=school_list,
            kinds={s.id: _kind(i) for i, s in enumerate(school_list)},
            days=days,
            skills=seed_skills(),
            mentors=[],
            teachers={},
        )
        with _step("users"):
            seed_users(rng, district, mentors, teachers)
        with _step("mentor profiles and skills"):
            seed_mentor_profiles(rng, district)
            seed_mentor_skills(rng, district)
        with _step("availability and time off"):
            seed_availability(rng, district, now)
            seed_time_off(rng, district, now)
        with _step("sessions"):
            seed_bookings(rng, district, sessions, now)
        if tips:
            with _step("tips and their search index"):
                seed_tips(random.Random(seed + 1), district, tips, now)
        if help_requests:
            with _step("help requests"):
                seed_help_requests(random.Random(seed + 2), district, help_requests, now)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with _step("vacuum and analyze"):
                vacuum(url)
        models = [School, User, MentorSkill, AvailabilityWindow, TimeOff, Booking]
        models += [Tip] if tips else []
        models += [HelpRequest] if help_requests else []
        for model in models:
            counts[model.__tablename__] = db.session.scalar(
                select(db.func.count()).select_from(model)
            )
        db.session.remove()
        db.engine.dispose()
    return counts


@contextmanager
def _step(name: str) -> Iterator[None]:
    started = clock.perf_counter()
    yield
    print(f"  {name}: {clock.perf_counter() - started:.1f} s", file=sys.stderr)


def _insert(model: type, rows: Sequence[dict]) -> None:
    for first in range(0, len(rows), BATCH):
        db.session.execute(insert(model), rows[first : first + BATCH])


def _kind(index: int) -> str:
    return KINDS[index % len(KINDS)]


# Databases -------------------------------------------------------------------------------------


def reset_database(url: str) -> None:
    """An empty database at url: a new SQLite file, or a PostgreSQL database made afresh."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database or "")
        if not parsed.database or parsed.database == ":memory:":
            raise ValueError("the benchmark needs a SQLite file, not an in-memory database")
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    name = _bench_database_name(url)
    server = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as connection:
            quoted = server.dialect.identifier_preparer.quote(name)
            connection.execute(text(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)"))
            connection.execute(text(f"CREATE DATABASE {quoted}"))
    finally:
        server.dispose()


def vacuum(url: str) -> None:
    """VACUUM ANALYZE a PostgreSQL database, as autovacuum soon does after bulk writes (13+):
    statistics for the planner, the visibility map that lets counts read indexes alone. SQLite
    keeps no statistics unless someone runs ANALYZE, and neither does the app."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
    finally:
        engine.dispose()


def database_exists(url: str) -> bool:
    """Whether url names a database that has been seeded (it has a booking table)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if not parsed.database or not Path(parsed.database).exists():
            return False
    else:
        server = create_engine(parsed.set(database="postgres"))
        try:
            with server.connect() as connection:
                found = connection.scalar(
                    text("SELECT 1 FROM pg_database WHERE datname = :name"),
                    {"name": parsed.database},
                )
        finally:
            server.dispose()
        if not found:
            return False
    engine = create_engine(parsed)
    try:
        with engine.connect() as connection:
            return connection.dialect.has_table(connection, "booking") and bool(
                connection.scalar(text("SELECT count(*) FROM booking"))
            )
    finally:
        engine.dispose()


def _bench_database_name(url: str) -> str:
    # This drops the database it is given: refuse anything not obviously a benchmark's own.
    name = make_url(url).database or ""
    if "bench" not in name:
        raise ValueError(f"refusing to recreate {name!r}: use a database named *bench*")
    return name


# Tables ----------------------------------------------------------------------------------------


def seed_schools(count: int) -> list[School]:
    schools = [
        School(
            name=f"{TOWNS[i % len(TOWNS)]} {_kind(i)}"
            + (f" {i // len(TOWNS) + 1}" if i >= 25 else ""),
            timezone=TIMEZONES[i % len(TIMEZONES)],
        )
        for i in range(count)
    ]
    db.session.add_all(schools)
    db.session.flush()
    return schools


def seed_calendars(rng: random.Random, schools: list[School]) -> dict[int, dict[date, SchoolDay]]:
    """Each school's term, bell schedules, A/B rotation, closures; returns its school days."""
    for index, school in enumerate(schools):
        regular, early = SCHEDULES[_kind(index)]
        calendar.set_term(school, *TERM)
        regular_schedule = calendar.save_schedule(
            school, "Regular", calendar.parse_periods(regular)
        )
        early_schedule = calendar.save_schedule(
            school, "Early dismissal", calendar.parse_periods(early)
        )
        calendar.save_day_type(school, "A", regular_schedule, 1)
        calendar.save_day_type(school, "B", regular_schedule, 2)
        for on in EARLY_DISMISSALS:
            calendar.set_day_exception(
                school, on, day_type=None, schedule=early_schedule, note="Early dismissal"
            )
        closed = dict(CLOSURES)
        # A few snow days of its own, each in the winter already behind us.
        for _ in range(rng.randint(0, 3)):
            on = date(2026, 12, 1) + timedelta(days=rng.randrange(90))
            if on.weekday() < 5:
                closed.setdefault(on, "Snow day")
        db.session.add_all(Closure(school_id=school.id, on=on, name=n) for on, n in closed.items())
    db.session.flush()
    calendars = calendar.load_calendars(schools)
    return {school.id: calendars[school.id].days(*TERM) for school in schools}


def seed_skills() -> dict[int, str]:
    _insert(
        Skill,
        [
            {"name": name, "category": category, "description": f"Help with {name.lower()}."}
            for name, category, _weight in SKILLS
        ],
    )
    return dict(db.session.execute(select(Skill.id, Skill.name).order_by(Skill.id)).all())


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def seed_users(rng: random.Random, district: District, mentors: int, teachers: int) -> None:
    """Mentors and teachers spread evenly over the schools, an advisor and staff; one hash."""
    password_hash = hash_password(BENCH_PASSWORD)
    created_at = datetime.combine(TERM[0] - timedelta(days=14), time(12), UTC)
    schools = district.schools
    rows = [
        _user_row("advisor", "Dana Whitfield", Role.ADVISOR, schools[0].id, None, password_hash)
    ]
    for index, school in enumerate(schools):
        rows.append(
            _user_row(f"staff{index:03d}", _name(rng), Role.STAFF, school.id, None, password_hash)
        )
    for n in range(mentors):
        index = n % len(schools)
        low, high = GRADES[_kind(index)]
        row = _user_row(
            f"student{n:05d}",
            _name(rng),
            Role.MENTOR,
            schools[index].id,
            rng.randint(low, high),
            password_hash,
        )
        row["is_active"] = rng.random() > 0.02
        rows.append(row)
    for n in range(teachers):
        rows.append(
            _user_row(
                f"teacher{n:05d}",
                _name(rng),
                Role.TEACHER,
                schools[n % len(schools)].id,
                None,
                password_hash,
            )
        )
    for row in rows:
        row["created_at"] = created_at
    _insert(User, rows)
    people = db.session.execute(
        select(User.id, User.role, User.school_id)
        .where(User.role.in_([Role.MENTOR, Role.TEACHER]))
        .order_by(User.id)
    )
    teachers_by_school: dict[int, list[int]] = defaultdict(list)
    for user_id, role, school_id in people:
        if role is Role.MENTOR:
            district.mentors.append(Mentor(user_id, school_id))
        else:
            teachers_by_school[school_id].append(user_id)
    district.teachers = dict(teachers_by_school)


def _user_row(
    local: str, name: str, role: Role, school_id: int, grade: int | None, password_hash: str
) -> dict:
    return {
        "email": f"{local}@{DOMAIN}",
        "full_name": name,
        "role": role,
        "school_id": school_id,
        "grade": grade,
        "password_hash": password_hash,
    }


def seed_mentor_profiles(rng: random.Random, district: District) -> None:
    rows = []
    for mentor in district.mentors:
        mentor.offers_online = rng.random() < 0.7
        rows.append(
            {
                "user_id": mentor.id,
                "bio": "I like helping teachers try new tools in class.",
                "story": "I started by fixing my family's Wi-Fi, then joined the tech team.",
                "weekly_cap": rng.choices([None, 2, 4], weights=[8, 1, 1])[0],
                "offers_online": mentor.offers_online,
                "offers_in_person": not mentor.offers_online or rng.random() < 0.85,
            }
        )
    _insert(MentorProfile, rows)


def seed_mentor_skills(rng: random.Random, district: District) -> None:
    """Two to five skills each, popular topics more often, with levels 1 to 3."""
    ids = list(district.skills)
    weights = {skill_id: SKILLS[n][2] for n, skill_id in enumerate(ids)}
    rows = []
    for mentor in district.mentors:
        # Weighted sampling without replacement (Efraimidis–Spirakis keys).
        ranked = sorted(ids, key=lambda s: -(rng.random() ** (1 / weights[s])))
        mentor.skill_ids = ranked[: rng.randint(2, 5)]
        rows += [
            {"mentor_id": mentor.id, "skill_id": s, "level": rng.choices([1, 2, 3], [3, 4, 2])[0]}
            for s in mentor.skill_ids
        ]
    _insert(MentorSkill, rows)


def _weekday_set(rng: random.Random, low: int, high: int) -> frozenset[int]:
    return frozenset(rng.sample(range(5), rng.randint(low, high)))


def _mask(weekdays: frozenset[int]) -> int:
    return sum(1 << d for d in weekdays)


def seed_availability(rng: random.Random, district: District, now: datetime) -> None:
    """One to four windows per mentor that never overlap: periods, lunch, before/after school."""
    day_type_ids = {
        (school_id, name): type_id
        for type_id, school_id, name in db.session.execute(
            select(DayType.id, DayType.school_id, DayType.name)
        )
    }
    periods_by_kind = {
        kind: [p.name for p in calendar.parse_periods(regular) if p.name != "Lunch"]
        for kind, (regular, _early) in SCHEDULES.items()
    }
    rows = []
    for mentor in district.mentors:
        kinds = rng.sample(["period", "period", "lunch", "before", "after"], rng.randint(1, 4))
        if "after" not in kinds and rng.random() < 0.1:
            kinds.append("one-off")
        used_periods: set[str] = set()
        for kind in kinds:
            day_type = None
            if kind == "period":
                free = [
                    p
                    for p in periods_by_kind[district.kinds[mentor.school_id]]
                    if p not in used_periods
                ]
                name = rng.choice(free)
                used_periods.add(name)
                day_type = rng.choice(["A", "B", None])
                window = Window(period=name, day_types=frozenset([day_type] if day_type else []))
            elif kind == "lunch":
                window = Window(
                    period="Lunch", weekdays=rng.choice([frozenset(), _weekday_set(rng, 2, 4)])
                )
            elif kind == "before":
                window = Window(*BEFORE_SCHOOL, weekdays=_weekday_set(rng, 1, 3))
            elif kind == "after":
                window = Window(
                    *AFTER_SCHOOL, weekdays=rng.choice([frozenset(), _weekday_set(rng, 1, 3)])
                )
            else:
                ahead = [
                    d for d in district.days[mentor.school_id] if 0 < (d - now.date()).days < 21
                ]
                window = Window(*AFTER_SCHOOL, on=rng.choice(ahead))
            mentor.windows.append(window)
            rows.append(
                {
                    "mentor_id": mentor.id,
                    "period_name": window.period,
                    "start_time": window.start,
                    "end_time": window.end,
                    "weekdays": _mask(window.weekdays),
                    "day_type_id": day_type_ids[(mentor.school_id, day_type)] if day_type else None,
                    "on": window.on,
                }
            )
    _insert(AvailabilityWindow, rows)


def seed_time_off(rng: random.Random, district: District, now: datetime) -> None:
    """About one mentor in eight takes a few days off, before or after now."""
    rows = []
    for mentor in district.mentors:
        if rng.random() < 0.125:
            starts_on = now.date() + timedelta(days=rng.randint(-120, 40))
            rows.append(
                {
                    "mentor_id": mentor.id,
                    "starts_on": starts_on,
                    "ends_on": starts_on + timedelta(days=rng.randint(0, 6)),
                    "note": rng.choice(["Exams", "Family trip", "Sports tournament", ""]),
                }
            )
    _insert(TimeOff, rows)


def _slots_of(day: SchoolDay) -> list[tuple[time, time]]:
    """A school day's session slots: its periods, then blocks before and after school."""
    return [(p.start, p.end) for p in day.periods] + list(EXTRA_SLOTS)


def _split(total: int, weights: list[float]) -> list[int]:
    """total split in proportion to weights, exactly (largest remainder)."""
    shares = [total * w / sum(weights) for w in weights]
    counts = [math.floor(s) for s in shares]
    by_remainder = sorted(range(len(shares)), key=lambda i: counts[i] - shares[i])
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _pick_slots(
    rng: random.Random, mentor: Mentor, days: list[SchoolDay], count: int
) -> list[tuple[SchoolDay, int]]:
    """count distinct (day, slot) pairs, most inside the mentor's windows."""
    in_window = []
    for day in days:
        for window in mentor.windows:
            times = window.times_on(day) if window.applies_to(day) else None
            if times is None:
                continue
            for index, (opens, closes) in enumerate(_slots_of(day)):
                if times[0] <= opens and closes <= times[1]:
                    in_window.append((day, index))
    in_window = list(dict.fromkeys(in_window))
    chosen = rng.sample(in_window, min(len(in_window), round(count * IN_WINDOW_SHARE)))
    taken = {(day.on, index) for day, index in chosen}
    capacity = sum(len(_slots_of(day)) for day in days)
    while len(chosen) < min(count, capacity):
        day = rng.choice(days)
        index = rng.randrange(len(_slots_of(day)))
        if (day.on, index) not in taken:
            taken.add((day.on, index))
            chosen.append((day, index))
    return chosen


def seed_bookings(rng: random.Random, district: District, sessions: int, now: datetime) -> None:
    """Sessions over the term up to a few weeks ahead, in disjoint slots, across all statuses."""
    counts = _split(sessions, [rng.lognormvariate(0, 0.5) for _ in district.mentors])
    by_slot: dict[tuple[int, date, int], list[tuple[Mentor, SchoolDay]]] = defaultdict(list)
    for mentor, count in zip(district.mentors, counts, strict=True):
        school_days = district.days[mentor.school_id]
        past = [d for on, d in school_days.items() if on < now.date()]
        ahead = [
            d for on, d in school_days.items() if now.date() < on <= (now + BOOKED_AHEAD).date()
        ]
        future_count = round(count * FUTURE_SHARE)
        picks = _pick_slots(rng, mentor, past, count - future_count)
        picks += _pick_slots(rng, mentor, ahead, future_count)
        for day, index in picks:
            by_slot[(mentor.school_id, day.on, index)].append((mentor, day))

    zones = {school.id: ZoneInfo(school.timezone) for school in district.schools}
    rows = []
    for (school_id, on, index), group in by_slot.items():
        teachers = rng.sample(district.teachers[school_id], len(group))
        for (mentor, day), teacher_id in zip(group, teachers, strict=True):
            opens, closes = _slots_of(day)[index]
            starts_at = datetime.combine(on, opens, zones[school_id]).astimezone(UTC)
            length = (datetime.combine(on, closes) - datetime.combine(on, opens)).seconds // 60
            minutes = min(rng.choice([20, 30, 30, 45]), length)
            rows.append(_booking_row(rng, mentor, teacher_id, district, starts_at, minutes, now))
    # Latest first: SQLite's overlap trigger then scans almost nothing for each new row.
    rows.sort(key=lambda row: row["starts_at"], reverse=True)
    for number, row in enumerate(rows):
        row["uid"] = f"bench-{number}@helpdesk"
    _insert(Booking, rows)


def _booking_row(
    rng: random.Random,
    mentor: Mentor,
    teacher_id: int,
    district: District,
    starts_at: datetime,
    minutes: int,
    now: datetime,
) -> dict:
    mix = PAST_STATUSES if starts_at < now else FUTURE_STATUSES
    status = rng.choices(list(mix), weights=list(mix.values()))[0]
    skill_id = rng.choice(mentor.skill_ids)
    online = mentor.offers_online and rng.random() < 0.3
    created_at = min(starts_at - timedelta(days=rng.uniform(1, 21)), now - timedelta(hours=1))
    return {
        "mentor_id": mentor.id,
        "teacher_id": teacher_id,
        "skill_id": skill_id,
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(minutes=minutes),
        "status": status,
        "topic": f"{district.skills[skill_id]}: {rng.choice(ASKS)}",
        "learning_goal": "Be able to do it on my own with my class.",
        "format": BookingFormat.ONLINE if online else BookingFormat.IN_PERSON,
        "room": "" if online else f"Room {rng.randint(100, 350)}",
        "meeting_url": f"https://meet.{DOMAIN}/{rng.getrandbits(40):x}" if online else "",
        "created_at": created_at,
        "updated_at": created_at,
    }


# Tips and help requests ------------------------------------------------------------------------

# bench/tips_search.py draws its rare words with this seed; its "rare word" queries then find ours.
RARE_WORDS_SEED = 20261122
TIP_STATUSES = {
    TipStatus.PUBLISHED: 94,
    TipStatus.SUBMITTED: 3,
    TipStatus.DRAFT: 2,
    TipStatus.RETURNED: 1,
}
TIP_DEVICES = [1, 2, 4, 8, 16, 3, 12, 16]  # bitmasks of helpdesk.tips.models.Device
ACTIVE_REQUESTS = {RequestStatus.OPEN: 50, RequestStatus.CLAIMED: 35, RequestStatus.WAITING: 15}
SETTLED_REQUESTS = {
    RequestStatus.RESOLVED: 70,
    RequestStatus.CLOSED: 15,
    RequestStatus.ESCALATED: 8,
    RequestStatus.SELF_SERVED: 7,
}
# Chance that a request of this age (days, up to) is still on the desk at "now".
STILL_ACTIVE = ((1, 0.85), (3, 0.4), (7, 0.1))
URGENCIES = {Urgency.NOW: 15, Urgency.WEEK: 55, Urgency.WHENEVER: 30}
PROBLEMS = (
    "will not open",
    "students cannot see it",
    "lost my work",
    "how do I share it with my class?",
    "sound is not working",
    "it asks for a password every time",
    "the screen is frozen",
    "cannot print from it",
    "need it ready for tomorrow's lesson",
    "it looks different on the students' devices",
)
REQUEST_DEVICES = ("iPad", "Chromebook", "Windows laptop", "Mac", "Smartboard", "Projector", "")


def _pick(rng: random.Random, mix: dict):
    return rng.choices(list(mix), weights=list(mix.values()))[0]


def _tip_text(rng: random.Random, rare: list[str], cumulative: list[float]) -> tuple[str, str, str]:
    """(title, Markdown body, the body as plain text) in the words of bench/tips_search.py."""

    def fill(template: str) -> str:
        return template.format(
            app=rng.choice(tip_words.APPS),
            device=rng.choice(tip_words.DEVICES),
            action=rng.choice(tip_words.ACTIONS),
            obj=rng.choice(tip_words.OBJECTS),
            setting=rng.choice(tip_words.SETTINGS),
        )

    title = fill(rng.choice(tip_words.TITLES))
    paragraphs = []
    for _ in range(rng.randint(2, 4)):
        sentences = [fill(rng.choice(tip_words.SENTENCES)) for _ in range(rng.randint(2, 4))]
        # A few uncommon words per tip, Zipf-weighted (cumulative weights: a bisect per draw).
        words = rng.choices(rare, cum_weights=cumulative, k=rng.randint(1, 3))
        sentences.append("Also useful: " + ", ".join(words) + ".")
        paragraphs.append(" ".join(sentences))
    steps = [fill(rng.choice(tip_words.SENTENCES)) for _ in range(rng.randint(1, 4))]
    body = "\n\n".join(paragraphs) + "\n\n" + "\n".join(f"{n}. {s}" for n, s in enumerate(steps, 1))
    # What render_plain() makes of this body, without parsing 100,000 of them.
    plain = " ".join(" ".join(paragraphs + steps).split())
    return (title[0].upper() + title[1:])[:120], body, plain


def seed_tips(rng: random.Random, district: District, count: int, now: datetime) -> None:
    """Tips by mentors on their own skills over two years, mostly published; the search index
    (FTS5 triggers on SQLite, a generated tsvector column on PostgreSQL) fills as rows go in."""
    rare = tip_words._rare_words(random.Random(RARE_WORDS_SEED), 20_000)
    cumulative = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(rare))))
    first = now - timedelta(days=730)
    step = (now - first) / count
    rows, links = [], []
    for n in range(count):
        title, body, plain = _tip_text(rng, rare, cumulative)
        mentor = rng.choice(district.mentors)
        skill_ids = rng.sample(mentor.skill_ids, min(len(mentor.skill_ids), rng.randint(1, 3)))
        status = _pick(rng, TIP_STATUSES)
        created_at = first + step * (n + rng.random())
        published_at = min(created_at + timedelta(days=rng.uniform(0.5, 3)), now)
        rows.append(
            {
                "id": n + 1,
                "title": title,
                "body": body,
                "body_text": plain,
                "tags_text": ", ".join(sorted(district.skills[s] for s in skill_ids)),
                "devices": rng.choice(TIP_DEVICES),
                "status": status,
                "review_comment": "Please remove the student's name."
                if status is TipStatus.RETURNED
                else "",
                "author_id": mentor.id,
                "mentor_id": mentor.id,
                "view_count": rng.randint(0, 500),
                "helpful_count": rng.randint(0, 40),
                "created_at": created_at,
                "updated_at": published_at if status is TipStatus.PUBLISHED else created_at,
                "published_at": published_at if status is TipStatus.PUBLISHED else None,
            }
        )
        links += [{"tip_id": n + 1, "skill_id": s} for s in skill_ids]
    _insert(Tip, rows)
    _insert(tip_skill, links)
    if db.session.get_bind().dialect.name == "postgresql":
        # Tips went in with their ids: move the sequence past them for tips written later.
        db.session.execute(
            text("SELECT setval(pg_get_serial_sequence('tip', 'id'), max(id)) FROM tip")
        )


def seed_help_requests(rng: random.Random, district: District, count: int, now: datetime) -> None:
    """Requests from teachers and staff in school hours over the term; most settled, the last
    few days' still on the desk (open, claimed or waiting), as a busy district's desk would be."""
    desk_settings()
    askers: dict[int, list[int]] = {k: list(v) for k, v in district.teachers.items()}
    for user_id, school_id in db.session.execute(
        select(User.id, User.school_id).where(User.role == Role.STAFF)
    ):
        askers[school_id].append(user_id)
    mentors_for: dict[tuple[int, int], list[int]] = defaultdict(list)
    for mentor in district.mentors:
        for skill_id in mentor.skill_ids:
            mentors_for[(mentor.school_id, skill_id)].append(mentor.id)
            mentors_for[(0, skill_id)].append(mentor.id)
    zones = {school.id: ZoneInfo(school.timezone) for school in district.schools}
    school_days = [
        (school_id, on)
        for school_id, days in district.days.items()
        for on in days
        if on <= now.date()
    ]
    skill_ids = list(district.skills)
    skill_weights = [SKILLS[n][2] for n in range(len(skill_ids))]
    rows = []
    while len(rows) < count:
        school_id, on = rng.choice(school_days)
        opened = datetime.combine(on, time(8), zones[school_id]) + timedelta(
            minutes=rng.randrange(7 * 60)
        )
        created_at = opened.astimezone(UTC)
        if created_at >= now:
            continue
        age = now - created_at
        active = rng.random() < next(
            (p for days, p in STILL_ACTIVE if age < timedelta(days=days)), 0
        )
        status = _pick(rng, ACTIVE_REQUESTS if active else SETTLED_REQUESTS)
        skill_id = rng.choices(skill_ids, weights=skill_weights)[0]
        row = _help_request_row(rng, status, created_at, now)
        row |= {
            "requester_id": rng.choice(askers[school_id]),
            "skill_id": skill_id,
            "summary": f"{district.skills[skill_id]}: {rng.choice(PROBLEMS)}",
        }
        if row.pop("has_mentor"):
            row["mentor_id"] = rng.choice(
                mentors_for.get((school_id, skill_id)) or mentors_for[(0, skill_id)]
            )
            if status is RequestStatus.RESOLVED:
                row["resolved_by_id"] = row["mentor_id"]
        if row["resolved_at"] is not None:  # as resolve_request stores it
            row["school_seconds_to_resolve"] = round(
                school_seconds_between(
                    created_at, row["resolved_at"], district.days[school_id], zones[school_id]
                )
            )
        rows.append(row)
    rows.sort(key=lambda row: row["created_at"])
    _insert(HelpRequest, rows)


def _help_request_row(
    rng: random.Random, status: RequestStatus, created_at: datetime, now: datetime
) -> dict:
    """The timestamps a request in this status has, each after the one before and before now."""

    def later(moment: datetime, low: float, high: float) -> datetime:
        return min(moment + timedelta(hours=rng.uniform(low, high)), now)

    S = RequestStatus
    has_mentor = status in (S.CLAIMED, S.WAITING, S.RESOLVED) or (
        status is S.ESCALATED and rng.random() < 0.5
    )
    claimed_at = later(created_at, 0.1, 6) if has_mentor else None
    answered = has_mentor and (status is not S.CLAIMED or rng.random() < 0.7)
    first_response_at = later(claimed_at, 0, 1) if answered else None
    row = {
        "status": status,
        "details": "It worked last week. I tried restarting it. Screenshots on request.",
        "device": rng.choice(REQUEST_DEVICES),
        "urgency": _pick(rng, URGENCIES),
        "room": f"Room {rng.randint(100, 350)}",
        "around": rng.choice(["", "Period 3", "after school", "lunch"]),
        "created_at": created_at,
        "claimed_at": claimed_at,
        "first_response_at": first_response_at,
        "waiting_since_at": later(first_response_at, 0, 4) if status is S.WAITING else None,
        "resolved_at": later(first_response_at, 0.5, 48) if status is S.RESOLVED else None,
        "escalated_at": later(created_at, 1, 48) if status is S.ESCALATED else None,
        "has_mentor": has_mentor,
    }
    moments = [created_at] + [v for k, v in row.items() if k.endswith("_at") and v is not None]
    row["updated_at"] = max(moments)
    return row


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=DEFAULT_SQLITE_URL, help="database to (re)create")
    parser.add_argument("--schools", type=int, default=20)
    parser.add_argument("--mentors", type=int, default=1000)
    parser.add_argument("--teachers", type=int, default=5000)
    parser.add_argument("--sessions", type=int, default=100_000)
    parser.add_argument("--tips", type=int, default=0)
    parser.add_argument("--requests", type=int, default=0, help="help requests")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    started = clock.perf_counter()
    counts = seed(
        args.url,
        schools=args.schools,
        mentors=args.mentors,
        teachers=args.teachers,
        sessions=args.sessions,
        tips=args.tips,
        help_requests=args.requests,
        seed=args.seed,
    )
    print(
        f"seeded {make_url(args.url).render_as_string()} in {clock.perf_counter() - started:.0f} s"
    )
    for table, count in counts.items():
        print(f"  {table}: {count:,}")


if __name__ == "__main__":
    main()
