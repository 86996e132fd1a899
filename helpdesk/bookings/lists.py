"""Booking read models for pages: open times to offer, the approval queue, a person's
sessions, the week calendar (state changes: commands.py)."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, CompoundSelect, Select, bindparam, literal, true, union_all

from helpdesk.accounts.models import Role, User
from helpdesk.availability.services import program_settings
from helpdesk.availability.slots import Slot
from helpdesk.bookings.models import HOLDING_STATUSES, Booking, BookingStatus
from helpdesk.calendar.models import Closure
from helpdesk.db import UTCDateTime
from helpdesk.extensions import db
from helpdesk.finder.services import LONGEST_SESSION, find_mentors
from helpdesk.schools.models import School


def is_first_pairing(teacher: User, mentor: User) -> bool:
    return not db.session.scalar(
        db.select(
            db.exists().where(Booking.teacher_id == teacher.id, Booking.mentor_id == mentor.id)
        )
    )


def open_slots(
    mentor: User,
    skill_id: int,
    starts_at: datetime,
    minutes: int,
    now: datetime,
    days: int = 1,
    exclude_booking_id: int | None = None,
    teacher: User | None = None,
) -> list[Slot]:
    """The mentor's open slots for this skill from the local day of starts_at, for `days` days
    (for `teacher`: none on a day their own school is closed); none for a length the program no
    longer offers (the finder searches offered lengths only)."""
    if not is_offered(minutes):
        return []
    day = starts_at.astimezone(ZoneInfo(mentor.school.timezone)).date()
    matches = find_mentors(
        skill_id=skill_id,
        start=day,
        end=day + timedelta(days=days - 1),
        session_minutes=minutes,
        now=now,
        mentor_id=mentor.id,
        exclude_booking_id=exclude_booking_id,
        teacher=teacher,
    )
    return matches[0].slots if matches else []


def at_school(school_id: int) -> ColumnElement[bool]:
    """Sessions with someone of this school on either side, mentor or teacher."""
    people = db.select(User.id).where(User.school_id == school_id)
    return db.or_(Booking.mentor_id.in_(people), Booking.teacher_id.in_(people))


def closure_for(person: User, at: datetime) -> Closure | None:
    """The closure of the person's own school on the local day of `at`, if it is closed."""
    day = at.astimezone(ZoneInfo(person.school.timezone)).date()
    return db.session.scalar(
        db.select(Closure).where(Closure.school_id == person.school_id, Closure.on == day)
    )


def is_offered(minutes: int) -> bool:
    """Whether the program still offers sessions this long (a session may outlive its length)."""
    return minutes in program_settings().lengths


def reschedule_times(booking: Booking, now: datetime) -> list[Slot] | None:
    """The mentor's other open times from a week before the session, for three weeks; None when
    the program no longer offers the session's length, so there is nothing to choose from."""
    minutes = booking.minutes
    if not is_offered(minutes):
        return None
    slots = open_slots(
        booking.mentor,
        booking.skill_id,
        max(now, booking.starts_at - timedelta(days=7)),
        minutes,
        now,
        days=21,
        exclude_booking_id=booking.id,
    )
    return [slot for slot in slots if slot.start_at != booking.starts_at]


def free_mentors_then(booking: Booking, now: datetime) -> list[User]:
    """Other mentors with the skill who are free at the session's time, to reassign it to."""
    if not is_offered(booking.minutes):
        return []
    day = booking.starts_at.astimezone(ZoneInfo(booking.mentor.school.timezone)).date()
    return [
        m.mentor
        for m in find_mentors(
            skill_id=booking.skill_id, start=day, end=day, session_minutes=booking.minutes, now=now
        )
        if any(s.start_at == booking.starts_at for s in m.slots)
        and m.mentor.id != booking.mentor_id
    ]


