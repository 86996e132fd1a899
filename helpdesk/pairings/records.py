"""A person's pairings for their record (helpdesk/records): free periods, pairings with their
goals, the goal progress they wrote, and their own closing reflections (the other side's is
theirs)."""

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from helpdesk.accounts.models import User
from helpdesk.extensions import db
from helpdesk.pairings.free_periods import free_spec
from helpdesk.pairings.models import GoalUpdate, Pairing, PairingGoal, PairingReflection


def _name(user: User | None) -> str:
    return user.display_name if user else ""


def collect_pairings(person: User, sections: dict) -> None:
    """Fills the four pairing sections: one query for someone without pairings (free periods
    are a teacher's; progress and reflections are written in one's own pairings, or by the
    advisor), at most six."""
    if person.is_teacher:
        sections["free_periods"].rows = [
            (free.period, free.label.split(" · ")[0]) for free in free_spec(person)
        ]
    pairings = list(
        db.session.scalars(
            select(Pairing)
            .where(or_(Pairing.teacher_id == person.id, Pairing.mentor_id == person.id))
            .options(selectinload(Pairing.goals))
            .order_by(Pairing.created_at, Pairing.id)
        )
    )
    sections["pairings"].rows = [
        (
            p.id,
            "teacher" if p.teacher_id == person.id else "mentor",
            _name(p.mentor),
            _name(p.teacher),
            p.skill.name if p.skill else "",
            p.status.value,
            p.focus,
            p.starts_on,
            p.ends_on,
            p.decline_reason,
            " | ".join(f"{g.text} ({g.status.label})" for g in p.goals),
            p.created_at,
            p.closed_at,
        )
        for p in pairings
    ]
    if not pairings and not person.is_advisor:
        return
    sections["pairing_progress"].rows = [
        (goal.pairing_id, goal.text, update.at, _name(person), update.status.value, update.note)
        for update, goal in db.session.execute(
            select(GoalUpdate, PairingGoal)
            .join(PairingGoal, PairingGoal.id == GoalUpdate.goal_id)
            .where(GoalUpdate.author_id == person.id)
            .order_by(GoalUpdate.id)
        )
    ]
    sections["pairing_reflections"].rows = [
        (
            r.pairing_id,
            r.side,
            r.about_program,
            r.view_change,
            r.future_use,
            r.learned,
            r.applied,
            r.created_at,
        )
        for r in db.session.scalars(
            select(PairingReflection)
            .where(PairingReflection.author_id == person.id)
            .order_by(PairingReflection.id)
        )
    ]
