"""Workshops' state changes: propose, decide, sign up and leave (the seat guarantee), seats,
cancel and attendance. Services flush, never commit.

Seats can never be overbooked: `workshop.seats_taken` counts seated teachers, a CHECK keeps it
within `seats`, and a seat is taken only by `UPDATE … SET seats_taken = seats_taken + 1 WHERE
id = ? AND seats_taken < seats`, whose row count says whether a seat was had. One row, one
atomic statement on both databases (PostgreSQL re-checks the WHERE on the row it waited for;
SQLite writes under BEGIN IMMEDIATE), with no free-seat search. Seat changes of one workshop
also take the workshop's row lock first (PostgreSQL), so a sign-up and a departure cannot pass
each other: a freed seat always goes to the first on the waitlist, never stays free beside it.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from helpdesk.accounts.models import Role, User
from helpdesk.bookings.locks import lock_people
from helpdesk.bookings.models import HOLDING_STATUSES, Booking, BookingFormat
from helpdesk.clock import utcnow
from helpdesk.extensions import db
from helpdesk.reflections.models import Reflection
from helpdesk.reflections.services import ReflectionError, ReflectionInput, new_reflection
from helpdesk.safeguarding.services import meeting_link_refusal
from helpdesk.workshops import notices
from helpdesk.workshops.models import (
    ATTENDEE_ROLES,
    SIGNED_UP,
    SeatStatus,
    Workshop,
    WorkshopHost,
    WorkshopSeat,
    WorkshopStatus,
)
from helpdesk.workshops.signals import workshop_attended

MAX_SEATS = 200
MAX_HOSTS = 4
LONGEST = timedelta(hours=4)
OVERLAP = "workshop_overlap"


class WorkshopError(ValueError):
    """A workshop rule was broken; the message is safe to show."""


@dataclass(frozen=True)
class WorkshopInput:
    skill_id: int
    title: str
    description: str
    starts_at: datetime
    ends_at: datetime
    format: BookingFormat
    room: str
    meeting_url: str
    seats: int
    mentor_ids: tuple[int, ...]


def is_overlap(error: IntegrityError) -> bool:
    """A time guard fired: the sessions' own, or the one between sessions and workshops."""
    text = str(error.orig)
    return (
        getattr(error.orig, "sqlstate", None) == "23P01"
        or "booking_overlap" in text
        or OVERLAP in text
    )


def _validate(data: WorkshopInput, now: datetime) -> None:
    if not data.title.strip():
        raise WorkshopError("Give the workshop a title.")
    if not data.description.strip():
        raise WorkshopError("Say what teachers will learn.")
    if data.ends_at <= data.starts_at:
        raise WorkshopError("The workshop must end after it starts.")
    if data.ends_at - data.starts_at > LONGEST:
        raise WorkshopError("A workshop lasts at most 4 hours.")
    if data.starts_at <= now:
        raise WorkshopError("Choose a time in the future.")
    if not 1 <= data.seats <= MAX_SEATS:
        raise WorkshopError(f"Offer between 1 and {MAX_SEATS} seats.")
    if data.format is BookingFormat.IN_PERSON and not data.room.strip():
        raise WorkshopError("For an in-person workshop, say which room.")
    if data.format is BookingFormat.ONLINE:
        problem = meeting_link_refusal(data.meeting_url)
        if problem:
            raise WorkshopError(problem)


def _hosts(proposer: User, mentor_ids: tuple[int, ...]) -> list[User]:
    ids = set(mentor_ids) | ({proposer.id} if proposer.is_mentor else set())
    if not ids:
        raise WorkshopError("Choose at least one mentor to run the workshop.")
    if len(ids) > MAX_HOSTS:
        raise WorkshopError(f"At most {MAX_HOSTS} mentors run one workshop.")
    mentors = list(
        db.session.scalars(
            db.select(User).where(
                User.id.in_(ids), User.role == Role.MENTOR, User.is_active.is_(True)
            )
        )
    )
    if len(mentors) != len(ids):
        raise WorkshopError("Choose mentors from the list.")
    return sorted(mentors, key=lambda m: m.id)


