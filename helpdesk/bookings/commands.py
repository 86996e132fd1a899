"""Booking commands: request, approve, decline, reassign, cancel, reschedule, cancel for a
closure or a departure (read models: lists.py; cron passes: jobs.py)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError

from helpdesk.accounts.models import Role, User
from helpdesk.availability.services import booking_rules, program_settings
from helpdesk.availability.slots import Slot
from helpdesk.bookings import notices
from helpdesk.bookings.lifecycle import BookingError, bump, record, transition
from helpdesk.bookings.lists import (
    alternatives_for,
    at_school,
    closure_for,
    free_mentors_then,
    is_first_pairing,
    is_offered,
    open_slots,
)
from helpdesk.bookings.locks import lock_people
from helpdesk.bookings.models import HOLDING_STATUSES, Booking, BookingFormat, BookingStatus
from helpdesk.extensions import db
from helpdesk.finder.services import NOT_HOLDING_STATUSES
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
    _refuse_if_closed(teacher, request.starts_at, "Your school")
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


def _refuse_if_closed(teacher: User, starts_at: datetime, whose: str) -> None:
    """The finder offers a teacher no time on a day their school is closed; nor does booking."""
    closure = closure_for(teacher, starts_at)
    if closure is not None:
        raise BookingError(f"{whose} is closed that day ({closure.name}). Choose another day.")


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
    _refuse_if_closed(booking.teacher, new_start, "The teacher's school")
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


def cancel_for_closure(
    school_id: int, day: date, reason: str, actor: User | None, now: datetime
) -> int:
    """A day closed after booking (a snow day): its sessions are cancelled, with notice and new
    times. A closure at either side's school counts: the mentor's or the teacher's."""
    school = db.session.get(School, school_id)
    zone = ZoneInfo(school.timezone)
    start = datetime.combine(day, time.min, zone)
    affected = db.session.scalars(
        db.select(Booking)
        .where(
            at_school(school_id),
            Booking.status.in_((BookingStatus.REQUESTED, BookingStatus.APPROVED)),
            Booking.starts_at >= start,
            Booking.starts_at < datetime.combine(day + timedelta(days=1), time.min, zone),
        )
        .order_by(Booking.starts_at, Booking.id)
    ).all()
    for booking in affected:
        was_approved = booking.status is BookingStatus.APPROVED
        transition(booking, BookingStatus.CANCELLED, actor, f"School closed: {reason}")
        minutes = int((booking.ends_at - booking.starts_at).total_seconds() // 60)
        offers = open_slots(
            booking.mentor,
            booking.skill_id,
            booking.starts_at,
            minutes,
            now,
            days=14,
            teacher=booking.teacher,
        )[:3]
        notices.closed(booking, reason, offers, with_calendar=was_approved)
    return len(affected)
