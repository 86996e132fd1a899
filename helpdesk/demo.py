"""The demo district: two schools and a small tech team, with known passwords."""

from zoneinfo import ZoneInfo

from helpdesk import demo_records
from helpdesk.access_log.demo import seed_demo_access_log
from helpdesk.accounts.models import Role, User
from helpdesk.accounts.passwords import hash_password
from helpdesk.accounts.services import find_user_by_email
from helpdesk.availability.models import AvailabilityWindow
from helpdesk.availability.services import program_settings
from helpdesk.calendar import services as calendar
from helpdesk.calendar.models import BellSchedule, Closure
from helpdesk.clock import utcnow
from helpdesk.concerns.demo import seed_concerns
from helpdesk.dashboard.demo import seed_dashboard
from helpdesk.demo_calendar import early_dismissals, holidays, term_around
from helpdesk.demo_history import seed_history
from helpdesk.extensions import db
from helpdesk.hours.demo import seed_hours
from helpdesk.mentors.models import MentorProfile, MentorSkill
from helpdesk.pairings.demo import seed_pairings
from helpdesk.recognition.demo import seed_recognition
from helpdesk.safeguarding.services import safeguarding_settings
from helpdesk.schools.models import School
from helpdesk.schools.services import get_or_create_school
from helpdesk.series.demo import seed_series
from helpdesk.skills.models import Skill
from helpdesk.workshops.demo import seed_workshops

DEMO_PASSWORD = "mentoring-demo-2026"
DOMAIN = "demo-district.example.org"

SCHOOLS = [
    ("Lincoln High School", "America/New_York"),
    ("Maple Elementary School", "America/New_York"),
]

ADVISOR = ("advisor", "Dana Whitfield", 0)
STAFF = [("librarian", "Grace Okafor", 0), ("principal", "Samuel Reyes", 1)]
# (name, grade, school index, bio, story): varied on purpose, as real applications are.
MENTORS = [
    (
        "Maya Chen", 11, 0,
        "Edits the school news show and runs the video club's gear cupboard.",
        "I taught my grandmother to video-call during the pandemic and realised explaining "
        "tech slowly is a skill. Now I help teachers turn lessons into short videos.",
    ),
    (
        "Jordan Ellis", 12, 0,
        "Fixes the things that stop a lesson: projectors, Wi-Fi, sound.",
        "I was the kid who got called up when the projector died. I joined the tech team to "
        "learn why it dies, and I'm heading to an IT apprenticeship after graduation.",
    ),
    (
        "Priya Natarajan", 10, 0,
        "Google Docs and Classroom power user; keeps the debate team's files in order.",
        "My mom is a teacher and spent every Sunday fighting Google Classroom. I made her a "
        "cheat sheet, her colleagues wanted copies, and here I am.",
    ),
    (
        "Leo Martins", 9, 0,
        "New to the team; good with iPads and patient with first-timers.",
        "English is my second language, so I know what it is like when instructions go too "
        "fast. I go step by step and write the steps down for you.",
    ),
    (
        "Aisha Bello", 11, 0,
        "Builds websites for two local nonprofits; loves a tidy Google Site.",
        "I taught myself HTML from library books in 7th grade. I like helping teachers make "
        "class pages that parents can actually find things on.",
    ),
    (
        "Ethan Novak", 12, 0,
        "Interactive displays and Chromebooks; runs the Chromebook repair bench.",
        "I spent a summer repairing Chromebooks for the district. Ask me about the shortcut "
        "that saves you five minutes every class.",
    ),
    (
        "Sofia Ramirez", 10, 0,
        "Runs the school's Instagram with the communications office, safely.",
        "I care about students' privacy online. I help teachers share class work without "
        "sharing faces or names, and set up a class blog the right way.",
    ),
    (
        "Noah Kim", 11, 0,
        "Spreadsheet fan: gradebooks, sign-up sheets, the robotics team's budget.",
        "I built the robotics team's parts tracker in Sheets and got hooked. Formulas are "
        "less scary than they look, and I will prove it.",
    ),
    (
        "Zoe Adeyemi", 9, 0,
        "Trying everything this year; strongest with iPads and Chromebooks.",
        "I joined because my science teacher asked for help with an app and we figured it "
        "out together. I want to study computer science.",
    ),
    (
        "Lucas Moreau", 12, 0,
        "Sheets and Classroom; tutors math after school.",
        "Two years on the team. I like the moment a teacher says \"oh, that's all it is\". "
        "I'm writing my Seal of Civic Readiness essay about this program.",
    ),
    (
        "Ava Thompson", 5, 1,
        "Maple's Tech Squad captain; knows every iPad app in the library.",
        "I help the kindergarten teachers with the iPads at recess. My favourite thing is "
        "showing how to AirDrop a picture to the big screen.",
    ),
    (
        "Mateo Silva", 5, 1,
        "Tech Squad; Chromebooks and typing games.",
        "I fix the Chromebook cart every Friday with Ms. Okafor. I can find the missing "
        "charger faster than anyone.",
    ),
    (
        "Hana Yilmaz", 4, 1,
        "Tech Squad's youngest; makes Seesaw portfolios with her class.",
        "My class uses Seesaw every day and I help my teacher and the teacher next door "
        "post our work.",
    ),
]  # fmt: skip
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


