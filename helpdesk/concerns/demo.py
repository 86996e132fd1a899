"""The demo district's concerns: the principal as safeguarding contact, one concern still open
and one reviewed and closed. Each is made once, through the services, under a stable key."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from helpdesk.accounts.models import Role, User
from helpdesk.bookings.models import Booking
from helpdesk.concerns import services
from helpdesk.concerns.models import Category, ConcernStatus, SubjectKind
from helpdesk.concerns.subjects import find_subject
from helpdesk.demo_records import created, remember
from helpdesk.extensions import db


@dataclass(frozen=True)
class DemoConcern:
    key: str
    session: str  # the demo session's key (helpdesk.demo_story)
    reporter: str  # "mentor" or "teacher" of that session
    category: Category
    description: str
    steps: tuple[tuple[ConcernStatus, str, int], ...] = ()  # status, note, days after raising


CONCERNS = (
    DemoConcern(
        "class-blog-tired",
        "class-blog",
        "teacher",
        Category.SAFETY,
        "Sofia seemed very tired and upset during our call and mentioned she hasn't been "
        "sleeping because of things at home. Probably nothing, but I wanted someone to know.",
        (
            (ConcernStatus.REVIEWING, "I'll talk to Sofia at club on Thursday.", 1),
            (
                ConcernStatus.CLOSED,
                "Spoke with Sofia; she is OK and glad someone asked. Her counselor knows and "
                "is following up. Nothing further for the program.",
                3,
            ),
        ),
    ),
    DemoConcern(
        "guardians-instagram",
        "classroom-guardians",
        "mentor",
        Category.CONTACT_DETAILS,
        "At the end of the call she asked for my Instagram so she could message me if the "
        "guardian emails stop working. I said she could use the help desk instead. I wasn't "
        "sure what I was supposed to say.",
    ),
)


def seed_concerns(now: datetime, domain: str) -> int:
    """Create the missing demo concerns; returns how many records were added."""
    count = _contact(domain)
    for demo in CONCERNS:
        count += _concern(demo, now)
    return count


def _contact(domain: str) -> int:
    if created("concerns:contact") is not None:
        return 0
    principal = db.session.scalar(db.select(User).where(User.email == f"principal@{domain}"))
    if principal is None or principal.role is not Role.STAFF:
        return 0
    if services.contact_id() is None:
        services.set_contact(principal)
    remember("concerns:contact", principal.id)
    return 1


def _concern(demo: DemoConcern, now: datetime) -> int:
    key = f"concern:{demo.key}"
    session = created(f"session:{demo.session}")
    if created(key) is not None or session is None or session.record_id is None:
        return 0
    booking = db.session.get(Booking, session.record_id)
    if booking is None:
        return 0
    reporter = booking.mentor if demo.reporter == "mentor" else booking.teacher
    subject = find_subject(SubjectKind.SESSION, booking.id, reporter)
    advisor = db.session.scalar(
        db.select(User).where(User.role == Role.ADVISOR, User.is_active.is_(True))
    )
    if subject is None or advisor is None:
        return 0
    raised_at = min(booking.ends_at + timedelta(hours=3), now)
    try:
        with db.session.begin_nested():
            concern = services.raise_concern(
                reporter,
                subject,
                services.NewConcern(
                    demo.category, demo.description, request_key=f"demo-{demo.key}"
                ),
                raised_at,
            )
            for status, note, days in demo.steps:
                at = min(raised_at + timedelta(days=days), now)
                services.change_status(concern, advisor, status, note, at)
    except services.ConcernError:
        return 0
    remember(key, concern.id)
    return 1
