"""A mentor's open times for their profile page: the next two school weeks, one topic."""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from helpdesk.accounts.models import User
from helpdesk.availability.services import program_settings
from helpdesk.availability.slots import Slot
from helpdesk.finder import defaults
from helpdesk.finder.services import find_mentors
from helpdesk.mentors.models import MentorProfile
from helpdesk.skills.models import Skill


@dataclass(frozen=True)
class OpenTimes:
    skill: Skill
    minutes: int
    lengths: list[int]
    skills: list[Skill]
    slots: list[Slot]
    start: date
    end: date


def of_mentor(
    profile: MentorProfile | None,
    viewer: User,
    skill_id: int | None,
    minutes: int | None,
    now: datetime,
) -> OpenTimes | None:
    """The mentor's open times for the topic asked (else the viewing teacher's last one, else
    the mentor's best) and length asked (else the teacher's last, else the shortest)."""
    if profile is None or not profile.skills or not profile.user.is_active:
        return None
    skills = {ms.skill_id: ms for ms in profile.skills}
    last = defaults.last_topic(viewer) if viewer.is_teacher else None
    if skill_id not in skills and last is not None:
        skill_id = last[0]
    if skill_id not in skills:
        skill_id = max(profile.skills, key=lambda ms: (ms.level, -ms.skill_id)).skill_id
    settings = program_settings()
    if minutes not in settings.lengths:
        minutes = last[1] if last is not None and last[1] in settings.lengths else None
    minutes = minutes or settings.lengths[0]
    zone = ZoneInfo(profile.user.school.timezone)
    start, end = defaults.next_school_weeks(now.astimezone(zone).date())
    matches = find_mentors(
        skill_id=skill_id,
        start=start,
        end=end,
        session_minutes=minutes,
        now=now,
        mentor_id=profile.user_id,
        with_profiles=False,
        settings=settings,
    )
    return OpenTimes(
        skills[skill_id].skill,
        minutes,
        settings.lengths,
        sorted((ms.skill for ms in profile.skills), key=lambda skill: skill.name),
        matches[0].slots if matches else [],
        start,
        end,
    )
