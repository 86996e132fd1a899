"""An end-of-term survey and the answers to it: one response per person per survey."""

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, Enum, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from helpdesk.accounts.models import User, is_former_mentor_name
from helpdesk.clock import utcnow
from helpdesk.dashboard.models import Term
from helpdesk.db import UTCDateTime
from helpdesk.extensions import db

ANSWER_MAX = 2_000

# The program's questions, by the column that holds the answer.
TEACHER_QUESTIONS = (
    ("thoughts", "What do you think about reverse mentoring?"),
    ("view_changed", "How has your view of technology changed?"),
    ("will_use", "How will you use it?"),
    ("learned", "What have you learned?"),
    ("applied", "How have you applied it?"),
)
MENTOR_QUESTIONS = (
    ("learned", "What did you learn from teaching adults?"),
    ("proud", "What are you proud of?"),
    ("would_change", "What would you change?"),
)
ANSWER_COLUMNS = (
    "thoughts",
    "view_changed",
    "will_use",
    "learned",
    "applied",
    "proud",
    "would_change",
)


class QuoteChoice(enum.StrEnum):
    """Whether the respondent lets the advisor quote them in the board report, and how."""

    NO = "no"
    NAMED = "named"  # a teacher's full name; a student's first name only
    UNNAMED = "unnamed"  # "a teacher", "a student mentor"


class Survey(db.Model):
    """One per term: open from opened_at until the advisor closes it."""

    __tablename__ = "survey"

    id: Mapped[int] = mapped_column(primary_key=True)
    term_id: Mapped[int] = mapped_column(ForeignKey("report_term.id"), unique=True)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    term: Mapped[Term] = relationship(lazy="joined")

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    def can_answer(self, user: User) -> bool:
        return self.is_open and user.is_active and (user.is_teacher or user.is_mentor)


class SurveyResponse(db.Model):
    """A person's answers; anonymous in every report unless they chose to allow a quote."""

    __tablename__ = "survey_response"
    __table_args__ = (
        UniqueConstraint("survey_id", "respondent_id"),
        CheckConstraint(
            "confidence_before IS NULL OR confidence_before BETWEEN 1 AND 5",
            name="confidence_before_range",
        ),
        CheckConstraint(
            "confidence_after IS NULL OR confidence_after BETWEEN 1 AND 5",
            name="confidence_after_range",
        ),
        # Only an answer its writer allowed to be quoted can be picked for the report.
        CheckConstraint("picked IS NULL OR quote <> 'no'", name="picked_needs_consent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    respondent_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    side: Mapped[str] = mapped_column(String(8))  # "teacher" or "mentor", when they answered
    thoughts: Mapped[str] = mapped_column(Text, default="")
    view_changed: Mapped[str] = mapped_column(Text, default="")
    will_use: Mapped[str] = mapped_column(Text, default="")
    learned: Mapped[str] = mapped_column(Text, default="")
    applied: Mapped[str] = mapped_column(Text, default="")
    proud: Mapped[str] = mapped_column(Text, default="")
    would_change: Mapped[str] = mapped_column(Text, default="")
    confidence_before: Mapped[int | None]
    confidence_after: Mapped[int | None]
    quote: Mapped[QuoteChoice] = mapped_column(
        Enum(
            QuoteChoice,
            native_enum=False,
            length=8,
            values_callable=lambda e: [m.value for m in e],
        ),
        default=QuoteChoice.NO,
    )
    # The answer (a column name above) the advisor picked for the board report, if any.
    picked: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    survey: Mapped[Survey] = relationship()
    respondent: Mapped[User] = relationship(lazy="joined")

    @property
    def questions(self) -> tuple[tuple[str, str], ...]:
        return TEACHER_QUESTIONS if self.side == "teacher" else MENTOR_QUESTIONS

    @property
    def allows_quote(self) -> bool:
        return self.quote is not QuoteChoice.NO

    @property
    def attribution(self) -> str:
        """Who a quote is from: never a student's full name."""
        if self.side == "mentor":
            name = self.respondent.full_name
            if self.quote is QuoteChoice.NAMED and name and not is_former_mentor_name(name):
                return f"{self.respondent.first_name}, student mentor"
            return "A student mentor"
        if self.quote is QuoteChoice.NAMED:
            return f"{self.respondent.full_name}, teacher"
        return "A teacher"
