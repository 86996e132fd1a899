"""The demo district: two schools and a small tech team, with known passwords."""

from helpdesk.accounts.models import Role, User
from helpdesk.accounts.passwords import hash_password
from helpdesk.accounts.services import find_user_by_email
from helpdesk.extensions import db
from helpdesk.schools.services import get_or_create_school

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
    return created
