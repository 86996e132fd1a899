"""The ledger listens: a completed session and a resolved help request make entries here.

The workshops feature (built apart) is to send `workshop_attended(workshop, attendees)`;
connect it at merge with `workshop_attended.connect(on_workshop_attended, weak=False)`.
"""

from helpdesk.hours import services
from helpdesk.reflections.signals import session_completed
from helpdesk.requests.signals import request_resolved


def on_session_completed(booking, **_extra) -> None:
    services.record_session(booking)


def on_request_resolved(help_request, *, by, now, minutes=None, **_extra) -> None:
    services.record_help_request(help_request, by, minutes, now)


def on_workshop_attended(workshop, attendees, **_extra) -> None:
    """Expects a workshop with id, title, held_on (a date), minutes and optional description."""
    services.record_workshop(
        workshop.id,
        workshop.title,
        workshop.held_on,
        workshop.minutes,
        attendees,
        description=getattr(workshop, "description", "") or "",
    )


session_completed.connect(on_session_completed, weak=False)
request_resolved.connect(on_request_resolved, weak=False)
