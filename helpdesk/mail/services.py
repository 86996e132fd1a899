"""Outgoing email: SMTP when MAIL_SERVER is set, otherwise the in-app outbox."""

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

from flask import current_app

from helpdesk.extensions import db
from helpdesk.mail.models import OutboxMessage


@dataclass(frozen=True)
class CalendarPart:
    method: str  # REQUEST, CANCEL or PUBLISH: the MIME part must say the same as the body
    data: bytes
    filename: str = "session.ics"


def build_message(to: str, subject: str, body: str, calendar: CalendarPart | None) -> EmailMessage:
    """A plain-text email, with an iCalendar part whose MIME method matches its body."""
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
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


def send_email(to: str, subject: str, body: str, calendar: CalendarPart | None = None) -> None:
    """Deliver now over SMTP, or keep the message in the outbox when there is no mail server."""
    config = current_app.config
    if not config["MAIL_SERVER"]:
        db.session.add(
            OutboxMessage(
                to_address=to,
                subject=subject,
                body=body,
                calendar_method=calendar.method if calendar else None,
                calendar_data=calendar.data.decode() if calendar else None,
            )
        )
        return
    message = build_message(to, subject, body, calendar)
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)
