import enum

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from helpdesk.accounts.models import User
from helpdesk.extensions import db
from helpdesk.skills.models import Skill


class SkillLevel(enum.IntEnum):
    CAN_HELP = 1
    CONFIDENT = 2
    EXPERT = 3

    @property
    def label(self) -> str:
        return {1: "Can help", 2: "Confident", 3: "Expert"}[self.value]


class MentorProfile(db.Model):
    """What a student mentor shares: a short bio and their story; no contact details."""

    __tablename__ = "mentor_profile"
    __table_args__ = (CheckConstraint("weekly_cap IS NULL OR weekly_cap >= 0", name="weekly_cap"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    bio: Mapped[str] = mapped_column(String(500), default="")
    story: Mapped[str] = mapped_column(Text, default="")
    weekly_cap: Mapped[int | None]
    offers_online: Mapped[bool] = mapped_column(default=True)
    offers_in_person: Mapped[bool] = mapped_column(default=True)
    # Opt-in: their milestones and the thanks teachers shared appear on the recognition page.
    is_recognition_public: Mapped[bool] = mapped_column(default=False, server_default=false())

    user: Mapped[User] = relationship(lazy="joined")
    skills: Mapped[list["MentorSkill"]] = relationship(
        back_populates="profile", cascade="all, delete-orphan", lazy="selectin"
    )


class MentorSkill(db.Model):
    __tablename__ = "mentor_skill"
    __table_args__ = (CheckConstraint("level BETWEEN 1 AND 3", name="level_range"),)

    mentor_id: Mapped[int] = mapped_column(
        ForeignKey("mentor_profile.user_id", ondelete="CASCADE"), primary_key=True
    )
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id"), primary_key=True, index=True)
    level: Mapped[int] = mapped_column(default=SkillLevel.CAN_HELP)

    profile: Mapped[MentorProfile] = relationship(back_populates="skills")
    skill: Mapped[Skill] = relationship(lazy="joined")

    @property
    def level_label(self) -> str:
        return SkillLevel(self.level).label