# Mentors who graduated last June: deactivated, their class ready to be anonymized (People page).
GRADUATES = [("Olivia Grant", 0), ("Marcus Bell", 0)]


def class_of(grade: int, today) -> int:
    """The June a student of this grade graduates (a school year ends in the June after July)."""
    school_year_ends = today.year + (1 if today.month >= 7 else 0)
    return school_year_ends + 12 - grade


def _graduate_email(name: str) -> str:
    return _email(f"student.{name.lower().replace(' ', '.')}")


def _email(local: str) -> str:
    return f"{local}@{DOMAIN}"


def demo_people() -> list[tuple[str, str, Role, int, int | None]]:
    """(email, name, role, school index, grade) for everyone in the demo district."""
    people = [(_email(ADVISOR[0]), ADVISOR[1], Role.ADVISOR, ADVISOR[2], None)]
    people += [(_email(local), name, Role.STAFF, school, None) for local, name, school in STAFF]
    for name, grade, school, _bio, _story in MENTORS:
        local = name.lower().replace(" ", ".")
        people.append((_email(f"student.{local}"), name, Role.MENTOR, school, grade))
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
REGULAR = (
    "Period 1, 08:00, 08:50\nPeriod 2, 08:55, 09:45\nPeriod 3, 09:50, 10:40\n"
    "Period 4, 10:45, 11:35\nLunch, 11:40, 12:20\nPeriod 5, 12:25, 13:15\n"
    "Period 6, 13:20, 14:10\nPeriod 7, 14:15, 15:05"
)
EARLY = (
    "Period 1, 08:00, 08:35\nPeriod 2, 08:40, 09:15\nPeriod 3, 09:20, 09:55\n"
    "Period 4, 10:00, 10:35\nLunch, 10:40, 11:10\nPeriod 5, 11:15, 11:50"
)
# Maple Elementary keeps an elementary day: blocks, recess and lunch, no A/B rotation.
ELEMENTARY = (
    "Morning meeting, 08:30, 08:50\nBlock 1, 08:50, 10:10\nRecess, 10:10, 10:30\n"
    "Block 2, 10:30, 11:40\nLunch, 11:40, 12:20\nBlock 3, 12:20, 13:40\n"
    "Specials, 13:40, 14:25\nClosing circle, 14:25, 14:45"
)
ELEMENTARY_EARLY = (
    "Morning meeting, 08:30, 08:50\nBlock 1, 08:50, 10:10\nRecess, 10:10, 10:30\n"
    "Block 2, 10:30, 11:40\nLunch, 11:40, 12:20"
)
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
    ({4: 3, 6: 2}, [("Recess", None), ("Lunch", None)]),
    ({5: 3, 9: 1}, [("Lunch", None)]),
    ({6: 3, 4: 2}, [("Recess", None)]),
]


def seed() -> int:
    """Create what is missing of the demo district; returns how many records were added.

    Everything is found by a stable key (an email, a name, a title, a request key) and only
    created when missing, so running it again adds nothing and a person's changes stay. Dates
    are placed around today (the school's), so the demo is never stale.
    """
    now = utcnow()
    today = now.astimezone(ZoneInfo(SCHOOLS[0][1])).date()
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
                class_of=class_of(grade, today) if role is Role.MENTOR and grade else None,
                password_hash=password_hash,
            )
        )
        created += 1
    created += _seed_graduates(schools, today, password_hash)
    db.session.flush()
    program_settings()
    created += _seed_safeguarding()
    skills = _seed_skills()
    created += _seed_calendar(schools[0], today, REGULAR, EARLY, rotation=True)
    created += _seed_calendar(schools[1], today, ELEMENTARY, ELEMENTARY_EARLY, rotation=False)
    created += _seed_mentors(skills)
    db.session.flush()
    created += _seed_tips(skills)
    created += seed_history(now, DOMAIN, dict(skills))
    created += seed_concerns(now, DOMAIN)
    created += seed_demo_access_log(now, DOMAIN)
    created += seed_recognition(now, DOMAIN)
    created += seed_pairings(now, DOMAIN)
    created += seed_workshops(now, DOMAIN, dict(skills))
    created += seed_dashboard(now, DOMAIN)
    created += seed_series(now)
    created += seed_hours(now, DOMAIN)
    return created


