"""The demo district: two schools and a small tech team, with known passwords."""

from datetime import date

from helpdesk.accounts.models import Role, User
from helpdesk.accounts.passwords import hash_password
from helpdesk.accounts.services import find_user_by_email
from helpdesk.availability.models import AvailabilityWindow
from helpdesk.availability.services import program_settings
from helpdesk.calendar import services as calendar
from helpdesk.calendar.models import BellSchedule, Closure
from helpdesk.extensions import db
from helpdesk.mentors.models import MentorProfile, MentorSkill
from helpdesk.schools.models import School
from helpdesk.schools.services import get_or_create_school
from helpdesk.skills.models import Skill

DEMO_PASSWORD = "mentoring-demo-2026"
DOMAIN = "demo-district.example.org"

SCHOOLS = [
    ("Lincoln High School", "America/New_York"),
    ("Maple Elementary School", "America/New_York"),
]

ADVISOR = ("advisor", "Dana Whitfield", 0)
STAFF = [("librarian", "Grace Okafor", 0), ("principal", "Samuel Reyes", 1)]
MENTORS = [
    ("Maya Chen", 11),
    ("Jordan Ellis", 12),
    ("Priya Natarajan", 10),
    ("Leo Martins", 9),
    ("Aisha Bello", 11),
    ("Ethan Novak", 12),
    ("Sofia Ramirez", 10),
    ("Noah Kim", 11),
    ("Zoe Adeyemi", 9),
    ("Lucas Moreau", 12),
]
TEACHERS = [
    "Helen Park",
    "Robert Gaines",
    "Linda Alvarez",
    "Michael Brennan",
    "Susan Ito",
    "James Whitaker",
    "Patricia Dunn",
    "David Osei",
    "Karen Lindqvist",
    "Thomas Reed",
    "Nancy Huang",
    "Paul Fitzgerald",
    "Angela Moretti",
    "Brian Castillo",
    "Ruth Abernathy",
]


def _email(local: str) -> str:
    return f"{local}@{DOMAIN}"


def demo_people() -> list[tuple[str, str, Role, int, int | None]]:
    """(email, name, role, school index, grade) for everyone in the demo district."""
    people = [(_email(ADVISOR[0]), ADVISOR[1], Role.ADVISOR, ADVISOR[2], None)]
    people += [(_email(local), name, Role.STAFF, school, None) for local, name, school in STAFF]
    for name, grade in MENTORS:
        local = name.lower().replace(" ", ".")
        people.append((_email(f"student.{local}"), name, Role.MENTOR, 0, grade))
    for index, name in enumerate(TEACHERS):
        local = name.lower().replace(" ", ".")
        people.append((_email(local), name, Role.TEACHER, index % 2, None))
    return people


SKILLS = [
    (
        "Class websites",
        "Web",
        "Build and update a class page with Google Sites or the district CMS.",
    ),
    (
        "Video podcasts",
        "Video",
        "Record, edit and publish short videos and podcasts (iMovie, WeVideo).",
    ),
    (
        "Google Docs & Slides",
        "Docs",
        "Share, comment, suggest, and present with Google Docs and Slides.",
    ),
    ("Google Classroom", "Docs", "Post assignments, set due dates, return work with feedback."),
    ("iPad apps", "Devices", "Find and use classroom apps on iPads; AirDrop and screen mirroring."),
    ("Chromebooks", "Devices", "Settings, shortcuts, printing and projecting from a Chromebook."),
    ("Digital portfolios", "Web", "Student portfolios with Seesaw or Google Sites."),
    ("Social media & blogs", "Web", "A class blog or account, with safe sharing settings."),
    ("Email & cloud storage", "Docs", "Organise Gmail and Drive: labels, folders, sharing."),
    ("Troubleshooting", "Devices", "Projectors, Wi-Fi, sound and the things that stop a lesson."),
    ("Spreadsheets", "Docs", "Gradebooks and sign-up sheets in Google Sheets."),
    ("Interactive whiteboards", "Devices", "Get the most out of the classroom display."),
]
TERM = (date(2026, 8, 31), date(2027, 6, 18))
REGULAR = (
    "Period 1, 08:00, 08:50\nPeriod 2, 08:55, 09:45\nPeriod 3, 09:50, 10:40\n"
    "Period 4, 10:45, 11:35\nLunch, 11:40, 12:20\nPeriod 5, 12:25, 13:15\n"
    "Period 6, 13:20, 14:10\nPeriod 7, 14:15, 15:05"
)
EARLY = (
    "Period 1, 08:00, 08:35\nPeriod 2, 08:40, 09:15\nPeriod 3, 09:20, 09:55\n"
    "Period 4, 10:00, 10:35\nLunch, 10:40, 11:10\nPeriod 5, 11:15, 11:50"
)
CLOSURES = [
    (date(2026, 11, 3), "Election Day (staff development)"),
    (date(2026, 11, 11), "Veterans Day"),
    (date(2026, 11, 26), "Thanksgiving"),
    (date(2026, 11, 27), "Thanksgiving break"),
    *[(date(2026, 12, d), "Winter break") for d in (24, 25, 28, 29, 30, 31)],
    (date(2027, 1, 1), "New Year's Day"),
    (date(2027, 1, 18), "Martin Luther King Jr. Day"),
    (date(2027, 2, 15), "Presidents' Day"),
]
# (skill indexes with levels, availability: (period, day type or None))
MENTOR_SETUP = [
    ({1: 3, 0: 2, 6: 1}, [("Period 4", "A"), ("Lunch", None)]),
    ({9: 3, 5: 3, 4: 2}, [("Period 6", "B")]),
    ({2: 3, 3: 3, 10: 2}, [("Period 3", "A"), ("Period 3", "B")]),
    ({4: 3, 1: 2}, [("Lunch", None)]),
    ({0: 3, 6: 3, 7: 2}, [("Period 7", "A")]),
    ({5: 2, 9: 2, 11: 3}, [("Period 2", "B"), ("Period 5", "A")]),
    ({7: 3, 8: 2}, [("Period 4", "B")]),
    ({2: 2, 8: 3, 3: 1}, [("Period 6", "A")]),
    ({1: 1, 4: 1, 5: 1}, [("Lunch", None)]),
    ({10: 3, 3: 2, 2: 1}, [("Period 1", "A"), ("Period 1", "B")]),
]


