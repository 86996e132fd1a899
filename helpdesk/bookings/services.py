"""Booking rules: request, approve, decline, reassign, cancel, reschedule (cron passes: jobs.py)."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import CompoundSelect, Select, bindparam, literal, true, union_all
from sqlalchemy.exc import IntegrityError

from helpdesk.accounts.models import Role, User
from helpdesk.availability.services import booking_rules, program_settings
from helpdesk.availability.slots import Slot
from helpdesk.bookings import notices
from helpdesk.bookings.lifecycle import BookingError, bump, record, transition
from helpdesk.bookings.locks import lock_people
from helpdesk.bookings.models import HOLDING_STATUSES, Booking, BookingFormat, BookingStatus
from helpdesk.db import UTCDateTime
from helpdesk.extensions import db
from helpdesk.finder.services import LONGEST_SESSION, NOT_HOLDING_STATUSES, find_mentors
from helpdesk.formatting import local_time, plural
from helpdesk.mentors.models import MentorProfile, MentorSkill
from helpdesk.safeguarding.services import meeting_link_refusal
from helpdesk.schools.models import School
from helpdesk.skills.models import Skill

__all__ = ["BookingError", "SlotTaken"]
JUST_TAKEN = "That time was just taken."
TEACHER_BUSY = "You already have a session at that time."


class SlotTaken(BookingError):
    """The slot is gone; `alternatives` holds other open times to offer."""

    def __init__(self, message: str, alternatives: list[tuple[User, Slot]] | None = None):
        super().__init__(message)
        self.alternatives = alternatives or []


@dataclass
class BookingRequest:
    mentor_id: int
    skill_id: int
    starts_at: datetime
    minutes: int
    topic: str
    learning_goal: str
    format: BookingFormat
    room: str = ""
    meeting_url: str = ""
    notes: str = ""
    request_key: str | None = None
    agrees_to_norms: bool = False


def is_overlap(error: IntegrityError) -> bool:
    """The database's overlap guard fired (PostgreSQL exclusion constraint or SQLite trigger)."""
    return getattr(error.orig, "sqlstate", None) == "23P01" or "booking_overlap" in str(error.orig)


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
) -> list[Slot]:
    """The mentor's open slots for this skill from the local day of starts_at, for `days` days;
    none for a length the program no longer offers (the finder searches offered lengths only)."""
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
    )
    return matches[0].slots if matches else []


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


def _validate(request: BookingRequest) -> None:
    if not request.topic.strip():
        raise BookingError("Say what the session is about.")
    if not request.learning_goal.strip():
        raise BookingError(
            "Every session needs a learning goal: what do you want to be able to do?"
        )
    if request.format is BookingFormat.IN_PERSON and not request.room.strip():
        raise BookingError("For an in-person session, say which room.")
    if request.format is BookingFormat.ONLINE:
        # Not urlsplit alone: it drops CR/LF, which then break every calendar feed it reaches;
        # and only on the hosts the district supervises (helpdesk.safeguarding).
        problem = meeting_link_refusal(request.meeting_url)
        if problem:
            raise BookingError(problem)


def request_booking(teacher: User, request: BookingRequest, now: datetime) -> Booking:
    """A teacher asks for a slot; the session holds it while it waits for approval."""
    # Before the rules read anything (helpdesk.bookings.locks). The teacher too: the database
    # refuses their overlaps, but a clash found there can only answer "just taken", and a form
    # sent twice must find its first session; queued here, the second request reads the first.
    lock_people(request.mentor_id, teacher.id)
    if request.request_key:
        existing = db.session.scalar(
            db.select(Booking).where(Booking.request_key == request.request_key)
        )
        if existing is not None and existing.teacher_id == teacher.id:
            return existing
    mentor = db.session.get(User, request.mentor_id)
    if mentor is None or mentor.role is not Role.MENTOR or not mentor.is_active:
        raise BookingError("That mentor is not available.")
    if db.session.get(Skill, request.skill_id) is None:
        raise BookingError("Choose a topic.")
    _validate(request)
    first_time = is_first_pairing(teacher, mentor)
    if first_time and not request.agrees_to_norms:
        raise BookingError(
            "Before your first session with this mentor, please agree to the program norms."
        )
    ends_at = request.starts_at + timedelta(minutes=request.minutes)
    if not any(
        slot.start_at == request.starts_at
        for slot in open_slots(mentor, request.skill_id, request.starts_at, request.minutes, now)
    ):
        raise SlotTaken(
            why_not_open(mentor, request.starts_at, ends_at),
            alternatives_for(mentor, request.skill_id, request.starts_at, request.minutes, now),
        )
    if _teacher_is_busy(teacher, request.starts_at, ends_at):
        raise BookingError(TEACHER_BUSY)

    booking = Booking(
        mentor_id=mentor.id,
        teacher_id=teacher.id,
        skill_id=request.skill_id,
        starts_at=request.starts_at,
        ends_at=ends_at,
        status=BookingStatus.REQUESTED,
        topic=request.topic.strip()[:200],
        learning_goal=request.learning_goal.strip(),
        format=request.format,
        room=request.room.strip()[:80] if request.format is BookingFormat.IN_PERSON else "",
        meeting_url=request.meeting_url.strip()[:500]
        if request.format is BookingFormat.ONLINE
        else "",
        notes=request.notes.strip(),
        request_key=request.request_key,
        norms_agreed_at=now if first_time else None,
    )
    try:
        with db.session.begin_nested():
            db.session.add(booking)
            db.session.flush()
    except IntegrityError as error:
        if request.request_key and "request_key" in str(error.orig):
            existing = db.session.scalar(
                db.select(Booking).where(Booking.request_key == request.request_key)
            )
            if existing is not None and existing.teacher_id == teacher.id:
                return existing
        if is_overlap(error):
            raise SlotTaken(
                JUST_TAKEN,
                alternatives_for(mentor, request.skill_id, request.starts_at, request.minutes, now),
            ) from error
        raise
    record(booking, teacher, None, BookingStatus.REQUESTED, "Requested")
    notices.requested(booking)
    return booking


