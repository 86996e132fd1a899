"""What help requests do when other features announce a change."""

from sqlalchemy import update

from helpdesk.extensions import db
from helpdesk.requests.models import HelpRequest
from helpdesk.skills.models import Skill
from helpdesk.skills.signals import skills_merged


def move_requests_to_skill(source: Skill, *, target: Skill, **_) -> None:
    """Help requests about the merged skill are about the one that stays."""
    db.session.execute(
        update(HelpRequest)
        .where(HelpRequest.skill_id == source.id)
        .values(skill_id=target.id)
        .execution_options(synchronize_session=False)
    )


skills_merged.connect(move_requests_to_skill)
