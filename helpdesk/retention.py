"""Keeping less for less long: old help-request screenshots and old sent mail bodies go.

Run daily by `flask apply-retention`; a second run the same day finds nothing left to do.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update

from helpdesk.extensions import db
from helpdesk.mail.models import MailStatus, OutboxMessage
from helpdesk.requests.models import RequestScreenshot


@dataclass(frozen=True)
class RetentionCounts:
    screenshots: int
    mail_bodies: int


def _old_screenshots(cutoff: datetime):
    return RequestScreenshot.created_at < cutoff


def _old_mail(cutoff: datetime):
    # Only sent mail: a waiting or failed message still needs its body to be sent.
    return (
        OutboxMessage.status == MailStatus.SENT,
        OutboxMessage.sent_at < cutoff,
        OutboxMessage.body != "",
    )


def apply_retention(
    now: datetime, screenshot_days: int, mail_days: int, *, dry_run: bool = False
) -> RetentionCounts:
    """Delete screenshots older than screenshot_days and blank mail sent over mail_days ago."""
    if screenshot_days < 1 or mail_days < 1:
        raise ValueError("Retention periods are at least one day.")
    shots = _old_screenshots(now - timedelta(days=screenshot_days))
    mail = _old_mail(now - timedelta(days=mail_days))
    if dry_run:
        return RetentionCounts(
            db.session.scalar(select(func.count(RequestScreenshot.id)).where(shots)) or 0,
            db.session.scalar(select(func.count(OutboxMessage.id)).where(*mail)) or 0,
        )
    removed = db.session.execute(
        delete(RequestScreenshot).where(shots).execution_options(synchronize_session=False)
    ).rowcount
    blanked = db.session.execute(
        update(OutboxMessage)
        .where(*mail)
        .values(body="", calendar_data=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    return RetentionCounts(removed, blanked)