def alternatives_for(
    mentor: User, skill_id: int, starts_at: datetime, minutes: int, now: datetime, limit: int = 5
) -> list[tuple[User, Slot]]:
    """Other open times: this mentor's next ones first, then other mentors' that day."""
    if not is_offered(minutes):
        return []
    found: list[tuple[User, Slot]] = [
        (mentor, slot)
        for slot in open_slots(mentor, skill_id, starts_at, minutes, now, days=14)[:3]
    ]
    day = starts_at.astimezone(ZoneInfo(mentor.school.timezone)).date()
    for match in find_mentors(
        skill_id=skill_id, start=day, end=day + timedelta(days=6), session_minutes=minutes, now=now
    ):
        if match.mentor.id != mentor.id and len(found) < limit:
            found.append((match.mentor, match.slots[0]))
    return found[:limit]


QUEUE_PAGE = 20
SESSIONS_PAGE = 20
MAX_PAGE = 10_000  # far past any real list; keeps OFFSET from overflowing


class _Person(NamedTuple):
    full_name: str
    role: Role


class SessionRow(NamedTuple):
    """One line of a session list: the columns the lists show, without loading any model."""

    id: int
    topic: str
    starts_at: datetime
    created_at: datetime
    status: BookingStatus
    timezone: str  # the mentor's school's, as on the session page
    mentor_full_name: str
    mentor_role: Role
    teacher_name: str

    @property
    def mentor_name(self) -> str:
        """The mentor as User.display_name shows them."""
        return User.display_name.fget(_Person(self.mentor_full_name, self.mentor_role))


