"""A small district with hand-placed sessions, help requests and tips, whose figures are known.

Dates: the term runs Mon 2026-11-02 to Sun 2026-11-15 (two weeks) in New York. School hours
are 08:00–15:00 (the shared SCHOOL_DAY bell schedule), Monday to Friday.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from helpdesk.accounts.models import Role, User
from helpdesk.bookings.models import Booking, BookingFormat, BookingStatus
from helpdesk.dashboard.figures import Scope
from helpdesk.dashboard.models import Term
from helpdesk.hours.models import EntryKind, EntryStatus, HoursEntry, Side
from helpdesk.mentors.models import SkillLevel
from helpdesk.requests.models import HelpRequest, RequestStatus
from helpdesk.requests.services import school_seconds_to_resolve
from helpdesk.schools.models import School
from helpdesk.skills.models import Skill
from helpdesk.tips.models import Tip, TipStatus

NY = ZoneInfo("America/New_York")
FIRST, LAST = date(2026, 11, 2), date(2026, 11, 15)


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    """A New York wall-clock time in November 2026, as an aware instant."""
    return datetime(2026, month, day, hour, minute, tzinfo=NY).astimezone(UTC)


@dataclass
class District:
    lincoln: School
    maple: School
    advisor: User
    teacher: User  # Lincoln
    teacher2: User  # Lincoln
    teacher3: User  # Maple
    idle_teacher: User  # Lincoln, never served
    maya: User  # Lincoln mentor
    leo: User  # Lincoln mentor
    zoe: User  # Maple mentor, no sessions
    slides: Skill
    ipad: Skill
    term: Term
    earlier: Term

    def scope(self, school: School | None = None) -> Scope:
        return Scope(FIRST, LAST, "America/New_York", school.id if school else None)


def _session(db, mentor, teacher, skill, start, status, minutes=30):
    booking = Booking(
        mentor_id=mentor.id,
        teacher_id=teacher.id,
        skill_id=skill.id,
        starts_at=start,
        ends_at=start + timedelta(minutes=minutes),
        status=status,
        topic="Topic",
        learning_goal="Goal",
        format=BookingFormat.IN_PERSON,
        room="Library",
        created_at=start - timedelta(days=1),
    )
    db.session.add(booking)
    return booking


def _request(db, requester, skill, created, *, resolved=None, status=None, mentor=None, **extra):
    help_request = HelpRequest(
        requester_id=requester.id,
        skill_id=skill.id,
        summary="Help",
        status=status or (RequestStatus.RESOLVED if resolved else RequestStatus.OPEN),
        created_at=created,
        resolved_at=resolved,
        mentor_id=mentor.id if mentor else None,
        **extra,
    )
    db.session.add(help_request)
    if resolved is not None:  # as resolve_request stores it
        db.session.flush()
        help_request.school_seconds_to_resolve = school_seconds_to_resolve(help_request, resolved)
    return help_request


@pytest.fixture
def district(db, make_school_with_calendar, make_user, make_mentor):
    lincoln = make_school_with_calendar()
    maple = make_school_with_calendar(name="Maple Elementary School")
    slides = Skill(name="Google Slides")
    ipad = Skill(name="iPad apps")
    db.session.add_all([slides, ipad])
    db.session.commit()
    advisor = make_user(Role.ADVISOR, school=lincoln, full_name="Dana Whitfield")
    teacher = make_user(Role.TEACHER, school=lincoln, full_name="Helen Park")
    teacher2 = make_user(Role.TEACHER, school=lincoln, full_name="Brian Castillo")
    teacher3 = make_user(Role.TEACHER, school=maple, full_name="Ruth Abernathy")
    idle = make_user(Role.TEACHER, school=lincoln, full_name="Idle Teacher")
    maya = make_mentor("Maya Chenowethson", lincoln, {slides: SkillLevel.CAN_HELP})
    leo = make_mentor("Leo Martinsworth", lincoln, {slides: SkillLevel.CAN_HELP, ipad: 2})
    zoe = make_mentor("Zoe Adeyemiford", maple, {ipad: SkillLevel.CAN_HELP})

    # Sessions, week 1 (Nov 2–8) and week 2 (Nov 9–15), and one outside the term.
    _session(db, maya, teacher, slides, at(2, 10), BookingStatus.COMPLETED, 30)
    _session(db, maya, teacher2, slides, at(3, 10), BookingStatus.COMPLETED, 60)
    _session(db, leo, teacher, slides, at(4, 10), BookingStatus.NO_SHOW)
    _session(db, leo, teacher3, ipad, at(5, 10), BookingStatus.CANCELLED)
    _session(db, maya, teacher, slides, at(10, 10), BookingStatus.COMPLETED, 45)
    _session(db, leo, teacher3, ipad, at(11, 10), BookingStatus.COMPLETED, 30)
    _session(db, maya, teacher2, slides, at(12, 10), BookingStatus.DECLINED)
    _session(db, maya, teacher, slides, at(12, 13), BookingStatus.APPROVED)
    _session(db, maya, teacher, slides, at(20, 10), BookingStatus.COMPLETED)  # after the term

    # Help requests: resolve times on the school clock (08:00–15:00 on weekdays).
    # 1: Mon 09:00 → Mon 11:00 = 2 school hours.
    _request(db, teacher, slides, at(2, 9), resolved=at(2, 11), mentor=maya)
    # 2: Mon 14:00 → Tue 10:00 = 1 h Monday + 2 h Tuesday = 3 school hours.
    _request(db, teacher2, slides, at(2, 14), resolved=at(3, 10), mentor=maya)
    # 3: Fri 14:30 → Mon 08:30 = 0.5 h Friday + 0.5 h Monday = 1 school hour (weekend skipped).
    _request(db, teacher3, ipad, at(6, 14, 30), resolved=at(9, 8, 30), mentor=leo)
    # 4: Tue 12:00 → Thu 12:00 = 2 days of 7 h = 14 school hours.
    _request(db, teacher, ipad, at(10, 12), resolved=at(12, 12), mentor=leo)
    # 5: solved with a tip; 6: escalated; 7: still open.
    _request(db, teacher2, slides, at(10, 9), status=RequestStatus.SELF_SERVED)
    _request(db, teacher3, ipad, at(11, 9), status=RequestStatus.ESCALATED, escalated_at=at(11, 10))
    _request(db, teacher, slides, at(13, 9))
    _request(db, teacher, slides, at(20, 9), resolved=at(20, 10), mentor=maya)  # after the term

    # Tips: one published before the term, two in week 1, one in week 2, one draft.
    for title, published, views, status in (
        ("Old tip", at(20, 9, month=10), 50, TipStatus.PUBLISHED),
        ("Mirror a screen", at(3, 9), 12, TipStatus.PUBLISHED),
        ("Share a slide deck", at(4, 9), 30, TipStatus.PUBLISHED),
        ("Lock an iPad", at(11, 9), 7, TipStatus.PUBLISHED),
        ("Draft", None, 99, TipStatus.DRAFT),
    ):
        db.session.add(
            Tip(
                title=title,
                body="Body",
                body_text="Body",
                status=status,
                author_id=maya.id,
                mentor_id=maya.id,
                published_at=published,
                view_count=views,
            )
        )
    # The hours ledger: "hours given" counts only mentors' verified service hours of sessions,
    # workshops and help requests in the term: 30 + 45 + 30 + 20 + 60 at Lincoln, 30 at Maple.
    for person, kind, day, claimed, status, counted in (
        (maya, EntryKind.SESSION, 2, 30, EntryStatus.VERIFIED, 30),
        (maya, EntryKind.SESSION, 3, 60, EntryStatus.ADJUSTED, 45),
        (maya, EntryKind.SESSION, 10, 45, EntryStatus.PENDING, None),
        (leo, EntryKind.SESSION, 11, 30, EntryStatus.VERIFIED, 30),
        (maya, EntryKind.HELP_REQUEST, 2, 20, EntryStatus.VERIFIED, 20),
        (leo, EntryKind.WORKSHOP, 12, 60, EntryStatus.VERIFIED, 60),
        (zoe, EntryKind.HELP_REQUEST, 11, 30, EntryStatus.VERIFIED, 30),
        (maya, EntryKind.MANUAL, 4, 120, EntryStatus.VERIFIED, 120),  # a club meeting
        (maya, EntryKind.SESSION, 5, 60, EntryStatus.REJECTED, None),
        (teacher, EntryKind.SESSION, 2, 30, EntryStatus.VERIFIED, 30),  # a teacher's PD
        (maya, EntryKind.SESSION, 20, 30, EntryStatus.VERIFIED, 30),  # after the term
    ):
        db.session.add(
            HoursEntry(
                person_id=person.id,
                side=Side.PD if person is teacher else Side.SERVICE,
                kind=kind,
                source_key=f"test:{kind}:{day}:{claimed}",
                title="Activity",
                occurred_on=date(2026, 11, day),
                minutes_claimed=claimed,
                status=status,
                verified_minutes=counted,
            )
        )
    term = Term(name="Fall 2026", starts_on=FIRST, ends_on=LAST)
    earlier = Term(name="Spring 2026", starts_on=date(2026, 10, 19), ends_on=date(2026, 11, 1))
    db.session.add_all([term, earlier])
    db.session.commit()
    return District(
        lincoln, maple, advisor, teacher, teacher2, teacher3, idle, maya, leo, zoe, slides, ipad,
        term, earlier,
    )  # fmt: skip
