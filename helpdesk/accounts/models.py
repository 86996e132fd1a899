import enum
import re
import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, Enum, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from helpdesk.clock import utcnow
from helpdesk.db import UTCDateTime
from helpdesk.extensions import db
from helpdesk.schools.models import School


class Role(enum.StrEnum):
    TEACHER = "teacher"
    MENTOR = "mentor"
    ADVISOR = "advisor"
    STAFF = "staff"

    @property
    def label(self) -> str:
        return {"mentor": "Student mentor"}.get(self.value, self.value.capitalize())


FORMER_MENTOR_NAME = "Former mentor {id}"
_FORMER_MENTOR = re.compile(r"Former mentor \d+")


def is_former_mentor_name(name: str) -> bool:
    """A graduate's placeholder name (helpdesk/people/anonymize.py), shown whole: it is read
    from light list rows too, which carry only the name and role."""
    return _FORMER_MENTOR.fullmatch(name) is not None


def new_security_stamp() -> str:
    return secrets.token_hex(16)


class User(UserMixin, db.Model):
    """Anyone who signs in. Mentors are minors: no photo, phone or address is stored."""

    __tablename__ = "user_account"
    __table_args__ = (
        CheckConstraint("grade IS NULL OR (grade BETWEEN 1 AND 12)", name="grade_range"),
        CheckConstraint("email = lower(email)", name="email_lowercase"),
        CheckConstraint(
            "class_of IS NULL OR (class_of BETWEEN 2000 AND 2100)", name="class_of_range"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e])
    )
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    grade: Mapped[int | None]
    # A student's graduation year: who "the class of 2026" is when their records are anonymized.
    class_of: Mapped[int | None] = mapped_column(index=True)
    # Set once their name and email are replaced by placeholders (helpdesk/people/anonymize.py).
    anonymized_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(default=True)
    # Bumped to end every session and remember cookie of this user at once.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # SHA-256 of the private calendar-feed token; the token itself is never stored.
    feed_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Random, per user; drawn again whenever links sent to this person must stop working.
    security_stamp: Mapped[str] = mapped_column(String(32), default=new_security_stamp)

    school: Mapped[School] = relationship(lazy="joined")

    @validates("email")
    def _new_stamp_for_new_email(self, _key: str, email: str) -> str:
        if self.email is not None and email != self.email:
            self.rotate_security_stamp()
        return email

    def rotate_security_stamp(self) -> None:
        """Invitation and reset links already sent to this person stop working."""
        self.security_stamp = new_security_stamp()

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def first_name(self) -> str:
        return self.full_name.split()[0] if self.full_name.strip() else ""

    @property
    def display_name(self) -> str:
        """Mentors appear as first name and last initial; adults by full name."""
        if self.role is Role.MENTOR and not is_former_mentor_name(self.full_name):
            parts = self.full_name.split()
            if len(parts) > 1:
                return f"{parts[0]} {parts[-1][0]}."
            return parts[0] if parts else ""
        return self.full_name

    @property
    def is_advisor(self) -> bool:
        return self.role is Role.ADVISOR

    @property
    def is_mentor(self) -> bool:
        return self.role is Role.MENTOR

    @property
    def is_teacher(self) -> bool:
        return self.role is Role.TEACHER

    @property
    def has_password(self) -> bool:
        return self.password_hash is not None

    def can_view_mentor_profile(self, mentor: "User") -> bool:
        """Teachers, staff and the advisor see mentors' profiles; a mentor sees only their own;
        a deactivated mentor is the advisor's business alone."""
        if mentor.role is not Role.MENTOR:
            return False
        if self.is_advisor:
            return True
        if self.role is Role.MENTOR:
            return self.id == mentor.id
        return mentor.is_active

    def can_see_email_of(self, other: "User") -> bool:
        """A student's email is for the advisor only; adults' emails are staff-visible."""
        if other.id == self.id or self.is_advisor:
            return True
        return other.role is not Role.MENTOR and self.role is not Role.MENTOR

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class TwoStepSecret(db.Model):
    """A person's authenticator-app secret, encrypted; unconfirmed until they enter a code."""

    __tablename__ = "two_step_secret"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    # Fernet token under a key derived from SECRET_KEY (accounts/two_step.py).
    secret_encrypted: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The 30-second step of the last code accepted: a code is good once, and never an older one.
    last_used_step: Mapped[int | None]

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class RecoveryCode(db.Model):
    """A one-time code for signing in without the phone; only its SHA-256 is kept."""

    __tablename__ = "recovery_code"
    __table_args__ = (UniqueConstraint("user_id", "code_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class TwoStepEventKind(enum.StrEnum):
    TURNED_ON = "turned_on"
    TURNED_OFF = "turned_off"
    RESET = "reset"  # by the advisor, or by the operator from the command line (no `by`)
    NEW_RECOVERY_CODES = "new_codes"
    RECOVERY_CODE_USED = "code_used"


class TwoStepEvent(db.Model):
    """What happened to a person's two-step sign-in, when, and who did it."""

    __tablename__ = "two_step_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[TwoStepEventKind] = mapped_column(
        Enum(
            TwoStepEventKind,
            native_enum=False,
            length=16,
            values_callable=lambda e: [m.value for m in e],
        )
    )
    by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