def _busy_mentors(mentors: list[User], starts_at: datetime, ends_at: datetime) -> list[User]:
    """Mentors with a session or another workshop holding time that overlaps."""
    ids = [m.id for m in mentors]
    in_session = db.select(Booking.mentor_id).where(
        Booking.mentor_id.in_(ids),
        Booking.status.in_(HOLDING_STATUSES),
        Booking.starts_at < ends_at,
        Booking.ends_at > starts_at,
    )
    in_workshop = db.select(WorkshopHost.mentor_id).where(
        WorkshopHost.mentor_id.in_(ids),
        WorkshopHost.is_holding.is_(True),
        WorkshopHost.starts_at < ends_at,
        WorkshopHost.ends_at > starts_at,
    )
    busy = set(db.session.scalars(in_session.union(in_workshop)))
    return [m for m in mentors if m.id in busy]


def _busy_message(busy: list[User]) -> str:
    names = ", ".join(m.display_name for m in busy)
    verb = "has" if len(busy) == 1 else "have"
    return f"{names} {verb} a session or a workshop then. Choose another time."


def propose_workshop(proposer: User, data: WorkshopInput, now: datetime) -> Workshop:
    """A mentor proposes (the advisor approves later); the advisor's own is approved at once.
    The hosting mentors' time is held from now on, by the database's overlap guard."""
    if not (proposer.is_mentor or proposer.is_advisor):
        raise WorkshopError("Only mentors and the advisor create workshops.")
    _validate(data, now)
    # Under the same people lock as sessions (helpdesk.bookings.locks): the check below then
    # reads every session committed before, and the guard refuses what comes after.
    lock_people(*{*data.mentor_ids, proposer.id})
    mentors = _hosts(proposer, data.mentor_ids)
    busy = _busy_mentors(mentors, data.starts_at, data.ends_at)
    if busy:
        raise WorkshopError(_busy_message(busy))
    workshop = Workshop(
        skill_id=data.skill_id,
        title=" ".join(data.title.split()),
        description=data.description.strip(),
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        format=data.format,
        room=data.room.strip() if data.format is BookingFormat.IN_PERSON else "",
        meeting_url=data.meeting_url.strip() if data.format is BookingFormat.ONLINE else "",
        seats=data.seats,
        proposed_by_id=proposer.id,
        status=WorkshopStatus.APPROVED if proposer.is_advisor else WorkshopStatus.PROPOSED,
        decided_by_id=proposer.id if proposer.is_advisor else None,
        hosts=[
            WorkshopHost(mentor_id=m.id, starts_at=data.starts_at, ends_at=data.ends_at)
            for m in mentors
        ],
    )
    try:
        with db.session.begin_nested():
            db.session.add(workshop)
    except IntegrityError as error:
        if is_overlap(error):
            raise WorkshopError(_busy_message(mentors)) from error
        raise
    if workshop.status is WorkshopStatus.PROPOSED:
        notices.proposed(workshop, proposer)
    else:
        notices.approved(workshop)
    return workshop


