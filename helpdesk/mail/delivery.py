"""The delivery worker: claims committed outbox rows, sends them over SMTP, records the outcome.

No transaction is open while SMTP talks. A claim is short (PostgreSQL: FOR UPDATE SKIP LOCKED, so
several workers take different rows; SQLite: the job's BEGIN IMMEDIATE serializes claims), and
each outcome is written with a compare-and-swap on the claim, so no message goes out twice.
"""

import contextlib
import logging
import random
import smtplib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import and_, or_
from sqlalchemy.exc import OperationalError

from helpdesk.extensions import db
from helpdesk.mail.models import TRANSITIONS, MailStatus, OutboxMessage
from helpdesk.mail.services import message_from_row

log = logging.getLogger(__name__)
ERROR_LIMIT = 500


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 25
    use_tls: bool = False
    username: str = ""
    password: str = ""
    sender: str = "Helpdesk <helpdesk@localhost>"
    timeout: float = 30

    @classmethod
    def from_config(cls, config) -> "SmtpSettings":
        return cls(
            host=config["MAIL_SERVER"],
            port=config["MAIL_PORT"],
            use_tls=config["MAIL_USE_TLS"],
            username=config["MAIL_USERNAME"],
            password=config["MAIL_PASSWORD"],
            sender=config["MAIL_FROM"],
            timeout=config["MAIL_TIMEOUT"],
        )


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 8
    first_delay: timedelta = timedelta(minutes=1)
    longest_delay: timedelta = timedelta(hours=6)
    # A row a worker claimed but never settled (it died) is tried again after this long.
    lease: timedelta = timedelta(minutes=15)
    batch: int = 50

    def delay_after(self, attempts: int) -> timedelta:
        """Exponential backoff with jitter, so retries from one outage do not arrive together."""
        base = min(self.first_delay * 2 ** max(attempts - 1, 0), self.longest_delay)
        return base * random.uniform(0.5, 1.5)  # noqa: S311 (spreading retries, not a secret)


class Mailer(Protocol):
    def send_message(self, message) -> object: ...
    def quit(self) -> object: ...


def smtp_connect(settings: SmtpSettings) -> Mailer:
    smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    try:
        if settings.use_tls:
            smtp.starttls()
        if settings.username:
            smtp.login(settings.username, settings.password)
    except BaseException:
        smtp.close()
        raise
    return smtp


@dataclass
class PassReport:
    claimed: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Failure:
    permanent: bool
    reason: str
    connection_lost: bool


