"""A safeguarding concern about a session, a help-request message, a tip or a mentor's profile.

Only the advisor and the district's safeguarding contact read concerns; the person a concern is
about never does, even when they hold one of those roles.
"""

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, Enum, ForeignKey, Index, String, Text, event
from sqlalchemy.orm import Mapped, Session, mapped_column, object_session, relationship

from helpdesk.accounts.models import User
from helpdesk.clock import utcnow
from helpdesk.db import UTCDateTime
from helpdesk.extensions import db

DESCRIPTION_MAX = 2000
NOTE_MAX = 2000
SNAPSHOT_MAX = 4000


class ConcernStatus(enum.StrEnum):
    OPEN = "open"
    REVIEWING = "reviewing"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return {"reviewing": "Being reviewed"}.get(self.value, self.value.capitalize())


# Every status change goes through concerns.services.change_status, which checks this table.
TRANSITIONS: dict[ConcernStatus, frozenset[ConcernStatus]] = {
    ConcernStatus.OPEN: frozenset({ConcernStatus.REVIEWING, ConcernStatus.CLOSED}),
    ConcernStatus.REVIEWING: frozenset({ConcernStatus.CLOSED}),
    ConcernStatus.CLOSED: frozenset({ConcernStatus.REVIEWING}),  # new information: reopened
}


class SubjectKind(enum.StrEnum):
    SESSION = "session"
    MESSAGE = "message"
    TIP = "tip"
    PROFILE = "profile"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    SubjectKind.SESSION: "a session",
    SubjectKind.MESSAGE: "a help-request message",
    SubjectKind.TIP: "a tip",
    SubjectKind.PROFILE: "a mentor's profile",
}


class Category(enum.StrEnum):
    UNCOMFORTABLE = "uncomfortable"
    CONTACT_DETAILS = "contact_details"
    UNKIND = "unkind"
    SAFETY = "safety"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _CATEGORY_LABELS[self]


_CATEGORY_LABELS = {
    Category.UNCOMFORTABLE: "It made me or someone uncomfortable",
    Category.CONTACT_DETAILS: "Personal contact details were shared or asked for",
    Category.UNKIND: "Something unkind or inappropriate was said or shown",
    Category.SAFETY: "I am worried about someone's safety",
    Category.OTHER: "Something else",
}


def _enum(kind: type[enum.Enum], length: int) -> Enum:
    return Enum(
        kind, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e]
    )


class Concern(db.Model):
    __tablename__ = "concern"
    __table_args__ = (
        CheckConstraint(f"length(description) BETWEEN 1 AND {DESCRIPTION_MAX}", name="description"),
        # Closing needs an outcome note, and only a closed concern has a closing time.
        CheckConstraint("status != 'closed' OR outcome != ''", name="closed_has_outcome"),
        CheckConstraint("(status = 'closed') = (closed_at IS NOT NULL)", name="closed_at"),
        CheckConstraint("about_id IS NULL OR about_id != reporter_id", name="not_about_self"),
        Index("ix_concern_status_created", "status", "created_at"),
        Index("ix_concern_reporter_created", "reporter_id", "created_at"),
        Index("ix_concern_subject", "subject_kind", "subject_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    subject_kind: Mapped[SubjectKind] = mapped_column(_enum(SubjectKind, 16))
    subject_id: Mapped[int]
    # Derived from the subject, never chosen: the other person in a session, a message's or a
    # tip's author, the mentor of a profile. None when the advisor flags a session as a whole.
    about_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    category: Mapped[Category] = mapped_column(_enum(Category, 24))
    description: Mapped[str] = mapped_column(Text)
    # The reporter asks that the person it is about is not told who raised it.
    name_withheld: Mapped[bool] = mapped_column(default=False)
    # What the subject said when it was flagged: a tip or profile may be edited afterwards.
    subject_snapshot: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ConcernStatus] = mapped_column(
        _enum(ConcernStatus, 16), default=ConcernStatus.OPEN
    )
    outcome: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A form submitted twice (double click, retry) carries the same key: one concern.
    request_key: Mapped[str | None] = mapped_column(String(64), unique=True)

    reporter: Mapped[User] = relationship(foreign_keys=[reporter_id], lazy="joined")
    about: Mapped[User | None] = relationship(foreign_keys=[about_id], lazy="joined")
    events: Mapped[list["ConcernEvent"]] = relationship(
        back_populates="concern", order_by="ConcernEvent.id"
    )

    @property
    def is_open(self) -> bool:
        return self.status is not ConcernStatus.CLOSED

    def can_view(self, user: User, contact_id: int | None) -> bool:
        """The advisor and the safeguarding contact, unless it is about them."""
        return is_handler(user, contact_id) and user.id != self.about_id

    def next_statuses(self) -> list[ConcernStatus]:
        return [s for s in ConcernStatus if s in TRANSITIONS[self.status]]


def is_handler(user: User, contact_id: int | None) -> bool:
    """Whether this person receives and reads concerns (the ones not about themselves)."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and (user.is_advisor or user.id == contact_id)
    )


class ConcernEvent(db.Model):
    """One step in a concern's history: who, when, from, to, and their note. Never changed."""

    __tablename__ = "concern_event"
    __table_args__ = (CheckConstraint(f"length(note) <= {NOTE_MAX}", name="note_length"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    concern_id: Mapped[int] = mapped_column(ForeignKey("concern.id"), index=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    concern: Mapped[Concern] = relationship(back_populates="events")
    actor: Mapped[User] = relationship(lazy="joined")

    @property
    def from_label(self) -> str | None:
        return ConcernStatus(self.from_status).label if self.from_status else None

    @property
    def to_label(self) -> str:
        return ConcernStatus(self.to_status).label


_REDACTING = "helpdesk.concerns.redacting"


def allow_redaction(session: Session) -> None:
    """Let this transaction rewrite history's notes: anonymizing a graduate takes their name out
    of them. Nothing else may change or delete a history row."""
    session.info[_REDACTING] = True


@event.listens_for(ConcernEvent, "before_update")
def _history_is_not_edited(_mapper, _connection, target: ConcernEvent) -> None:
    session = object_session(target)
    if session is None or not session.info.get(_REDACTING):
        raise ValueError(f"Concern history is append-only (event {target.id}).")


@event.listens_for(ConcernEvent, "before_delete")
def _history_is_not_deleted(_mapper, _connection, target: ConcernEvent) -> None:
    raise ValueError(f"Concern history is append-only (event {target.id}).")


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _redaction_ends_with_its_transaction(session: Session) -> None:
    session.info.pop(_REDACTING, None)


class ConcernSettings(db.Model):
    """Who, beside the advisor, receives concerns; one row."""

    __tablename__ = "concern_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    contact: Mapped[User | None] = relationship(lazy="joined")
