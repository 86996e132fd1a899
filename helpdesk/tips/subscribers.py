"""What the tip library does when other features announce a change."""

from helpdesk.skills.models import Skill
from helpdesk.skills.signals import skill_renamed, skills_merged
from helpdesk.tips.services import move_tips_to_skill, refresh_skill_tags


def retag_merged_skill(source: Skill, *, target: Skill, **_) -> None:
    move_tips_to_skill(source.id, target.id)


def reindex_renamed_skill(skill: Skill, **_) -> None:
    refresh_skill_tags(skill.id)


skills_merged.connect(retag_merged_skill)
skill_renamed.connect(reindex_renamed_skill)
