"""The hours ledger: one entry per activity that earns time, its verification history, the
credential settings, and the certificates issued from verified hours."""

import enum
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Enum,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from helpdesk.accounts.models import User
from helpdesk.clock import utcnow
from helpdesk.db import UTCDateTime
from helpdesk.extensions import db

TITLE_MAX = 200
REASON_MAX = 300
DAY_MINUTES = 24 * 60


class EntryKind(enum.StrEnum):
    SESSION = "session"
    WORKSHOP = "workshop"
    HELP_REQUEST = "help_request"
    MANUAL = "manual"

    @property
    def label(self) -> str:
        return {
            "session": "Session",
            "workshop": "Workshop",
            "help_request": "Help request",
            "manual": "Recorded by the advisor",
        }[self.value]


class EntryStatus(enum.StrEnum):
    PENDING = "pending"
    VERIFIED = "verified"
    ADJUSTED = "adjusted"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return self.value.capitalize()


# Verified and adjusted hours count toward credentials and certificates; nothing else does.
COUNTED = (EntryStatus.VERIFIED, EntryStatus.ADJUSTED)
S = EntryStatus
# The advisor may change a decision (a rejected entry verified after all), never to pending.
TRANSITIONS: dict[EntryStatus, frozenset[EntryStatus]] = {
    S.PENDING: frozenset({S.VERIFIED, S.ADJUSTED, S.REJECTED}),
    S.VERIFIED: frozenset({S.ADJUSTED, S.REJECTED}),
    S.ADJUSTED: frozenset({S.VERIFIED, S.ADJUSTED, S.REJECTED}),
    S.REJECTED: frozenset({S.VERIFIED, S.ADJUSTED}),
}


class Side(enum.StrEnum):
    """Whose time it is: a student's service or a teacher's professional development."""

    SERVICE = "service"
    PD = "pd"

    @property
    def label(self) -> str:
        return {"service": "service", "pd": "professional-development"}[self.value]


def _enum(kind: type[enum.Enum], length: int) -> Enum:
    return Enum(
        kind, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e]
    )


class HoursEntry(db.Model):
    """One activity's time for one person, claimed and then verified by the advisor."""

    __tablename__ = "hours_entry"
    __table_args__ = (
        # record_activity is idempotent on this: a signal sent twice makes one entry.
        UniqueConstraint("person_id", "kind", "source_key"),
        Index("ix_hours_entry_status_occurred", "status", "occurred_on"),
        CheckConstraint(f"minutes_claimed BETWEEN 0 AND {DAY_MINUTES}", name="claimed_range"),
        CheckConstraint(
            f"verified_minutes IS NULL OR verified_minutes BETWEEN 0 AND {DAY_MINUTES}",
            name="verified_range",
        ),
        CheckConstraint(
            "status NOT IN ('verified', 'adjusted') OR verified_minutes IS NOT NULL",
            name="counted_minutes",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    side: Mapped[Side] = mapped_column(_enum(Side, 8))
    kind: Mapped[EntryKind] = mapped_column(_enum(EntryKind, 16))
    # What earned it, e.g. "booking:12", "request:7", "workshop:3", "manual:<uuid>".
    source_key: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    description: Mapped[str] = mapped_column(String(REASON_MAX), default="")
    occurred_on: Mapped[date]
    minutes_claimed: Mapped[int]
    status: Mapped[EntryStatus] = mapped_column(_enum(EntryStatus, 10), default=S.PENDING)
    verified_minutes: Mapped[int | None]
    verifier_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(String(REASON_MAX), default="")
    # Bumped on every decision: the compare-and-swap two advisors race on.
    version: Mapped[int] = mapped_column(default=1)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    person: Mapped[User] = relationship(foreign_keys=[person_id])
    verifier: Mapped[User | None] = relationship(foreign_keys=[verifier_id])
    events: Mapped[list["HoursEvent"]] = relationship(
        back_populates="entry", order_by="HoursEvent.id", cascade="all, delete-orphan"
    )

    @property
    def counted_minutes(self) -> int:
        return (self.verified_minutes or 0) if self.status in COUNTED else 0

    def can_view(self, user) -> bool:
        return user.is_advisor or user.id == self.person_id

    def can_decide(self, user) -> bool:
        return user.is_advisor


class HoursEvent(db.Model):
    """One change of an entry: who, when, from which status and minutes to which, and why."""

    __tablename__ = "hours_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("hours_entry.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    from_status: Mapped[str | None] = mapped_column(String(10))
    to_status: Mapped[str] = mapped_column(String(10))
    from_minutes: Mapped[int | None]
    to_minutes: Mapped[int | None]
    reason: Mapped[str] = mapped_column(String(REASON_MAX), default="")

    entry: Mapped[HoursEntry] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


class HoursSettings(db.Model):
    """The advisor's credential rules and certificate details; one row."""

    __tablename__ = "hours_settings"
    __table_args__ = (
        CheckConstraint("service_target_hours BETWEEN 1 AND 1000", name="service_target"),
        CheckConstraint(
            "extracurricular_target_hours BETWEEN 1 AND 1000", name="extracurricular_target"
        ),
        CheckConstraint("help_request_cap_minutes BETWEEN 1 AND 480", name="help_request_cap"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # New York's Seal of Civic Readiness: 25 h of service learning or 40 h extracurricular.
    service_target_hours: Mapped[int] = mapped_column(default=25)
    extracurricular_target_hours: Mapped[int] = mapped_column(default=40)
    # Kinds that count as service learning (all of a student's kinds count as extracurricular).
    service_kinds: Mapped[str] = mapped_column(String(80), default="session,help_request,workshop")
    # Teachers' CTLE: which kinds count, and only once the district designates the program.
    pd_kinds: Mapped[str] = mapped_column(String(80), default="session,workshop")
    pd_designated: Mapped[bool] = mapped_column(default=False)
    help_request_cap_minutes: Mapped[int] = mapped_column(default=60)
    district_name: Mapped[str] = mapped_column(String(120), default="")
    sponsor_name: Mapped[str] = mapped_column(String(120), default="")
    sponsor_number: Mapped[str] = mapped_column(String(40), default="")
    signer_name: Mapped[str] = mapped_column(String(120), default="")
    signer_title: Mapped[str] = mapped_column(String(120), default="Program advisor")

    @property
    def service_kind_list(self) -> list[EntryKind]:
        return _kinds(self.service_kinds)

    @property
    def pd_kind_list(self) -> list[EntryKind]:
        return _kinds(self.pd_kinds)


def _kinds(text: str) -> list[EntryKind]:
    values = {part.strip() for part in (text or "").split(",")}
    return [kind for kind in EntryKind if kind.value in values]


class Certificate(db.Model):
    """An issued certificate: what it covered, frozen, and the code its public page answers to."""

    __tablename__ = "hours_certificate"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    side: Mapped[Side] = mapped_column(_enum(Side, 8))
    minutes: Mapped[int]
    # JSON: participant, school, district, signer, sponsor and the entries covered, as issued.
    snapshot: Mapped[str] = mapped_column(Text)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    revoke_reason: Mapped[str] = mapped_column(String(REASON_MAX), default="")

    person: Mapped[User] = relationship(foreign_keys=[person_id])

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def can_view(self, user) -> bool:
        return user.is_advisor or user.id == self.person_id
