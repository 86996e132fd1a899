"""The demo district's recognition page: four mentors opted in, a year of Maya's and Priya's
sessions before this term (so the 10-session and 25-hour milestones show), teachers' votes
that make Priya's iMovie tip the term's most helpful, and the thanks their teachers shared.
Each part is created once, under its own key (helpdesk.demo_records)."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from helpdesk.accounts.models import Role, User
from helpdesk.bookings.models import Booking, BookingEvent, BookingFormat, BookingStatus
from helpdesk.demo_records import created, remember
from helpdesk.extensions import db
from helpdesk.mentors.models import MentorProfile, MentorSkill
from helpdesk.reflections.models import Reflection, SessionReport
from helpdesk.tips.models import Tip, TipStatus
from helpdesk.tips.services import vote_helpful

OPTED_IN = ("maya.chen", "priya.natarajan", "aisha.bello", "hana.yilmaz")
# (mentor, sessions last school year, minutes each, weekday): Maya passes 25 hours, Priya 10
# sessions; each on her own weekday, so the teachers they share are never booked twice at once.
LAST_YEAR = (("maya.chen", 26, 60, 1), ("priya.natarajan", 10, 45, 3))
TOP_TIP = "Trim the start and end of a clip in iMovie"  # Priya's
TOP_TIP_VOTES = 7
LAST_YEAR_TOPICS = (
    "Setting up Google Classroom for a new unit",
    "Making a class website on Google Sites",
    "Recording a short lesson video",
    "Sharing Docs so students can comment",
)


def seed_recognition(now: datetime, domain: str) -> int:
    """Create the missing parts of the demo's recognition page; returns how many were added."""
    advisor = _user(f"advisor@{domain}")
    if advisor is None:
        return 0
    count = 0
    mentors = {local: _user(f"student.{local}@{domain}") for local in OPTED_IN}
    for local, mentor in mentors.items():
        key = f"recognition:opt-in:{local}"
        if mentor is None or created(key) is not None:
            continue
        profile = db.session.get(MentorProfile, mentor.id)
        if profile is not None:
            profile.is_recognition_public = True
        remember(key, mentor.id)
        count += 1
    for local, sessions, minutes, weekday in LAST_YEAR:
        key = f"recognition:last-year:{local}"
        if mentors.get(local) is None or created(key) is not None:
            continue
        count += _last_year(mentors[local], advisor, sessions, minutes, weekday)
        remember(key, mentors[local].id)
    count += _votes(domain)
    count += _shared_thanks([m.id for m in mentors.values() if m is not None])
    db.session.flush()
    return count


def _user(email: str) -> User | None:
    return db.session.scalar(db.select(User).where(User.email == email))


def _last_year(mentor: User, advisor: User, sessions: int, minutes: int, weekday: int) -> int:
    """Completed sessions a week apart in the school year before this term, with the history,
    notes and reflections every completed session of the demo has."""
    school = mentor.school
    if school.term_starts_on is None:
        return 0
    teachers = db.session.scalars(
        db.select(User)
        .where(User.role == Role.TEACHER, User.school_id == school.id, User.is_active)
        .order_by(User.email)
        .limit(4)
    ).all()
    skill_id = db.session.scalar(
        db.select(MentorSkill.skill_id).where(MentorSkill.mentor_id == mentor.id).limit(1)
    )
    if not teachers or skill_id is None:
        return 0
    zone = ZoneInfo(school.timezone)
    first_day = school.term_starts_on - timedelta(days=350)
    first_day += timedelta(days=(weekday - first_day.weekday()) % 7)
    for n in range(sessions):
        starts_at = datetime.combine(first_day + timedelta(weeks=n), time(14, 30), zone)
        teacher = teachers[n % len(teachers)]
        booking = Booking(
            mentor_id=mentor.id,
            teacher_id=teacher.id,
            skill_id=skill_id,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=minutes),
            status=BookingStatus.COMPLETED,
            topic=LAST_YEAR_TOPICS[n % len(LAST_YEAR_TOPICS)],
            learning_goal="Try it with my class the same week.",
            format=BookingFormat.IN_PERSON,
            room="Library",
            created_at=starts_at - timedelta(days=3),
            norms_agreed_at=starts_at - timedelta(days=3) if n < len(teachers) else None,
        )
        db.session.add(booking)
        db.session.flush()
        for actor, was, status, at in (
            (teacher, None, BookingStatus.REQUESTED, starts_at - timedelta(days=3)),
            (
                advisor,
                BookingStatus.REQUESTED,
                BookingStatus.APPROVED,
                starts_at - timedelta(days=2),
            ),
            (mentor, BookingStatus.APPROVED, BookingStatus.COMPLETED, booking.ends_at),
        ):
            db.session.add(
                BookingEvent(
                    booking_id=booking.id,
                    actor_id=actor.id,
                    from_status=was.value if was else None,
                    to_status=status.value,
                    reason="Requested" if status is BookingStatus.REQUESTED else "",
                    at=at,
                )
            )
        db.session.add(
            SessionReport(
                booking_id=booking.id,
                author_id=mentor.id,
                covered=f"{booking.topic}: we did it together, step by step.",
                created_at=booking.ends_at,
            )
        )
        # Both sides reflected long ago: nothing from last year waits on anyone's home page.
        db.session.add_all(
            [
                Reflection(
                    booking_id=booking.id,
                    author_id=teacher.id,
                    side="teacher",
                    learned="How to do it on my own next time.",
                    rating=5 if n % 3 else 4,
                    created_at=booking.ends_at + timedelta(hours=2),
                ),
                Reflection(
                    booking_id=booking.id,
                    author_id=mentor.id,
                    side="mentor",
                    went_well="The teacher tried every step herself.",
                    created_at=booking.ends_at + timedelta(hours=1),
                ),
            ]
        )
    return sessions


def _votes(domain: str) -> int:
    """Teachers mark Priya's iMovie tip helpful this term: the term's most helpful tip."""
    if created("recognition:top-tip-votes") is not None:
        return 0
    tip = db.session.scalar(
        db.select(Tip).where(Tip.title == TOP_TIP, Tip.status == TipStatus.PUBLISHED)
    )
    count = 0
    if tip is not None:
        teachers = db.session.scalars(
            db.select(User)
            .where(User.role == Role.TEACHER, User.email.endswith(f"@{domain}"))
            .order_by(User.email)
            .limit(TOP_TIP_VOTES)
        ).all()
        count = sum(
            1 for teacher in teachers if tip.can_vote(teacher) and vote_helpful(tip, teacher)
        )
    remember("recognition:top-tip-votes", tip.id if tip is not None else None)
    return count


def _shared_thanks(mentor_ids: list[int]) -> int:
    """The teachers of the opted-in mentors share the kudos they wrote."""
    if created("recognition:shared-thanks") is not None or not mentor_ids:
        return 0
    reflections = db.session.scalars(
        db.select(Reflection)
        .join(Booking, Booking.id == Reflection.booking_id)
        .where(
            Booking.mentor_id.in_(mentor_ids),
            Reflection.side == "teacher",
            Reflection.kudos != "",
        )
    ).all()
    for reflection in reflections:
        reflection.is_kudos_shared = True
    remember("recognition:shared-thanks", None)
    return len(reflections)