def _seed_safeguarding() -> int:
    """The demo district's own domain joins the hosts online sessions may meet on, once."""
    if demo_records.created("safeguarding:district-domain") is not None:
        return 0
    settings = safeguarding_settings()
    if DOMAIN not in settings.district_domain_list:
        settings.district_domains = "\n".join([*settings.district_domain_list, DOMAIN])
    demo_records.remember("safeguarding:district-domain", None)
    return 1


def _seed_graduates(schools: list[School], today, password_hash: str | None) -> int:
    created = 0
    for name, school_index in GRADUATES:
        if find_user_by_email(_graduate_email(name)) is not None:
            continue
        password_hash = password_hash or hash_password(DEMO_PASSWORD)
        db.session.add(
            User(
                email=_graduate_email(name),
                full_name=name,
                role=Role.MENTOR,
                school=schools[school_index],
                grade=12,
                class_of=class_of(12, today) - 1,
                password_hash=password_hash,
                is_active=False,
            )
        )
        created += 1
    return created


def demo_mentors() -> list[User]:
    """The demo's current mentors (not last year's graduates), in the order they were made."""
    return list(
        db.session.scalars(
            db.select(User)
            .where(
                User.role == Role.MENTOR,
                User.email.like(f"%@{DOMAIN}"),
                User.email.not_in([_graduate_email(name) for name, _ in GRADUATES]),
            )
            .order_by(User.id)
        )
    )


def _seed_tips(skills: dict[str, Skill | None]) -> int:
    from helpdesk.tips.demo import seed_demo_tips

    advisor = find_user_by_email(_email(ADVISOR[0]))
    if advisor is None:
        return 0
    return seed_demo_tips(demo_mentors(), [s for s in skills.values() if s], advisor)


def _seed_skills() -> dict[str, Skill | None]:
    """The demo's skills by their demo name, each created once (helpdesk.demo_records): a skill
    the advisor renamed keeps its new name, and one they merged away is not made again."""
    by_name = {s.name: s for s in db.session.scalars(db.select(Skill))}
    skills: dict[str, Skill | None] = {}
    for name, category, description in SKILLS:
        record = demo_records.created(f"skill:{name}")
        if record is not None:
            skills[name] = db.session.get(Skill, record.record_id) if record.record_id else None
            continue
        # Installs seeded before the demo kept records made it under this name: adopt it.
        skill = by_name.get(name) or Skill(name=name, category=category, description=description)
        db.session.add(skill)
        db.session.flush()
        demo_records.remember(f"skill:{name}", skill.id)
        skills[name] = skill
    return skills


def _seed_calendar(school: School, today, regular: str, early: str, *, rotation: bool) -> int:
    if db.session.scalar(db.select(BellSchedule).where(BellSchedule.school_id == school.id)):
        return 0
    start, end = term_around(today)
    calendar.set_term(school, start, end)
    main = calendar.save_schedule(school, "Regular", calendar.parse_periods(regular))
    short = calendar.save_schedule(school, "Early dismissal", calendar.parse_periods(early))
    if rotation:
        calendar.save_day_type(school, "A", main, 1)
        calendar.save_day_type(school, "B", main, 2)
    for on, note in early_dismissals(start, end):
        calendar.set_day_exception(school, on, day_type=None, schedule=short, note=note)
    db.session.add_all(
        Closure(school_id=school.id, on=on, name=name) for on, name in holidays(start, end)
    )
    calendar.calendar_changed(school.id)
    return 1


def _seed_mentors(skills: dict[str, Skill | None]) -> int:
    from helpdesk.calendar.models import DayType

    created = 0
    stories = {name: (bio, story) for name, _g, _s, bio, story in MENTORS}
    for mentor, (levels, windows) in zip(demo_mentors(), MENTOR_SETUP, strict=False):
        if db.session.get(MentorProfile, mentor.id) is not None:
            continue
        bio, story = stories.get(mentor.full_name, ("", ""))
        profile = MentorProfile(user_id=mentor.id, bio=bio, story=story)
        chosen = {SKILLS[i][0]: level for i, level in levels.items()}
        profile.skills = [
            MentorSkill(skill_id=skills[name].id, level=level)
            for name, level in chosen.items()
            if skills.get(name) is not None
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
