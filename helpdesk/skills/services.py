"""The advisor's skill taxonomy: add, rename, merge."""

from helpdesk.extensions import db
from helpdesk.skills.models import Skill
from helpdesk.skills.signals import skill_renamed, skills_merged


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
        skill_renamed.send(skill)
    return skill


def merge_skills(source: Skill, target: Skill) -> None:
    """Everything pointing at source points at target instead (each owner moves its own rows,
    told by `skills_merged`), then source is removed."""
    if source.id == target.id:
        raise SkillError("Choose two different skills to merge.")
    skills_merged.send(source, target=target)
    db.session.flush()
    db.session.expire_all()
    db.session.delete(db.session.get(Skill, source.id))
    db.session.flush()
