"""A mentor's own profile and skills."""

from helpdesk.accounts.models import Role, User
from helpdesk.extensions import db
from helpdesk.mentors.models import MentorProfile, MentorSkill, SkillLevel
from helpdesk.safeguarding.services import contact_details_refusal
from helpdesk.skills.models import Skill


class ProfileError(ValueError):
    """A profile change that breaks a rule; the message is safe to show."""


def profile_for(mentor: User) -> MentorProfile:
    """The mentor's profile, created empty the first time."""
    if mentor.role is not Role.MENTOR:
        raise ProfileError("Only student mentors have a mentor profile.")
    profile = db.session.get(MentorProfile, mentor.id)
    if profile is None:
        profile = MentorProfile(user_id=mentor.id, user=mentor)
        db.session.add(profile)
        db.session.flush()
    return profile


def update_profile(
    profile: MentorProfile,
    *,
    bio: str,
    story: str,
    weekly_cap: int | None,
    offers_online: bool,
    offers_in_person: bool,
    skill_levels: dict[int, int],
    is_recognition_public: bool | None = None,
) -> None:
    """Save the profile; skill_levels maps skill id to level (absent = not offered);
    is_recognition_public None leaves the recognition opt-in as it is."""
    if not offers_online and not offers_in_person:
        raise ProfileError("Offer sessions in person, online, or both.")
    known = set(db.session.scalars(db.select(Skill.id).where(Skill.id.in_(skill_levels))))
    unknown = set(skill_levels) - known
    if unknown:
        raise ProfileError("One of those skills no longer exists; reload the page.")
    if any(level not in SkillLevel._value2member_map_ for level in skill_levels.values()):
        raise ProfileError("Choose a level for each skill.")
    # Teachers read the profile: a student gives no contact details (helpdesk.safeguarding).
    for text, where in ((bio, "profiles"), (story, "profile stories")):
        refusal = contact_details_refusal(text, where)
        if refusal:
            raise ProfileError(refusal)
    profile.bio = bio.strip()
    profile.story = story.strip()
    profile.weekly_cap = weekly_cap
    profile.offers_online = offers_online
    profile.offers_in_person = offers_in_person
    if is_recognition_public is not None:
        profile.is_recognition_public = is_recognition_public
    current = {ms.skill_id: ms for ms in profile.skills}
    for skill_id, mentor_skill in current.items():
        if skill_id not in skill_levels:
            profile.skills.remove(mentor_skill)
        else:
            mentor_skill.level = skill_levels[skill_id]
    for skill_id, level in skill_levels.items():
        if skill_id not in current:
            profile.skills.append(MentorSkill(skill_id=skill_id, level=level))
    db.session.flush()
