"""The advisor's skill taxonomy: add, rename, merge."""

from sqlalchemy import delete, update

from helpdesk.bookings.models import Booking
from helpdesk.extensions import db
from helpdesk.mentors.models import MentorSkill
from helpdesk.skills.models import Skill


class SkillError(ValueError):
    """A taxonomy change that breaks a rule; the message is safe to show."""


def all_skills() -> list[Skill]:
    return list(db.session.scalars(db.select(Skill).order_by(Skill.category, Skill.name)))


def _check_name_free(name: str, skill_id: int | None = None) -> str:
    name = " ".join(name.split())
    if not name:
        raise SkillError("A skill needs a name.")
    clash = db.session.scalar(
        db.select(Skill).where(
            # lower() on both sides: SQLite lowers ASCII only, Python all of Unicode
            db.func.lower(Skill.name) == db.func.lower(name),
            Skill.id != (skill_id or -1),
        )
    )
    if clash is not None:
        raise SkillError(f"There is already a skill called {clash.name}.")
    return name


def save_skill(*, name: str, description: str, category: str, skill: Skill | None = None) -> Skill:
    """Create a skill, or rename/edit one; links use the id, so they all keep working."""
    name = _check_name_free(name, skill.id if skill else None)
    skill = skill or Skill()
    renamed = skill.id is not None and skill.name != name
    skill.name = name
    skill.description = description.strip()
    skill.category = " ".join(category.split()) or "General"
    db.session.add(skill)
    db.session.flush()
    if renamed:
        for refresh in _rename_hooks:
            refresh(skill.id)
    return skill


def merge_skills(source: Skill, target: Skill) -> None:
    """Move source's mentors, sessions and tips to target, then remove source."""
    if source.id == target.id:
        raise SkillError("Choose two different skills to merge.")
    # A mentor with both keeps the higher of the two levels.
    both = db.session.execute(
        db.select(MentorSkill.mentor_id, MentorSkill.level).where(
            MentorSkill.skill_id == source.id,
            MentorSkill.mentor_id.in_(
                db.select(MentorSkill.mentor_id).where(MentorSkill.skill_id == target.id)
            ),
        )
    ).all()
    for mentor_id, level in both:
        db.session.execute(
            update(MentorSkill)
            .where(
                MentorSkill.mentor_id == mentor_id,
                MentorSkill.skill_id == target.id,
                MentorSkill.level < level,
            )
            .values(level=level)
        )
    db.session.execute(
        delete(MentorSkill).where(
            MentorSkill.skill_id == source.id, MentorSkill.mentor_id.in_([m for m, _ in both])
        )
    )
    db.session.execute(
        update(MentorSkill).where(MentorSkill.skill_id == source.id).values(skill_id=target.id)
    )
    db.session.execute(
        update(Booking).where(Booking.skill_id == source.id).values(skill_id=target.id)
    )
    for move in _merge_hooks:
        move(source.id, target.id)
    db.session.flush()
    db.session.expire_all()
    db.session.delete(db.session.get(Skill, source.id))
    db.session.flush()


# Features that point at skills (tips, help requests) register here: a mover for merges,
# a refresher for renames (search text holds skill names).
_merge_hooks: list = []
_rename_hooks: list = []


def on_merge(move) -> None:
    _merge_hooks.append(move)


def on_rename(refresh) -> None:
    _rename_hooks.append(refresh)
