"""What mentors' rows do when other features announce a change."""

from sqlalchemy import delete, update

from helpdesk.extensions import db
from helpdesk.mentors.models import MentorSkill
from helpdesk.skills.models import Skill
from helpdesk.skills.signals import skills_merged


def move_mentor_skills(source: Skill, *, target: Skill, **_) -> None:
    """Mentors who listed the source list the target; one who had both keeps the higher level."""
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
    db.session.flush()


skills_merged.connect(move_mentor_skills)
