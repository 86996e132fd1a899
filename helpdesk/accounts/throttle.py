"""Sign-in and password-reset limits, counted in the database so every worker sees one count.

Flask-Limiter's memory storage counts per worker: two gunicorn workers allowed 10 guesses for a
limit of 5. Here each attempt is a row, and the caller commits it *before* asking whether it is
allowed; racing workers then each count the others' rows, so together they never let more than
the limit through (in a race they may refuse one too many, never allow one too many).

Rows hold keyed hashes of the email address and the client address, never the addresses: the
table says nothing about who tried, only how often.
"""

import hashlib
import hmac
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from limits import parse
from sqlalchemy import Index, String, delete, func, select
from sqlalchemy.orm import Mapped, mapped_column

from helpdesk.db import UTCDateTime
from helpdesk.extensions import db

SIGN_IN = "sign_in"  # a sign-in not (yet) known to have succeeded
RESET = "reset"  # a password-reset request
KEEP = timedelta(days=1)  # longer than any window (keep them under a day); older rows go


class ThrottleEvent(db.Model):
    """One sign-in attempt or reset request, counted per account and per client."""

    __tablename__ = "throttle_event"
    __table_args__ = (
        Index("ix_throttle_event_account", "action", "account_key", "at"),
        Index("ix_throttle_event_client", "action", "client_key", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    action: Mapped[str] = mapped_column(String(16))
    account_key: Mapped[str] = mapped_column(String(32))
    client_key: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


@dataclass(frozen=True)
class Limit:
    """At most `amount` events per `window`, read from a setting such as "5 per 15 minutes"."""

    amount: int
    window: timedelta

    @classmethod
    def setting(cls, name: str) -> "Limit":
        item = parse(current_app.config[name])
        return cls(item.amount, timedelta(seconds=item.get_expiry()))


@dataclass(frozen=True)
class Refusal:
    """Why an attempt is refused (safe to show) and how many seconds until one would pass."""

    message: str
    retry_after: int


def _key(kind: str, value: str) -> str:
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()[:32]


def record(action: str, email: str, client: str, now: datetime) -> ThrottleEvent:
    """Add an attempt; the caller commits it before calling `refusal`, so other workers count it."""
    db.session.execute(delete(ThrottleEvent).where(ThrottleEvent.at < now - KEEP))
    event = ThrottleEvent(
        action=action,
        account_key=_key("account", email.strip().lower()),
        client_key=_key("client", client),
        at=now,
    )
    db.session.add(event)
    db.session.flush()
    return event


def refusal(
    event: ThrottleEvent, per_account: tuple[Limit, str], per_client: tuple[Limit, str]
) -> Refusal | None:
    """Why this committed attempt is one too many, for its account or its client; None if not."""
    for column, value, (limit, message) in (
        (ThrottleEvent.account_key, event.account_key, per_account),
        (ThrottleEvent.client_key, event.client_key, per_client),
    ):
        since = event.at - limit.window
        count, oldest = db.session.execute(
            select(func.count(), func.min(ThrottleEvent.at)).where(
                ThrottleEvent.action == event.action, column == value, ThrottleEvent.at > since
            )
        ).one()
        if count > limit.amount:
            wait = (oldest + limit.window - event.at).total_seconds()
            return Refusal(message, max(1, math.ceil(wait)))
    return None


def forget(event: ThrottleEvent) -> None:
    """The attempt does not count: it succeeded, or it was refused before it was tried."""
    db.session.execute(delete(ThrottleEvent).where(ThrottleEvent.id == event.id))
