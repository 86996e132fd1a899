"""Completing a session, and the reflections each side writes afterwards."""

from dataclasses import dataclass
from datetime import datetime

from helpdesk.accounts.models import User
from helpdesk.bookings.lifecycle import BookingError, transition
from helpdesk.bookings.models import Booking, BookingStatus
from helpdesk.extensions import db
from helpdesk.notifications.services import notify
from helpdesk.reflections.models import Reflection, SessionReport
from helpdesk.reflections.signals import session_completed

__all__ = ["BookingError", "ReflectionError"]


class ReflectionError(ValueError):
    """A reflection that breaks a rule; the message is safe to show."""


def can_complete(booking: Booking, user: User, now: datetime) -> bool:
    return (
        booking.status is BookingStatus.APPROVED
        and booking.ends_at <= now
        and (user.is_advisor or user.id == booking.mentor_id)
    )


def complete_session(
    booking: Booking,
    user: User,
    now: datetime,
    *,
    showed_up: bool,
    covered: str,
    steps: str,
    links: str,
) -> None:
    """The mentor (or advisor) closes a session after its end, with notes, or as a no-show."""
    if not can_complete(booking, user, now):
        raise BookingError("Only the mentor or the advisor can close a session, after it ends.")
    if showed_up and not covered.strip():
        raise BookingError("Say briefly what was covered.")
    transition(
        booking,
        BookingStatus.COMPLETED if showed_up else BookingStatus.NO_SHOW,
        user,
        "" if showed_up else "No-show",
    )
    if showed_up:
        db.session.add(
            SessionReport(
                booking_id=booking.id,
                author_id=user.id,
                covered=covered.strip(),
                steps=steps.strip(),
                links=links.strip(),
            )
        )
        notify(
            [booking.teacher],
            f"How did it go? Reflect on “{booking.topic}”",
            f"/sessions/{booking.id}#reflect",
        )
        if user.id != booking.mentor_id:
            notify(
                [booking.mentor], f"Reflect on “{booking.topic}”", f"/sessions/{booking.id}#reflect"
            )
        db.session.flush()
        session_completed.send(booking)
    db.session.flush()


def side_of(booking: Booking, user: User) -> str | None:
    if user.id == booking.teacher_id:
        return "teacher"
    if user.id == booking.mentor_id:
        return "mentor"
    return None


@dataclass(frozen=True)
class ReflectionInput:
    learned: str = ""
    view_change: str = ""
    classroom_use: str = ""
    rating: int | None = None
    kudos: str = ""
    share_kudos: bool = False  # on the recognition page
    went_well: str = ""
    try_next: str = ""


def reflect(booking: Booking, user: User, answers: ReflectionInput) -> Reflection:
    """Each side reflects once, after a completed session."""
    side = side_of(booking, user)
    if side is None or booking.status is not BookingStatus.COMPLETED:
        raise ReflectionError("Only the two people in a completed session can reflect on it.")
    if own_reflection(booking, user) is not None:
        raise ReflectionError("You have already reflected on this session.")
    reflection = new_reflection(side, user, answers, booking_id=booking.id)
    db.session.add(reflection)
    db.session.flush()
    if reflection.kudos:
        notify(
            [booking.mentor],
            f"Kudos from {booking.teacher.full_name}: {reflection.kudos}",
            f"/sessions/{booking.id}",
        )
    return reflection


def new_reflection(side: str, user: User, answers: ReflectionInput, **subject) -> Reflection:
    """A reflection checked for its side's required answers, about `subject` (booking_id= or
    workshop_id=); the caller checks who may write it and adds it."""
    if side == "teacher":
        if not answers.learned.strip():
            raise ReflectionError("Say what you learned.")
        if answers.rating not in (1, 2, 3, 4, 5):
            raise ReflectionError("Rate the session from 1 to 5.")
    elif not answers.went_well.strip():
        raise ReflectionError("Say what went well.")
    return Reflection(
        **subject,
        author_id=user.id,
        side=side,
        learned=answers.learned.strip(),
        view_change=answers.view_change.strip(),
        classroom_use=answers.classroom_use.strip(),
        rating=answers.rating if side == "teacher" else None,
        kudos=answers.kudos.strip()[:500] if side == "teacher" else "",
        is_kudos_shared=side == "teacher" and bool(answers.share_kudos and answers.kudos.strip()),
        went_well=answers.went_well.strip(),
        try_next=answers.try_next.strip(),
    )


def own_reflection(booking: Booking, user: User) -> Reflection | None:
    return db.session.scalar(
        db.select(Reflection).where(
            Reflection.booking_id == booking.id, Reflection.author_id == user.id
        )
    )


def visible_reflections(booking: Booking, user: User) -> list[Reflection]:
    """The advisor sees both; each side sees the other's only after writing their own."""
    reflections = list(
        db.session.scalars(
            db.select(Reflection).where(Reflection.booking_id == booking.id).order_by(Reflection.id)
        )
    )
    if user.is_advisor:
        return reflections
    if side_of(booking, user) is None:
        return []
    if not any(r.author_id == user.id for r in reflections):
        return []
    return reflections


def report_for(booking: Booking) -> SessionReport | None:
    return db.session.get(SessionReport, booking.id)


def unreflected_sessions(teacher: User) -> list[Booking]:
    """Completed sessions the teacher has not reflected on yet, newest first."""
    reflected = db.select(Reflection.booking_id).where(Reflection.author_id == teacher.id)
    return list(
        db.session.scalars(
            db.select(Booking)
            .where(
                Booking.teacher_id == teacher.id,
                Booking.status == BookingStatus.COMPLETED,
                Booking.id.not_in(reflected),
            )
            .order_by(Booking.starts_at.desc())
            .limit(10)
        )
    )


@dataclass(frozen=True)
class Credit:
    sessions: int
    hours: float
    kudos: int


def credit_for(user: User) -> Credit:
    """Mentor service hours or teacher PD hours from completed sessions, and kudos received."""
    column = Booking.mentor_id if user.is_mentor else Booking.teacher_id
    rows = db.session.execute(
        db.select(Booking.starts_at, Booking.ends_at).where(
            column == user.id, Booking.status == BookingStatus.COMPLETED
        )
    ).all()
    seconds = sum((end - start).total_seconds() for start, end in rows)
    kudos = kudos_for(user) if user.is_mentor else 0
    return Credit(len(rows), round(seconds / 3600, 1), kudos)


def kudos_for(mentor: User) -> int:
    """How many teachers' reflections on the mentor's sessions left kudos."""
    return db.session.scalar(
        db.select(db.func.count(Reflection.id))
        .join(Booking, Booking.id == Reflection.booking_id)
        .where(Booking.mentor_id == mentor.id, Reflection.kudos != "")
    )