def seed() -> int:
    """Create what is missing of the demo district; returns how many records were added."""
    schools = [get_or_create_school(name, tz) for name, tz in SCHOOLS]
    created = 0
    password_hash = None
    for email, name, role, school_index, grade in demo_people():
        if find_user_by_email(email) is not None:
            continue
        password_hash = password_hash or hash_password(DEMO_PASSWORD)
        db.session.add(
            User(
                email=email,
                full_name=name,
                role=role,
                school=schools[school_index],
                grade=grade,
                password_hash=password_hash,
            )
        )
        created += 1
    db.session.flush()
    program_settings()
    skills = _seed_skills()
    created += sum(_seed_calendar(school) for school in schools)
    created += _seed_mentors(skills)
    db.session.flush()
    created += _seed_tips(skills)
    return created


def _seed_tips(skills: list[Skill]) -> int:
    from helpdesk.tips.demo import seed_demo_tips

    mentors = db.session.scalars(
        db.select(User)
        .where(User.role == Role.MENTOR, User.email.like(f"%@{DOMAIN}"))
        .order_by(User.id)
    ).all()
    advisor = find_user_by_email(_email(ADVISOR[0]))
    return seed_demo_tips(list(mentors), skills, advisor)


def _seed_skills() -> list[Skill]:
    existing = {s.name: s for s in db.session.scalars(db.select(Skill))}
    skills = []
    for name, category, description in SKILLS:
        skill = existing.get(name) or Skill(name=name, category=category, description=description)
        db.session.add(skill)
        skills.append(skill)
    db.session.flush()
    return skills


def _seed_calendar(school: School) -> int:
    if db.session.scalar(db.select(BellSchedule).where(BellSchedule.school_id == school.id)):
        return 0
    calendar.set_term(school, *TERM)
    regular = calendar.save_schedule(school, "Regular", calendar.parse_periods(REGULAR))
    early = calendar.save_schedule(school, "Early dismissal", calendar.parse_periods(EARLY))
    calendar.save_day_type(school, "A", regular, 1)
    calendar.save_day_type(school, "B", regular, 2)
    calendar.set_day_exception(
        school,
        date(2026, 11, 25),
        day_type=None,
        schedule=early,
        note="Early dismissal before Thanksgiving",
    )
    calendar.set_day_exception(
        school,
        date(2026, 12, 23),
        day_type=None,
        schedule=early,
        note="Early dismissal before winter break",
    )
    db.session.add_all(Closure(school_id=school.id, on=on, name=name) for on, name in CLOSURES)
    calendar.calendar_changed(school.id)
    return 1


def _seed_mentors(skills: list[Skill]) -> int:
    from helpdesk.calendar.models import DayType

    created = 0
    mentors = db.session.scalars(
        db.select(User)
        .where(User.role == Role.MENTOR, User.email.like(f"%@{DOMAIN}"))
        .order_by(User.id)
    ).all()
    for mentor, (levels, windows) in zip(mentors, MENTOR_SETUP, strict=False):
        if db.session.get(MentorProfile, mentor.id) is not None:
            continue
        profile = MentorProfile(
            user_id=mentor.id,
            bio=f"{mentor.first_name} is in grade {mentor.grade} and loves helping teachers try new tools.",
            story="I started by fixing my family's Wi-Fi, then joined the tech team in 9th grade.",
        )
        profile.skills = [
            MentorSkill(skill_id=skills[i].id, level=level) for i, level in levels.items()
        ]
        db.session.add(profile)
        day_types = {
            t.name: t
            for t in db.session.scalars(
                db.select(DayType).where(DayType.school_id == mentor.school_id)
            )
        }
        for period, day_type in windows:
            db.session.add(
                AvailabilityWindow(
                    mentor_id=mentor.id,
                    period_name=period,
                    day_type_id=day_types[day_type].id if day_type else None,
                )
            )
        created += 1
    return created
