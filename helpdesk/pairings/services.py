"""Pairings: create, request, approve or decline, agree norms and goals, record progress, close,
reflect. Services flush, never commit; every status change goes through `_move`, which checks
the transition table and swaps the status with one compare-and-swap UPDATE."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from helpdesk.accounts.models import Role, User
from helpdesk.extensions import db
from helpdesk.notifications.services import notify
from helpdesk.pairings.models import (
    CLOSING_QUESTIONS,
    TRANSITIONS,
    GoalStatus,
    GoalUpdate,
    Pairing,
    PairingGoal,
    PairingReflection,
    PairingStatus,
)
from helpdesk.skills.models import Skill

MAX_GOALS = 3
LONGEST_PAIRING_DAYS = 400
NORMS = (
    "We meet regularly, at the times we agree, in a supervised place or on the district's "
    "meeting tools.",
    "The student leads and the teacher learns; questions are always welcome.",
    "What we talk about stays between us and the advisor.",
    "We never swap phone numbers, personal emails or social media: the app and school "
    "accounts are how we reach each other.",
    "Either of us can end the pairing or raise a concern with the advisor at any time.",
)


class PairingError(ValueError):
    """A pairing change that breaks a rule; the message is safe to show."""


ALREADY_PAIRED = "{mentor} already has an active pairing with {teacher}."


def _link(pairing: Pairing) -> str:
    return f"/pairings/{pairing.id}"


def _advisors() -> list[User]:
    return list(
        db.session.scalars(select(User).where(User.role == Role.ADVISOR, User.is_active.is_(True)))
    )


def _check_people(teacher: User, mentor: User | None) -> None:
    if not teacher.is_teacher or not teacher.is_active:
        raise PairingError("Choose an active teacher.")
    if mentor is not None and (not mentor.is_mentor or not mentor.is_active):
        raise PairingError("Choose an active student mentor.")


def _check_dates(starts_on: date, ends_on: date) -> None:
    if ends_on < starts_on:
        raise PairingError("The pairing must end on or after the day it starts.")
    if (ends_on - starts_on).days > LONGEST_PAIRING_DAYS:
        raise PairingError("A pairing lasts at most about a school year.")


def _clean_goals(goals: Sequence[str]) -> list[str]:
    cleaned = [" ".join(g.split())[:300] for g in goals if g and g.strip()]
    if len(cleaned) > MAX_GOALS:
        raise PairingError(f"Agree at most {MAX_GOALS} learning goals.")
    return cleaned


def _guarded_add(pairing: Pairing) -> None:
    """Insert inside a savepoint: a second active pairing of the same two people is refused by
    the partial unique index, and the caller's transaction goes on."""
    try:
        with db.session.begin_nested():
            db.session.add(pairing)
            db.session.flush()
    except IntegrityError as exc:
        raise PairingError(
            ALREADY_PAIRED.format(
                mentor=pairing.mentor.display_name if pairing.mentor else "That mentor",
                teacher=pairing.teacher.full_name,
            )
        ) from exc


def create_pairing(
    advisor: User,
    teacher: User,
    mentor: User,
    *,
    starts_on: date,
    ends_on: date,
    skill: Skill | None = None,
    focus: str = "",
    goals: Sequence[str] = (),
    now: datetime,
) -> Pairing:
    """The advisor pairs a mentor with a teacher for these dates (with 0-3 goals to start)."""
    if not advisor.is_advisor:
        raise PairingError("Only the advisor pairs mentors with teachers.")
    _check_people(teacher, mentor)
    _check_dates(starts_on, ends_on)
    texts = _clean_goals(goals)
    pairing = Pairing(
        teacher=teacher,
        mentor=mentor,
        skill=skill,
        focus=focus.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        status=PairingStatus.ACTIVE,
        created_by_id=advisor.id,
        created_at=now,
        decided_at=now,
    )
    _guarded_add(pairing)
    _add_goals(pairing, texts, now)
    notify(
        [teacher, mentor],
        f"You are paired: {mentor.display_name} and {teacher.full_name}"
        + (f" for {skill.name}" if skill else ""),
        _link(pairing),
    )
    return pairing