def _teacher_is_busy(
    teacher: User, starts_at: datetime, ends_at: datetime, exclude_id: int | None = None
) -> bool:
    return bool(
        db.session.scalar(
            db.select(
                db.exists().where(
                    Booking.teacher_id == teacher.id,
                    Booking.status.in_(HOLDING_STATUSES),
                    Booking.starts_at < ends_at,
                    Booking.ends_at > starts_at,
                    Booking.id != (exclude_id or -1),
                )
            )
        )
    )


def why_not_open(
    mentor: User, starts_at: datetime, ends_at: datetime, exclude_id: int | None = None
) -> str:
    """Why the slot engine refused this time, told for the rules that read the mentor's other
    sessions (taken, weekly cap, buffer); any other reason reads as taken. Call under lock_people."""
    theirs = (
        Booking.mentor_id == mentor.id,
        Booking.status.not_in(NOT_HOLDING_STATUSES),
        Booking.id != (exclude_id or -1),
    )
    if _exists(*theirs, Booking.starts_at < ends_at, Booking.ends_at > starts_at):
        return JUST_TAKEN
    own_cap = db.session.scalar(
        db.select(MentorProfile.weekly_cap).where(MentorProfile.user_id == mentor.id)
    )
    minutes = int((ends_at - starts_at).total_seconds() // 60)
    rules = booking_rules(program_settings(), minutes, own_cap)
    # The engine's week: Monday to Sunday on the school's clock.
    zone = ZoneInfo(mentor.school.timezone)
    day = starts_at.astimezone(zone).date()
    monday = day - timedelta(days=day.weekday())
    that_week = db.session.scalar(
        db.select(db.func.count())
        .select_from(Booking)
        .where(
            *theirs,
            Booking.starts_at >= datetime.combine(monday, time.min, zone),
            Booking.starts_at < datetime.combine(monday + timedelta(days=7), time.min, zone),
        )
    )
    if that_week >= rules.weekly_cap:
        most = plural(rules.weekly_cap, "session")
        return f"{mentor.display_name} is fully booked that week ({most} a week at most)."
    buffer = timedelta(minutes=rules.buffer_minutes)
    if _exists(*theirs, Booking.starts_at < ends_at + buffer, Booking.ends_at > starts_at - buffer):
        return (
            f"{mentor.display_name} needs {plural(rules.buffer_minutes, 'minute')} between sessions, "
            "and has another one too close to that time."
        )
    return JUST_TAKEN


def _exists(*where) -> bool:
    return bool(db.session.scalar(db.select(db.exists().where(*where))))


def approve_booking(booking: Booking, advisor: User) -> None:
    transition(booking, BookingStatus.APPROVED, advisor, "Approved")
    notices.approved(booking)


def approve_many(ids: list[int], advisor: User) -> tuple[int, int]:
    """Approve each session still waiting; returns (approved, already decided)."""
    approved = skipped = 0
    for booking in db.session.scalars(
        db.select(Booking).where(Booking.id.in_(ids)).order_by(Booking.created_at)
    ):
        try:
            with db.session.begin_nested():
                approve_booking(booking, advisor)
            approved += 1
        except BookingError:
            skipped += 1
    return approved, skipped


def decline_booking(booking: Booking, actor: User, reason: str) -> None:
    if not reason.strip():
        raise BookingError("Give a reason, so the teacher knows what to do next.")
    transition(booking, BookingStatus.DECLINED, actor, reason)
    notices.declined(booking, reason)


def cancel_booking(booking: Booking, actor: User, reason: str, now: datetime) -> None:
    if not reason.strip():
        raise BookingError("Give a reason for cancelling.")
    if booking.starts_at <= now:
        raise BookingError("A session that has started cannot be cancelled.")
    was_approved = booking.status is BookingStatus.APPROVED
    transition(booking, BookingStatus.CANCELLED, actor, reason)
    notices.cancelled(booking, reason, actor, with_calendar=was_approved)


def cancel_for_departure(booking: Booking, advisor: User | None, now: datetime) -> None:
    """The mentor left the program: the session is cancelled and the teacher is told which other
    mentors can teach it at the same time."""
    if booking.starts_at <= now:
        raise BookingError("A session that has started cannot be cancelled.")
    others = free_mentors_then(booking, now)[:5]
    was_approved = booking.status is BookingStatus.APPROVED
    transition(booking, BookingStatus.CANCELLED, advisor, "The mentor left the program")
    notices.mentor_left(booking, others, with_calendar=was_approved)


def reassign_booking(booking: Booking, advisor: User, new_mentor: User, now: datetime) -> None:
    """Give a waiting or approved session to another mentor with the skill who is free then."""
    if booking.status not in (BookingStatus.REQUESTED, BookingStatus.APPROVED):
        raise BookingError("Only a waiting or approved session can be reassigned.")
    if new_mentor.id == booking.mentor_id:
        raise BookingError("That mentor already has this session.")
    # Both timetables change: the session leaves one and joins the other (whose rules are checked).
    lock_people(booking.mentor_id, new_mentor.id)
    has_skill = db.session.scalar(
        db.select(
            db.exists().where(
                MentorSkill.mentor_id == new_mentor.id, MentorSkill.skill_id == booking.skill_id
            )
        )
    )
    minutes = int((booking.ends_at - booking.starts_at).total_seconds() // 60)
    not_free = f"{new_mentor.display_name} is not free for this topic at that time."
    if not has_skill:
        raise BookingError(not_free)
    if not any(
        s.start_at == booking.starts_at
        for s in open_slots(new_mentor, booking.skill_id, booking.starts_at, minutes, now)
    ):
        reason = why_not_open(new_mentor, booking.starts_at, booking.ends_at)
        raise BookingError(not_free if reason == JUST_TAKEN else reason)
    previous = booking.mentor
    try:
        with db.session.begin_nested():
            bump(
                booking,
                advisor,
                f"Reassigned from {previous.display_name} to {new_mentor.display_name}",
                mentor_id=new_mentor.id,
            )
    except IntegrityError as error:
        if is_overlap(error):
            raise BookingError(
                f"{new_mentor.display_name} was just booked at that time."
            ) from error
        raise
    notices.reassigned(booking, previous)


def reschedule_booking(booking: Booking, actor: User, new_start: datetime, now: datetime) -> None:
    """Move an approved session to another open slot of the same mentor; history is kept."""
    if booking.status is not BookingStatus.APPROVED:
        raise BookingError("Only an approved session can be rescheduled.")
    if booking.starts_at <= now:
        raise BookingError("A session that has started cannot be rescheduled.")
    minutes = booking.minutes
    if not is_offered(minutes):
        raise BookingError(
            f"Sessions of {plural(minutes, 'minute')} are no longer offered, so this one cannot "
            "be moved. Cancel it and book a new time."
        )
    new_end = new_start + timedelta(minutes=minutes)
    lock_people(booking.mentor_id, booking.teacher_id)
    slots = open_slots(
        booking.mentor, booking.skill_id, new_start, minutes, now, exclude_booking_id=booking.id
    )
    if not any(s.start_at == new_start for s in slots):
        raise SlotTaken(
            why_not_open(booking.mentor, new_start, new_end, exclude_id=booking.id),
            alternatives_for(booking.mentor, booking.skill_id, new_start, minutes, now),
        )
    if _teacher_is_busy(booking.teacher, new_start, new_end, exclude_id=booking.id):
        raise BookingError("The teacher already has a session at that time.")
    old_start = booking.starts_at
    school = booking.mentor.school
    try:
        with db.session.begin_nested():
            bump(
                booking,
                actor,
                f"Rescheduled from {local_time(old_start, school.timezone, school.locale)}",
                starts_at=new_start,
                ends_at=new_end,
                reminded_at=None,
            )
    except IntegrityError as error:
        if is_overlap(error):
            raise SlotTaken(JUST_TAKEN) from error
        raise
    notices.rescheduled(booking, old_start)


def cancel_for_closure(school_id: int, day, reason: str, actor: User, now: datetime) -> int:
    """A day closed after booking (a snow day): its sessions are cancelled, with notice and new times."""
    school = db.session.get(School, school_id)
    zone = ZoneInfo(school.timezone)
    start = datetime.combine(day, datetime.min.time(), zone)
    affected = db.session.scalars(
        db.select(Booking)
        .join(User, User.id == Booking.mentor_id)
        .where(
            User.school_id == school_id,
            Booking.status.in_((BookingStatus.REQUESTED, BookingStatus.APPROVED)),
            Booking.starts_at >= start,
            Booking.starts_at < start + timedelta(days=1),
        )
    ).all()
    for booking in affected:
        was_approved = booking.status is BookingStatus.APPROVED
        transition(booking, BookingStatus.CANCELLED, actor, f"School closed: {reason}")
        minutes = int((booking.ends_at - booking.starts_at).total_seconds() // 60)
        offers = open_slots(
            booking.mentor, booking.skill_id, booking.starts_at, minutes, now, days=14
        )[:3]
        notices.closed(booking, reason, offers, with_calendar=was_approved)
    return len(affected)


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
