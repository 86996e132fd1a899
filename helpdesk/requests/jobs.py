"""The help desk's cron passes (`close-waiting-requests`, `desk-digest`): one transaction per item."""

from datetime import datetime, timedelta

from sqlalchemy import select

from helpdesk.accounts.models import User
from helpdesk.extensions import db
from helpdesk.jobs import JobRun, run_each
from helpdesk.requests import notices
from helpdesk.requests.lifecycle import RequestError, transition
from helpdesk.requests.models import DeskPendingNotice, HelpRequest, RequestStatus
from helpdesk.requests.school_clock import school_days_since
from helpdesk.requests.services import calendar_days

WAITING_SCHOOL_DAYS = 5


def close_waiting_requests(now: datetime) -> JobRun:
    """Close requests waiting for the requester for 5 whole school days; safe to repeat."""
    waiting = db.session.scalars(
        select(HelpRequest)
        .where(HelpRequest.status == RequestStatus.WAITING)
        .order_by(HelpRequest.id)
    ).all()
    if not waiting:
        return JobRun()
    first = min(r.waiting_since_at or r.updated_at for r in waiting).date() - timedelta(days=1)
    calendars = calendar_days(
        {r.requester.school_id for r in waiting}, first, now.date() + timedelta(days=1)
    )
    due = []
    for help_request in waiting:
        days, tz = calendars[help_request.requester.school_id]
        since = help_request.waiting_since_at or help_request.updated_at
        if school_days_since(since, now, days, tz) >= WAITING_SCHOOL_DAYS:
            due.append(help_request.id)
    return run_each(due, _close, "close-waiting-requests")


def _close(request_id: int) -> bool:
    help_request = db.session.get(HelpRequest, request_id)
    try:
        transition(
            help_request,
            RequestStatus.CLOSED,
            None,
            f"No answer from the requester in {WAITING_SCHOOL_DAYS} school days",
            waiting_since_at=None,
        )
    except RequestError:
        return False  # answered or changed meanwhile
    notices.auto_closed(help_request)
    return True


def send_grouped_emails(now: datetime) -> JobRun:
    """Send the new-request emails held back by the quarter-hour rule, one person at a time."""
    people = db.session.scalars(
        select(User.id)
        .where(
            User.id.in_(
                select(DeskPendingNotice.user_id).where(DeskPendingNotice.emailed_at.is_(None))
            ),
            User.is_active.is_(True),
        )
        .order_by(User.id)
    ).all()
    return run_each(
        people,
        lambda user_id: notices.send_pending(db.session.get(User, user_id), now),
        "desk-digest",
    )