def classify(error: Exception) -> Failure:
    """5xx answers are permanent; refused connections, timeouts and 4xx answers are temporary."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        answers = "; ".join(
            f"{code} {text.decode(errors='replace')}" for code, text in error.recipients.values()
        )
        return Failure(all(500 <= c < 600 for c in codes), f"Recipient refused: {answers}", False)
    if isinstance(error, smtplib.SMTPAuthenticationError):
        # A wrong mail password is the operator's to fix: keep the mail and keep trying.
        return Failure(False, f"Mail server refused the login ({error.smtp_code})", True)
    if isinstance(error, smtplib.SMTPResponseException):
        text = (
            error.smtp_error.decode(errors="replace")
            if isinstance(error.smtp_error, bytes)
            else str(error.smtp_error)
        )
        return Failure(
            500 <= error.smtp_code < 600, f"{error.smtp_code} {text}", error.smtp_code == 421
        )
    if isinstance(error, smtplib.SMTPServerDisconnected | OSError):
        return Failure(False, f"Mail server unreachable: {error or type(error).__name__}", True)
    if isinstance(error, smtplib.SMTPException):
        return Failure(False, f"Mail error: {error}", True)
    # The message itself cannot be built or encoded: sending it again will not help.
    return Failure(True, f"Message could not be sent: {type(error).__name__}: {error}", False)


def claim_due(now: datetime, policy: RetryPolicy) -> list[int]:
    """Mark a batch of due rows as being sent by this worker, in one short transaction."""
    due = or_(
        and_(OutboxMessage.status == MailStatus.QUEUED, OutboxMessage.next_attempt_at <= now),
        and_(
            OutboxMessage.status == MailStatus.SENDING,
            OutboxMessage.claimed_at < now - policy.lease,
        ),
    )
    ids = list(
        db.session.scalars(
            db.select(OutboxMessage.id)
            .where(due)
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(policy.batch)
            .with_for_update(skip_locked=True)
        )
    )
    if ids:
        db.session.execute(
            db.update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids))
            .values(
                status=MailStatus.SENDING,
                claimed_at=now,
                attempts=OutboxMessage.attempts + 1,
            )
            .execution_options(synchronize_session=False)
        )
    db.session.commit()
    return ids


def _settle(row_id: int, claimed_at: datetime, status: MailStatus, **values) -> None:
    assert status in TRANSITIONS[MailStatus.SENDING]
    db.session.execute(
        db.update(OutboxMessage)
        .where(
            OutboxMessage.id == row_id,
            OutboxMessage.status == MailStatus.SENDING,
            OutboxMessage.claimed_at == claimed_at,
        )
        .values(status=status, **values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def deliver_due(
    settings: SmtpSettings,
    now: Callable[[], datetime],
    policy: RetryPolicy | None = None,
    connect: Callable[[SmtpSettings], Mailer] = smtp_connect,
) -> PassReport:
    """One pass: claim what is due, send it over one SMTP connection, record each outcome."""
    policy = policy or RetryPolicy()
    report = PassReport()
    claimed_at = now()
    ids = claim_due(claimed_at, policy)
    report.claimed = len(ids)
    if not ids:
        return report
    rows = db.session.scalars(
        db.select(OutboxMessage).where(OutboxMessage.id.in_(ids)).order_by(OutboxMessage.id)
    ).all()
    work = [(row.id, row.attempts, row.to_address, _built(row, settings)) for row in rows]
    db.session.commit()  # nothing stays open while SMTP talks

    mailer: Mailer | None = None
    unreachable: Failure | None = None  # once connecting fails, the rest of the batch waits too
    try:
        for row_id, attempts, to_address, built in work:
            failure = unreachable
            if failure is None and isinstance(built, Exception):
                failure = classify(built)
            if failure is None and mailer is None:
                try:
                    mailer = connect(settings)
                except Exception as error:  # noqa: BLE001 (recorded on every row of the batch)
                    failure = unreachable = classify(error)
            if failure is None:
                try:
                    mailer.send_message(built)
                except Exception as error:  # noqa: BLE001 (recorded on its row)
                    failure = classify(error)
                    if failure.connection_lost:
                        _close(mailer)
                        mailer = None
            if failure is None:
                _settle(row_id, claimed_at, MailStatus.SENT, sent_at=now(), last_error=None)
                report.sent += 1
            else:
                _record_failure(row_id, claimed_at, attempts, failure, now(), policy, report)
                log.warning("mail %s to %s: %s", row_id, to_address, failure.reason)
    finally:
        _close(mailer)
    return report


def _built(row: OutboxMessage, settings: SmtpSettings):
    try:
        return message_from_row(row, settings.sender)
    except Exception as error:  # noqa: BLE001 (recorded as a permanent failure of this row)
        return error


def _record_failure(
    row_id: int,
    claimed_at: datetime,
    attempts: int,
    failure: Failure,
    at: datetime,
    policy: RetryPolicy,
    report: PassReport,
) -> None:
    reason = failure.reason[:ERROR_LIMIT]
    report.errors.append(reason)
    if failure.permanent or attempts >= policy.max_attempts:
        if not failure.permanent:
            reason = f"Gave up after {attempts} attempts. {reason}"[:ERROR_LIMIT]
        _settle(row_id, claimed_at, MailStatus.FAILED, last_error=reason)
        report.failed += 1
    else:
        _settle(
            row_id,
            claimed_at,
            MailStatus.QUEUED,
            last_error=reason,
            next_attempt_at=at + policy.delay_after(attempts),
        )
        report.retrying += 1


def _close(mailer: Mailer | None) -> None:
    if mailer is None:
        return
    with contextlib.suppress(smtplib.SMTPException, OSError):
        mailer.quit()


def deliver_forever(
    settings: SmtpSettings,
    now: Callable[[], datetime],
    stop: threading.Event,
    poll_seconds: float,
    policy: RetryPolicy | None = None,
    connect: Callable[[SmtpSettings], Mailer] = smtp_connect,
) -> None:
    """Deliver until `stop` is set: straight on while batches come back full, else poll."""
    policy = policy or RetryPolicy()
    while not stop.is_set():
        try:
            report = deliver_due(settings, now, policy, connect)
        except OperationalError as error:  # the database restarting: wait and carry on
            db.session.rollback()
            log.warning("deliver-mail: database unavailable (%s); retrying", error.orig)
            report = PassReport()
        if report.claimed < policy.batch:
            stop.wait(poll_seconds)