@dataclass(frozen=True)
class SessionPage:
    rows: list[SessionRow]
    page: int
    per_page: int
    has_next: bool
    total: int | None = None  # counted only where the page says how many there are

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def first(self) -> int:
        """The position of the page's first row in the whole list, from 1."""
        return (self.page - 1) * self.per_page + 1

    @property
    def pages(self) -> int | None:
        return None if self.total is None else max(1, -(-self.total // self.per_page))


def _listed(*where, own: Role | None = None) -> Select:
    """The columns of a list row, the people and the mentor's school looked up by id.

    Lookups rather than joins: PostgreSQL plans them in a fraction of the time, and planning
    is most of what these statements cost, as none stays prepared (psycopg forgets prepared
    statements at every ROLLBACK, which ends each request). A mentor's or teacher's own list
    leaves out their own side: it comes from the signed-in user (see _row_builder).
    """
    columns: list = [
        Booking.id,
        Booking.topic,
        Booking.starts_at,
        Booking.created_at,
        Booking.status,
    ]
    if own is not Role.MENTOR:
        is_mentor = User.id == Booking.mentor_id
        columns += [
            db.select(School.timezone)
            .join(User, User.school_id == School.id)
            .where(is_mentor)
            .scalar_subquery(),
            db.select(User.full_name).where(is_mentor).scalar_subquery(),
            db.select(User.role).where(is_mentor).scalar_subquery(),
        ]
    if own is not Role.TEACHER:
        is_teacher = User.id == Booking.teacher_id
        columns.append(db.select(User.full_name).where(is_teacher).scalar_subquery())
    return db.select(*columns).where(*where)


def _row_builder(user: User) -> Callable[[Sequence], SessionRow]:
    """Makes SessionRows from _listed rows, adding the signed-in mentor's or teacher's side."""
    role = user.role  # read once: `user` is often current_user, a proxy
    if role is Role.MENTOR:
        mentor = (user.school.timezone, user.full_name, role)
        return lambda row: SessionRow(*row[:5], *mentor, row[5])
    if role is Role.TEACHER:
        teacher_name = user.full_name
        return lambda row: SessionRow(*row, teacher_name)
    return SessionRow._make


def _page_of(statement: Select, name: str) -> Select:
    return statement.limit(bindparam(f"{name}_limit")).offset(bindparam(f"{name}_offset"))


def _clamp(page: int) -> int:
    return max(1, min(page, MAX_PAGE))


def _count_waiting() -> Select:
    # count(*), not of a column: PostgreSQL can answer from the (status, created_at) index.
    return (
        db.select(db.func.count())
        .select_from(Booking)
        .where(Booking.status == BookingStatus.REQUESTED, Booking.series_id.is_(None))
    )


# Building these statements costs more than running them, so each shape is built once;
# the user, the time and the pages are bound when it runs.
@cache
def _waiting_statement() -> Select:
    # The count rides along with the page's rows: one statement instead of two.
    return _page_of(
        # A weekly series' dates wait as one row of their own (helpdesk.series, the queue page).
        _listed(Booking.status == BookingStatus.REQUESTED, Booking.series_id.is_(None))
        .add_columns(_count_waiting().correlate(None).scalar_subquery())
        .order_by(Booking.created_at, Booking.id),
        "page",
    )


def waiting_requests(page: int = 1, per_page: int = QUEUE_PAGE) -> SessionPage:
    """One page of the waiting requests, oldest first, and how many wait in all."""
    page = _clamp(page)
    rows = db.session.execute(
        _waiting_statement(), {"page_limit": per_page, "page_offset": (page - 1) * per_page}
    ).all()
    if rows:
        total = rows[0][-1]
    elif page > 1:  # past the end of the queue: count on its own
        total = db.session.scalar(_count_waiting())
    else:
        total = 0
    return SessionPage(
        [SessionRow._make(r[:-1]) for r in rows], page, per_page, page * per_page < total, total
    )


@cache
def _sessions_statement(role: Role) -> CompoundSelect:
    """A page of upcoming and a page of past sessions in one statement: a mentor's or teacher's
    own, the advisor's all. The last column says which list a row belongs to."""
    now = bindparam("now", type_=UTCDateTime())
    a_session_ago = bindparam("a_session_ago", type_=UTCDateTime())
    own = None if role is Role.ADVISOR else role
    if own is None:
        mine = true()
    else:
        owner = Booking.mentor_id if own is Role.MENTOR else Booking.teacher_id
        mine = owner == bindparam("user_id")
    # The bounds on starts_at follow from the ones on ends_at; they let the (mentor or teacher,
    # starts_at) index start at now instead of reading the whole history.
    upcoming = _page_of(
        _listed(mine, Booking.ends_at > now, Booking.starts_at > a_session_ago, own=own)
        .add_columns(literal(True).label("is_upcoming"))
        .order_by(Booking.starts_at, Booking.id),
        "upcoming",
    )
    past = _page_of(
        _listed(mine, Booking.ends_at <= now, Booking.starts_at < now, own=own)
        .add_columns(literal(False).label("is_upcoming"))
        .order_by(Booking.starts_at.desc(), Booking.id.desc()),
        "past",
    )
    return union_all(db.select(upcoming.subquery()), db.select(past.subquery()))


def sessions_for(
    user: User,
    now: datetime,
    upcoming_page: int = 1,
    past_page: int = 1,
    per_page: int = SESSIONS_PAGE,
) -> tuple[SessionPage, SessionPage]:
    """A page each of the (upcoming, past) sessions of a mentor or teacher; the advisor sees
    everyone's."""
    upcoming_page, past_page = _clamp(upcoming_page), _clamp(past_page)
    if user.role not in (Role.MENTOR, Role.TEACHER, Role.ADVISOR):
        rows = []
    else:
        # One row past each page tells whether there is a next page, without counting.
        rows = db.session.execute(
            _sessions_statement(user.role),
            {
                "user_id": user.id,
                "now": now,
                "a_session_ago": now - LONGEST_SESSION,
                "upcoming_limit": per_page + 1,
                "upcoming_offset": (upcoming_page - 1) * per_page,
                "past_limit": per_page + 1,
                "past_offset": (past_page - 1) * per_page,
            },
        ).all()
    # A union promises no order, so each list is put back in its own.
    make = _row_builder(user)
    upcoming = sorted((make(r[:-1]) for r in rows if r[-1]), key=_when)
    past = sorted((make(r[:-1]) for r in rows if not r[-1]), key=_when, reverse=True)
    return (
        SessionPage(upcoming[:per_page], upcoming_page, per_page, len(upcoming) > per_page),
        SessionPage(past[:per_page], past_page, per_page, len(past) > per_page),
    )


def _when(row: SessionRow) -> tuple[datetime, int]:
    return row.starts_at, row.id


def week_of(start: datetime, end: datetime) -> list[Booking]:
    return list(
        db.session.scalars(
            db.select(Booking)
            .where(
                Booking.starts_at >= start,
                Booking.starts_at < end,
                Booking.status.in_(HOLDING_STATUSES + (BookingStatus.CANCELLED,)),
            )
            .order_by(Booking.starts_at)
        )
    )
