"""Outgoing email as outbox rows: written in the caller's transaction, delivered after commit.

Nothing here talks SMTP. `helpdesk.mail.delivery` (the `deliver-mail` worker) sends the rows that
have been committed; a rolled-back change takes its email with it.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import make_msgid
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import func

from helpdesk.clock import utcnow
from helpdesk.extensions import db
from helpdesk.mail.models import MailStatus, OutboxMessage

# Header values are one line: CR, LF and every other control character become a space.
_CONTROL_RUNS = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\s]+")
SUBJECT_LIMIT = 200


class MailError(ValueError):
    """An outbox action that cannot be done; the message is safe to show."""


@dataclass(frozen=True)
class CalendarPart:
    method: str  # REQUEST, CANCEL or PUBLISH: the MIME part must say the same as the body
    data: bytes
    filename: str = "session.ics"


def header_text(value: str, limit: int) -> str:
    """One clean line for an email header, whatever a user typed into the text it is made from."""
    line = _CONTROL_RUNS.sub(" ", value).strip()
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def _message_id_domain() -> str:
    return urlsplit(current_app.config["BASE_URL"]).hostname or "helpdesk.invalid"


def send_email(to: str, subject: str, body: str, calendar: CalendarPart | None = None) -> None:
    """Queue an email in the current transaction; the worker delivers it once that commits."""
    address = to
    if not address or _CONTROL_RUNS.search(address) or "@" not in address:
        raise MailError("That email address cannot receive mail.")
    db.session.add(
        OutboxMessage(
            to_address=address,
            subject=header_text(subject, SUBJECT_LIMIT),
            body=body,
            calendar_method=calendar.method if calendar else None,
            calendar_data=calendar.data.decode() if calendar else None,
            message_id=make_msgid(domain=_message_id_domain()),
        )
    )


def build_message(
    to: str,
    subject: str,
    body: str,
    calendar: CalendarPart | None,
    *,
    sender: str,
    message_id: str | None = None,
) -> EmailMessage:
    """A plain-text email, with an iCalendar part whose MIME method matches its body."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = header_text(subject, SUBJECT_LIMIT)
    if message_id:
        message["Message-ID"] = message_id
    message.set_content(body)
    if calendar is not None:
        message.add_attachment(
            calendar.data,
            maintype="text",
            subtype="calendar",
            params={"method": calendar.method, "charset": "utf-8"},
            filename=calendar.filename,
        )
    return message


def message_from_row(row: OutboxMessage, sender: str) -> EmailMessage:
    calendar = (
        CalendarPart(row.calendar_method, row.calendar_data.encode())
        if row.calendar_method and row.calendar_data is not None
        else None
    )
    return build_message(
        row.to_address, row.subject, row.body, calendar, sender=sender, message_id=row.message_id
    )


def retry_message(message: OutboxMessage, now: datetime) -> None:
    """The advisor's "retry": failed mail, or mail waiting out its backoff, goes out on the next pass."""
    if not message.can_retry:
        raise MailError("Only failed mail, or mail waiting to be retried, can be retried.")
    updated = db.session.execute(
        db.update(OutboxMessage)
        .where(
            OutboxMessage.id == message.id,
            OutboxMessage.status.in_([MailStatus.FAILED, MailStatus.QUEUED]),
        )
        .values(status=MailStatus.QUEUED, next_attempt_at=now, attempts=0)
        .execution_options(synchronize_session=False)
    ).rowcount
    if updated != 1:
        raise MailError("That message is being sent right now.")
    db.session.refresh(message)


def status_counts() -> dict[MailStatus, int]:
    rows = db.session.execute(
        db.select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    ).all()
    counts = dict.fromkeys(MailStatus, 0)
    counts.update({MailStatus(status): n for status, n in rows})
    return counts


def mail_leaves_outbox() -> bool:
    """Whether queued mail is delivered (MAIL_SERVER is set) or stays in the Outbox to be read."""
    return bool(current_app.config["MAIL_SERVER"])


def outbox_health(now: datetime | None = None) -> dict:
    """For /healthz: how much mail waits, and how long the oldest has waited."""
    now = now or utcnow()
    waiting_now = OutboxMessage.status.in_([MailStatus.QUEUED, MailStatus.SENDING])
    waiting, oldest, failed = db.session.execute(
        db.select(
            func.count().filter(waiting_now),
            func.min(OutboxMessage.created_at).filter(waiting_now),
            func.count().filter(OutboxMessage.status == MailStatus.FAILED),
        )
    ).one()
    return {
        "delivery": "smtp" if mail_leaves_outbox() else "outbox only",
        "queued": waiting,
        "oldest_queued_seconds": int((now - oldest).total_seconds()) if oldest else 0,
        "failed": failed,
    }
