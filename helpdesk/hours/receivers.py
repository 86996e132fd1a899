"""The ledger listens: a completed session, a resolved help request and a workshop's attendance
make entries here."""

from zoneinfo import ZoneInfo

from helpdesk.hours import services
from helpdesk.reflections.signals import session_completed
from helpdesk.requests.signals import request_resolved
from helpdesk.workshops.signals import workshop_attended


def on_session_completed(booking, **_extra) -> None:
    services.record_session(booking)


def on_request_resolved(help_request, *, by, now, minutes=None, **_extra) -> None:
    services.record_help_request(help_request, by, minutes, now)


def on_workshop_attended(workshop, attendees, hosts=(), **_extra) -> None:
    """Both sides earn the workshop's length: the teachers who came, and the mentors who led it."""
    zone = ZoneInfo(hosts[0].school.timezone) if hosts else None
    services.record_workshop(
        workshop.id,
        workshop.title,
        workshop.starts_at.astimezone(zone).date(),
        workshop.minutes,
        [*attendees, *hosts],
        description=workshop.description or "",
    )


session_completed.connect(on_session_completed, weak=False)
request_resolved.connect(on_request_resolved, weak=False)
workshop_attended.connect(on_workshop_attended, weak=False)