def request_pairing(
    teacher: User,
    *,
    skill: Skill | None,
    focus: str,
    starts_on: date,
    ends_on: date,
    asked_mentor: User | None = None,
    now: datetime,
) -> Pairing:
    """A teacher asks for a regular mentor ("I'd like a regular mentor for X")."""
    _check_people(teacher, asked_mentor)
    _check_dates(starts_on, ends_on)
    if not focus.strip() and skill is None:
        raise PairingError("Say what you would like to learn.")
    waiting = db.session.scalar(
        select(db.func.count(Pairing.id)).where(
            Pairing.teacher_id == teacher.id, Pairing.status == PairingStatus.REQUESTED
        )
    )
    if waiting:
        raise PairingError("Your earlier request is still waiting for the advisor.")
    pairing = Pairing(
        teacher=teacher,
        asked_mentor=asked_mentor,
        skill=skill,
        focus=focus.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        status=PairingStatus.REQUESTED,
        created_by_id=teacher.id,
        created_at=now,
    )
    db.session.add(pairing)
    db.session.flush()
    notify(
        _advisors(),
        f"{teacher.full_name} would like a regular mentor"
        + (f" for {skill.name}" if skill else ""),
        _link(pairing),
    )
    return pairing


def _move(pairing: Pairing, to: PairingStatus, **values) -> None:
    """The one way a status changes: allowed by TRANSITIONS, and only if nobody changed it
    first (compare-and-swap on the status the caller saw)."""
    seen = pairing.status
    if to not in TRANSITIONS[seen]:
        raise PairingError(f"This pairing is {seen.label.lower()}: it cannot be {to.value} now.")
    result = db.session.execute(
        update(Pairing)
        .where(Pairing.id == pairing.id, Pairing.status == seen)
        .values(status=to, **values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.refresh(pairing)
        raise PairingError("Someone else changed this pairing just now; see what it is now.")
    db.session.refresh(pairing)


def approve_request(
    pairing: Pairing,
    advisor: User,
    mentor: User,
    *,
    starts_on: date,
    ends_on: date,
    goals: Sequence[str] = (),
    now: datetime,
) -> None:
    """The advisor approves a teacher's request by choosing the mentor."""
    if not pairing.can_decide(advisor):
        raise PairingError("This request has been decided already.")
    _check_people(pairing.teacher, mentor)
    _check_dates(starts_on, ends_on)
    texts = _clean_goals(goals)
    try:
        with db.session.begin_nested():
            _move(
                pairing,
                PairingStatus.ACTIVE,
                mentor_id=mentor.id,
                starts_on=starts_on,
                ends_on=ends_on,
                decided_at=now,
            )
    except IntegrityError as exc:
        db.session.refresh(pairing)
        raise PairingError(
            ALREADY_PAIRED.format(mentor=mentor.display_name, teacher=pairing.teacher.full_name)
        ) from exc
    _add_goals(pairing, texts, now)
    notify(
        [pairing.teacher, mentor],
        f"Pairing approved: {mentor.display_name} and {pairing.teacher.full_name}",
        _link(pairing),
    )


def decline_request(pairing: Pairing, advisor: User, reason: str, now: datetime) -> None:
    """The advisor declines a teacher's request, saying why."""
    if not pairing.can_decide(advisor):
        raise PairingError("This request has been decided already.")
    if not reason.strip():
        raise PairingError("Say why, so the teacher knows what to do next.")
    _move(pairing, PairingStatus.DECLINED, decline_reason=reason.strip(), decided_at=now)
    notify([pairing.teacher], "Your request for a regular mentor was declined", _link(pairing))


def agree_norms(pairing: Pairing, user: User, now: datetime) -> None:
    """One side confirms the pairing's norms; once per side, once per pairing."""
    if not pairing.can_agree_norms(user):
        raise PairingError("You have agreed to the norms already.")
    column = f"{pairing.side_of(user)}_norms_at"
    db.session.execute(
        update(Pairing)
        .where(Pairing.id == pairing.id, getattr(Pairing, column).is_(None))
        .values({column: now})
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(pairing)


def _add_goals(pairing: Pairing, texts: Sequence[str], now: datetime) -> None:
    start = len(pairing.goals)
    if start + len(texts) > MAX_GOALS:
        raise PairingError(f"A pairing has at most {MAX_GOALS} learning goals.")
    for offset, text in enumerate(texts, start=1):
        pairing.goals.append(PairingGoal(position=start + offset, text=text, updated_at=now))
    db.session.flush()


def add_goals(pairing: Pairing, user: User, goals: Sequence[str], now: datetime) -> None:
    """Either side (or the advisor) adds the learning goals they agreed: 1-3 in all."""
    if not pairing.can_work_on(user):
        raise PairingError("Goals are agreed while the pairing is active.")
    texts = _clean_goals(goals)
    if not texts:
        raise PairingError("Write at least one learning goal.")
    _add_goals(pairing, texts, now)


def update_goal(
    goal: PairingGoal, user: User, status: GoalStatus, note: str, now: datetime
) -> GoalUpdate:
    """Either side says where a goal stands, with a short note; every step is kept."""
    if not goal.pairing.can_work_on(user):
        raise PairingError("Progress is recorded while the pairing is active.")
    note = " ".join(note.split())[:300]
    if status is goal.status and not note:
        raise PairingError("Nothing changed: choose another status or add a note.")
    goal.status = status
    goal.updated_at = now
    update_row = GoalUpdate(goal=goal, author_id=user.id, status=status, note=note, at=now)
    db.session.add(update_row)
    db.session.flush()
    return update_row


def close_pairing(pairing: Pairing, user: User, now: datetime) -> None:
    """The advisor or either side ends the pairing; then each writes a closing reflection."""
    if not pairing.can_close(user):
        raise PairingError("Only an active pairing can be ended.")
    _move(pairing, PairingStatus.CLOSED, closed_at=now, closed_by_id=user.id)
    others = [p for p in (pairing.teacher, pairing.mentor) if p is not None and p.id != user.id]
    if not user.is_advisor:
        others += _advisors()
    notify(
        others,
        f"Pairing ended: {pairing.mentor.display_name} and {pairing.teacher.full_name}. "
        "Please write your closing reflection.",
        _link(pairing),
    )


@dataclass(frozen=True)
class ReflectionInput:
    about_program: str = ""
    view_change: str = ""
    future_use: str = ""
    learned: str = ""
    applied: str = ""


def reflect(pairing: Pairing, user: User, answers: ReflectionInput, now: datetime) -> None:
    """One side's closing reflection, written once; the other side reads it when both have."""
    if not pairing.can_reflect(user):
        raise PairingError("Closing reflections are written once the pairing has ended.")
    values = {column: getattr(answers, column).strip() for column, _q in CLOSING_QUESTIONS}
    if not any(values.values()):
        raise PairingError("Answer at least one of the questions.")
    try:
        with db.session.begin_nested():
            db.session.add(
                PairingReflection(
                    pairing_id=pairing.id,
                    author_id=user.id,
                    side=pairing.side_of(user),
                    created_at=now,
                    **values,
                )
            )
            db.session.flush()
    except IntegrityError as exc:
        raise PairingError("You have written your closing reflection already.") from exc


def reflections_of(pairing: Pairing) -> list[PairingReflection]:
    return list(
        db.session.scalars(
            select(PairingReflection)
            .where(PairingReflection.pairing_id == pairing.id)
            .order_by(PairingReflection.id)
        )
    )


def visible_reflections(
    pairing: Pairing, user: User, written: Sequence[PairingReflection]
) -> list[PairingReflection]:
    """Your own always; the other side's only once both have written; the advisor sees all."""
    if user.is_advisor:
        return list(written)
    if len(written) >= 2:
        return list(written)
    return [r for r in written if r.author_id == user.id]
