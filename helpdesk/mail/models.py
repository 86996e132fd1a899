import enum
from datetime import datetime
from email.utils import make_msgid

from sqlalchemy import CheckConstraint, Enum, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from helpdesk.clock import utcnow
from helpdesk.db import UTCDateTime
from helpdesk.extensions import db


class MailStatus(enum.StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"

    @property
    def label(self) -> str:
        return {"queued": "Waiting", "sending": "Sending"}.get(self.value, self.value.capitalize())


# Every status change goes through mail.delivery or mail.services, which check this table.
TRANSITIONS: dict[MailStatus, frozenset[MailStatus]] = {
    MailStatus.QUEUED: frozenset({MailStatus.SENDING}),
    # back to QUEUED: a temporary failure, or a worker that died mid-send (its lease ran out)
    MailStatus.SENDING: frozenset({MailStatus.SENT, MailStatus.QUEUED, MailStatus.FAILED}),
    MailStatus.SENT: frozenset(),
    MailStatus.FAILED: frozenset({MailStatus.QUEUED}),  # the advisor's "retry"
}


class OutboxMessage(db.Model):
    """An email, written in the transaction that causes it; the delivery worker sends it after
    commit. Without a mail server it stays here for the advisor to read (development, demo)."""

    __tablename__ = "outbox_message"
    __table_args__ = (
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        Index("ix_outbox_message_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(254), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    calendar_method: Mapped[str | None] = mapped_column(String(16))
    calendar_data: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    status: Mapped[MailStatus] = mapped_column(
        Enum(
            MailStatus,
            native_enum=False,
            length=16,
            values_callable=lambda e: [m.value for m in e],
        ),
        default=MailStatus.QUEUED,
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When a worker claimed it: a SENDING row whose claim is older than the lease is re-queued.
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(500))
    # Fixed when queued, so a message sent twice after a crash is recognisably the same one.
    message_id: Mapped[str] = mapped_column(
        String(255), unique=True, default=lambda: make_msgid(domain="helpdesk.invalid")
    )

    @property
    def can_retry(self) -> bool:
        """Failed mail may be tried again; so may mail waiting out its backoff."""
        return self.status is MailStatus.FAILED or (
            self.status is MailStatus.QUEUED and self.attempts > 0
        )
