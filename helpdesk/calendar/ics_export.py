"""Write sessions as iCalendar (RFC 5545): one event for an invitation or download, or a feed.

Pure: no Flask, no database. Every time is written in UTC (``...Z``) with no TZID and no
VTIMEZONE, because TZIDs and icalendar's generated VTIMEZONEs have made Outlook shift events.
Equal input gives equal bytes, so an ETag over the output is stable.

Text is cleaned here whatever the forms let through, or let through before they checked:
one stored session with a line break in its link would otherwise make icalendar refuse the
whole feed of everyone who sees it. Checks that raise are for the caller's own mistakes
(a naive time, a missing UID), never for what a person typed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event, vCalAddress, vDuration

from helpdesk.plain_text import clip, one_line, text_lines, web_link

DEFAULT_PRODID = "-//Helpdesk//Student Tech Team//EN"
METHODS = frozenset({"REQUEST", "CANCEL", "PUBLISH"})
STATUSES = frozenset({"TENTATIVE", "CONFIRMED", "CANCELLED"})
FEED_REFRESH = timedelta(hours=4)

# Far beyond any session's text; they keep a feed small whatever is stored.
MAX_TITLE = 1_000
MAX_DESCRIPTION = 20_000


@dataclass(frozen=True)
class SessionEvent:
    uid: str
    sequence: int
    status: str  # "TENTATIVE" | "CONFIRMED" | "CANCELLED"
    start_at: datetime  # aware
    end_at: datetime  # aware
    summary: str
    description: str = ""
    location: str = ""
    url: str = ""
    organizer_email: str = ""
    organizer_name: str = ""
    attendees: tuple[tuple[str, str], ...] = ()  # (email, display name)
    stamp_at: datetime | None = None  # DTSTAMP: when this version was written
    last_modified_at: datetime | None = None


def event_calendar(event: SessionEvent, *, method: str | None = None) -> bytes:
    """One event in its own VCALENDAR; METHOD only when given (an iTIP message), else a download.

    METHOD:CANCEL always writes STATUS:CANCELLED, and a cancelled event cannot be sent as a
    REQUEST: a cancellation sent as a REQUEST leaves the event in the invitee's calendar.
    """
    if method is not None and method not in METHODS:
        raise ValueError(f"Unknown iTIP method {method!r}.")
    if method == "REQUEST" and event.status == "CANCELLED":
        raise ValueError("A cancelled event must be sent with METHOD:CANCEL, not REQUEST.")
    if method in ("REQUEST", "CANCEL") and not event.organizer_email:
        raise ValueError(f"METHOD:{method} needs an organizer.")
    calendar = _calendar(DEFAULT_PRODID)
    if method is not None:
        calendar.add("METHOD", method)
    status = "CANCELLED" if method == "CANCEL" else None
    calendar.add_component(_vevent(event, status=status))
    return calendar.to_ical()


def feed_calendar(
    events: Iterable[SessionEvent],
    *,
    name: str,
    calendar_uid: str,
    prodid: str = DEFAULT_PRODID,
) -> bytes:
    """A subscribable feed of events, ordered by start then UID whatever order they come in."""
    if not calendar_uid:
        raise ValueError("A feed needs a fixed calendar_uid.")
    calendar = _calendar(prodid)
    # A fixed UID: icalendar's Calendar.new() would pick a random one on every call.
    calendar.add("UID", calendar_uid)
    name = clip(one_line(name), MAX_TITLE)
    calendar.add("NAME", name)
    calendar.add("X-WR-CALNAME", name)
    # RFC 7986 wants VALUE=DURATION written out, and icalendar leaves it off by default.
    calendar.add("REFRESH-INTERVAL", FEED_REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", vDuration(FEED_REFRESH))
    for event in sorted(events, key=lambda e: (_utc(e.start_at, "start_at"), e.uid)):
        calendar.add_component(_vevent(event))
    return calendar.to_ical()


def _calendar(prodid: str) -> Calendar:
    calendar = Calendar()
    calendar.add("VERSION", "2.0")
    calendar.add("PRODID", prodid)
    calendar.add("CALSCALE", "GREGORIAN")
    return calendar


def _vevent(event: SessionEvent, *, status: str | None = None) -> Event:
    status = status or event.status
    if status not in STATUSES:
        raise ValueError(f"Unknown event status {event.status!r}.")
    if not event.uid:
        raise ValueError("An event needs a UID.")
    if event.sequence < 0:
        raise ValueError("SEQUENCE cannot be negative.")
    start_at = _utc(event.start_at, "start_at")
    end_at = _utc(event.end_at, "end_at")
    if end_at < start_at:
        raise ValueError("An event cannot end before it starts.")
    stamp = event.stamp_at or event.last_modified_at
    if stamp is None:
        raise ValueError("An event needs stamp_at (DTSTAMP).")

    vevent = Event()
    vevent.add("UID", event.uid)
    vevent.add("SEQUENCE", event.sequence)
    vevent.add("DTSTAMP", _utc(stamp, "stamp_at"))
    vevent.add("DTSTART", start_at)
    vevent.add("DTEND", end_at)
    vevent.add("STATUS", status)
    vevent.add("SUMMARY", clip(text_lines(event.summary), MAX_TITLE))
    if event.description:
        vevent.add("DESCRIPTION", clip(text_lines(event.description), MAX_DESCRIPTION))
    if event.location:
        vevent.add("LOCATION", clip(text_lines(event.location), MAX_TITLE))
    url = web_link(event.url)
    if url:
        vevent.add("URL", url)
    if event.last_modified_at is not None:
        vevent.add("LAST-MODIFIED", _utc(event.last_modified_at, "last_modified_at"))
    if event.organizer_email:
        vevent.add("ORGANIZER", _address(event.organizer_email, event.organizer_name))
    for email, display_name in event.attendees:
        attendee = _address(email, display_name)
        attendee.params["CUTYPE"] = "INDIVIDUAL"
        attendee.params["ROLE"] = "REQ-PARTICIPANT"
        vevent.add("ATTENDEE", attendee)
    return vevent


def is_calendar_address(email: str) -> bool:
    """True when an address can be written as a mailto: URI (the writer refuses others)."""
    email = email.strip()
    return (
        bool(email) and "@" in email and all(ch.isprintable() and not ch.isspace() for ch in email)
    )


def _address(email: str, display_name: str) -> vCalAddress:
    if not is_calendar_address(email):
        raise ValueError(f"Not an email address: {email!r}.")
    address = vCalAddress(f"mailto:{email.strip()}")
    display_name = clip(one_line(display_name), MAX_TITLE)
    if display_name:
        address.params["CN"] = display_name
    return address


def _utc(moment: datetime, field: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{field} must be an aware datetime.")
    return moment.astimezone(UTC).replace(microsecond=0)


def published_calendar(events: Iterable[SessionEvent]) -> bytes:
    """Several events in one METHOD:PUBLISH calendar (a weekly series' dates, each with its own
    UID): calendar apps import or update each by UID. No ATTENDEE, which PUBLISH forbids
    (RFC 5546 3.2.1); an iTIP REQUEST or CANCEL carries one UID only, and Outlook reads only
    the first event of one, so several dates never go out as a REQUEST or CANCEL."""
    calendar = _calendar(DEFAULT_PRODID)
    calendar.add("METHOD", "PUBLISH")
    for event in sorted(events, key=lambda e: (_utc(e.start_at, "start_at"), e.uid)):
        calendar.add_component(_vevent(replace(event, attendees=())))
    return calendar.to_ical()
