"""What merging two skills will move, counted before the advisor confirms."""

from dataclasses import dataclass

from sqlalchemy import func, select

from helpdesk.bookings.models import Booking, BookingStatus
from helpdesk.extensions import db
from helpdesk.mentors.models import MentorSkill
from helpdesk.requests.models import HelpRequest
from helpdesk.skills.models import Skill
from helpdesk.tips.models import tip_skill


@dataclass(frozen=True)
class MergePreview:
    source: Skill
    target: Skill
    mentors: int  # mentors who list the source skill
    mentors_with_both: int  # they keep the higher of their two levels
    sessions: int
    upcoming_sessions: int  # waiting or approved: their calendar invitations keep the topic text
    tips: int
    help_requests: int


def _count(statement):
    return statement.with_only_columns(func.count()).scalar_subquery()


def merge_preview(source: Skill, target: Skill) -> MergePreview:
    """Everything that points at `source` and would point at `target` after the merge."""
    of_source = select(MentorSkill.mentor_id).where(MentorSkill.skill_id == source.id)
    of_target = select(MentorSkill.mentor_id).where(MentorSkill.skill_id == target.id)
    sessions = select(Booking.id).where(Booking.skill_id == source.id)
    row = db.session.execute(
        select(
            _count(of_source),
            _count(of_source.where(MentorSkill.mentor_id.in_(of_target))),
            _count(sessions),
            _count(
                sessions.where(
                    Booking.status.in_((BookingStatus.REQUESTED, BookingStatus.APPROVED))
                )
            ),
            _count(select(tip_skill.c.tip_id).where(tip_skill.c.skill_id == source.id)),
            _count(select(HelpRequest.id).where(HelpRequest.skill_id == source.id)),
        )
    ).one()
    return MergePreview(source, target, *row)