def _decide(workshop: Workshop, advisor: User, to: WorkshopStatus, reason: str = "") -> None:
    if not advisor.is_advisor:
        raise WorkshopError("Only the advisor decides on workshops.")
    # Compare-and-swap: two advisors deciding at once, one wins.
    changed = db.session.execute(
        update(Workshop)
        .where(Workshop.id == workshop.id, Workshop.status == WorkshopStatus.PROPOSED)
        .values(
            status=to,
            decided_by_id=advisor.id,
            decline_reason=reason,
            sequence=Workshop.sequence + 1,
            updated_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if not changed:
        raise WorkshopError("This workshop has already been decided.")
    db.session.refresh(workshop)


def approve_workshop(workshop: Workshop, advisor: User) -> None:
    _decide(workshop, advisor, WorkshopStatus.APPROVED)
    notices.approved(workshop)


def decline_workshop(workshop: Workshop, advisor: User, reason: str) -> None:
    if not reason.strip():
        raise WorkshopError("Give the mentors a reason.")
    _decide(workshop, advisor, WorkshopStatus.DECLINED, reason.strip())
    _release(workshop)
    notices.declined(workshop)


def _release(workshop: Workshop) -> None:
    for host in workshop.hosts:
        host.is_holding = False
    db.session.flush()


def cancel_workshop(workshop: Workshop, actor: User, reason: str, now: datetime) -> None:
    """A hosting mentor or the advisor cancels; everyone signed up and the mentors are told."""
    if not workshop.can_cancel(actor, now):
        raise WorkshopError("This workshop can no longer be cancelled.")
    if not reason.strip():
        raise WorkshopError("Say why the workshop is cancelled.")
    _lock(workshop)
    if workshop.status not in (WorkshopStatus.PROPOSED, WorkshopStatus.APPROVED):
        raise WorkshopError("This workshop has already been cancelled.")
    workshop.status = WorkshopStatus.CANCELLED
    workshop.decline_reason = reason.strip()
    workshop.sequence += 1
    _release(workshop)
    notices.cancelled(workshop, actor, signed_up(workshop))


def _lock(workshop: Workshop) -> None:
    """Hold the workshop's row (PostgreSQL; SQLite writes are serialized) and read it fresh."""
    db.session.execute(
        db.select(Workshop.id).where(Workshop.id == workshop.id).with_for_update()
    ).all()
    db.session.refresh(workshop)


def own_seat(workshop: Workshop, user: User) -> WorkshopSeat | None:
    return db.session.scalar(
        db.select(WorkshopSeat).where(
            WorkshopSeat.workshop_id == workshop.id, WorkshopSeat.teacher_id == user.id
        )
    )


def _take_seat(workshop: Workshop) -> bool:
    """One more seated teacher, if a seat is free: the database decides (see the module)."""
    return bool(
        db.session.execute(
            update(Workshop)
            .where(Workshop.id == workshop.id, Workshop.seats_taken < Workshop.seats)
            .values(seats_taken=Workshop.seats_taken + 1)
            .execution_options(synchronize_session=False)
        ).rowcount
    )


def sign_up(workshop: Workshop, teacher: User, now: datetime) -> WorkshopSeat:
    """A seat if one is free, else the end of the waitlist."""
    if teacher.role not in ATTENDEE_ROLES:
        raise WorkshopError("Workshops are for teachers and staff.")
    _lock(workshop)
    if not workshop.can_sign_up(teacher, now):
        raise WorkshopError("This workshop is not open for sign-up.")
    seat = own_seat(workshop, teacher)
    if seat is not None and seat.status in SIGNED_UP:
        raise WorkshopError("You are already signed up.")
    status = SeatStatus.SEATED if _take_seat(workshop) else SeatStatus.WAITLISTED
    if seat is None:
        seat = WorkshopSeat(workshop_id=workshop.id, teacher_id=teacher.id, status=status)
        db.session.add(seat)
    else:
        seat.status = status
    seat.joined_at = now
    if status is SeatStatus.SEATED:
        seat.seated_at = now  # kept after leaving: their calendar feed then shows it cancelled
    db.session.flush()
    db.session.refresh(workshop)
    return seat


def leave(workshop: Workshop, teacher: User, now: datetime) -> SeatStatus:
    """Give up a seat (the first on the waitlist takes it) or a place on the waitlist."""
    _lock(workshop)
    seat = own_seat(workshop, teacher)
    if seat is None or seat.status not in SIGNED_UP:
        raise WorkshopError("You are not signed up for this workshop.")
    if workshop.starts_at <= now:
        raise WorkshopError("The workshop has started.")
    was = seat.status
    # Compare-and-swap: the same person leaving twice at once leaves once.
    left = db.session.execute(
        update(WorkshopSeat)
        .where(WorkshopSeat.id == seat.id, WorkshopSeat.status == was)
        .values(status=SeatStatus.LEFT)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not left:
        raise WorkshopError("You are not signed up for this workshop.")
    if was is SeatStatus.SEATED:
        db.session.execute(
            update(Workshop)
            .where(Workshop.id == workshop.id)
            .values(seats_taken=Workshop.seats_taken - 1)
            .execution_options(synchronize_session=False)
        )
        _promote(workshop, now)
    db.session.refresh(seat)
    db.session.refresh(workshop)
    return was


def waitlist(workshop: Workshop) -> list[WorkshopSeat]:
    return list(
        db.session.scalars(
            db.select(WorkshopSeat)
            .where(
                WorkshopSeat.workshop_id == workshop.id,
                WorkshopSeat.status == SeatStatus.WAITLISTED,
            )
            .order_by(WorkshopSeat.joined_at, WorkshopSeat.id)
        )
    )


def _promote(workshop: Workshop, now: datetime) -> int:
    """Free seats go to the waitlist in sign-up order, each with a notice. Call under _lock."""
    promoted = 0
    for seat in waitlist(workshop):
        if not _take_seat(workshop):
            break
        seat.status = SeatStatus.SEATED
        seat.seated_at = now
        db.session.flush()
        notices.promoted(workshop, seat.teacher)
        promoted += 1
    return promoted


def change_seats(workshop: Workshop, advisor: User, seats: int, now: datetime) -> int:
    """The advisor changes the number of seats, never below those taken; returns how many
    moved up from the waitlist."""
    if not workshop.can_change_seats(advisor, now):
        raise WorkshopError("Only the advisor changes seats, before the workshop.")
    if not 1 <= seats <= MAX_SEATS:
        raise WorkshopError(f"Offer between 1 and {MAX_SEATS} seats.")
    _lock(workshop)
    if seats < workshop.seats_taken:
        raise WorkshopError(
            f"{workshop.seats_taken} teachers already have seats: "
            "offer at least that many, or ask some to leave first."
        )
    changed = db.session.execute(
        update(Workshop)
        .where(Workshop.id == workshop.id, Workshop.seats_taken <= seats)
        .values(seats=seats)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not changed:
        raise WorkshopError("Seats changed meanwhile; try again.")
    db.session.refresh(workshop)
    promoted = _promote(workshop, now)
    db.session.refresh(workshop)
    return promoted


def signed_up(workshop: Workshop) -> list[WorkshopSeat]:
    return list(
        db.session.scalars(
            db.select(WorkshopSeat)
            .where(WorkshopSeat.workshop_id == workshop.id, WorkshopSeat.status.in_(SIGNED_UP))
            .order_by(WorkshopSeat.status, WorkshopSeat.joined_at, WorkshopSeat.id)
        )
    )


def take_attendance(workshop: Workshop, user: User, attended_ids: set[int], now: datetime) -> list:
    """The mentors (or the advisor) say who came, once; `workshop_attended` is sent with them."""
    if not workshop.can_take_attendance(user, now):
        raise WorkshopError("Attendance is taken by the workshop's mentors after it ends.")
    taken = db.session.execute(
        update(Workshop)
        .where(Workshop.id == workshop.id, Workshop.attendance_taken_at.is_(None))
        .values(attendance_taken_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not taken:
        raise WorkshopError("Attendance has already been taken.")
    seated = [s for s in signed_up(workshop) if s.status is SeatStatus.SEATED]
    unknown = attended_ids - {s.teacher_id for s in seated}
    if unknown:
        raise WorkshopError("Only teachers with a seat can be marked as attending.")
    for seat in seated:
        seat.attended = seat.teacher_id in attended_ids
    db.session.flush()
    db.session.refresh(workshop)
    attendees = [s.teacher for s in seated if s.attended]
    notices.attended(workshop, attendees)
    workshop_attended.send(
        workshop,
        attendees=attendees,
        hosts=[h.mentor for h in workshop.hosts],
        minutes=workshop.minutes,
    )
    return attendees


def reflection_side(workshop: Workshop, user: User) -> str | None:
    """Mentors reflect as mentors, teachers who came as teachers; nobody before attendance."""
    if workshop.attendance_taken_at is None:
        return None
    if workshop.is_host(user):
        return "mentor"
    seat = own_seat(workshop, user)
    if seat is not None and seat.attended:
        return "teacher"
    return None


def own_reflection(workshop: Workshop, user: User) -> Reflection | None:
    return db.session.scalar(
        db.select(Reflection).where(
            Reflection.workshop_id == workshop.id, Reflection.author_id == user.id
        )
    )


def reflect(workshop: Workshop, user: User, answers: ReflectionInput) -> Reflection:
    """Attendees and mentors reflect once each, as on a session (helpdesk.reflections)."""
    side = reflection_side(workshop, user)
    if side is None:
        raise ReflectionError("Only the workshop's mentors and those who came can reflect on it.")
    if own_reflection(workshop, user) is not None:
        raise ReflectionError("You have already reflected on this workshop.")
    reflection = new_reflection(side, user, answers, workshop_id=workshop.id)
    db.session.add(reflection)
    db.session.flush()
    if reflection.kudos:
        notices.kudos(workshop, user, reflection.kudos)
    return reflection


def visible_reflections(workshop: Workshop, user: User) -> list[Reflection]:
    """The advisor and the mentors see all; an attendee sees their own and, once they wrote it,
    the mentors' (never another teacher's)."""
    reflections = list(
        db.session.scalars(
            db.select(Reflection)
            .where(Reflection.workshop_id == workshop.id)
            .order_by(Reflection.id)
        )
    )
    if user.is_advisor or workshop.is_host(user):
        return reflections
    if not any(r.author_id == user.id for r in reflections):
        return []
    return [r for r in reflections if r.author_id == user.id or r.side == "mentor"]
