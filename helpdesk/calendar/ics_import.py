"""Read closure days from a district's published iCalendar (.ics) file.

Pure: no Flask, no database. The caller shows the result for review and saves it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import recurring_ical_events
from icalendar import Calendar, Component

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_DATES = 2_000
MAX_NAME_LENGTH = 200
# Upper bound on (repeating rules x days in range): keeps expansion of a hostile file cheap.
MAX_RULE_DAYS = 40_000
DEFAULT_NAME = "Closure"

_DATE_PROPERTIES = ("DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID")
_SUB_DAILY = {"SECONDLY", "MINUTELY", "HOURLY"}
_WHITESPACE = re.compile(r"\s+")

NOT_ICALENDAR = "That file is not a valid iCalendar (.ics) file."


class IcsImportError(ValueError):
    """A file we cannot import; the message is safe to show to the person who uploaded it."""


@dataclass(frozen=True)
class ImportedClosure:
    on: date
    name: str


def read_closures(data: bytes, *, start: date, end: date) -> list[ImportedClosure]:
    """One closure per date in [start, end] covered by an event of the file, sorted by date."""
    if start > end:
        raise IcsImportError("The start date must be on or before the end date.")
    calendar = _parse(data)
    events = _events(calendar)
    _check_dates_readable(events)
    _check_recurrence_cost(events, start, end)

    occurrences = _expand(calendar, start, end)
    names: dict[date, str] = {}
    # The earliest-starting event names a date; ties keep the file's order (sort is stable).
    for _, covered, name in sorted(occurrences, key=lambda o: o[0]):
        for on in covered:
            names.setdefault(on, name)
            if len(names) > MAX_DATES:
                raise IcsImportError(
                    f"That file has more than {MAX_DATES:,} closure dates between "
                    f"{start.isoformat()} and {end.isoformat()}. Choose a shorter range."
                )
    return [ImportedClosure(on=on, name=names[on]) for on in sorted(names)]


def _parse(data: bytes) -> Calendar:
    if not data or not data.strip():
        raise IcsImportError("That file is empty.")
    if len(data) > MAX_FILE_BYTES:
        raise IcsImportError("That file is larger than 2 MB, the most we can import.")
    if b"\x00" in data:
        raise IcsImportError(NOT_ICALENDAR)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Some older exporters still write Windows-1252; binary junk fails here or below.
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise IcsImportError(NOT_ICALENDAR) from None
    if text.lstrip()[:15].upper() != "BEGIN:VCALENDAR":
        raise IcsImportError(NOT_ICALENDAR)
    try:
        calendar = Calendar.from_ical(text)
    except Exception as exc:
        # The parser raises many exception types on hostile input; all mean the same here.
        raise IcsImportError(NOT_ICALENDAR) from exc
    if not isinstance(calendar, Calendar) or calendar.name != "VCALENDAR":
        raise IcsImportError(NOT_ICALENDAR)
    return calendar


def _events(calendar: Calendar) -> list[Component]:
    return list(calendar.walk("VEVENT"))


def _check_dates_readable(events: list[Component]) -> None:
    for event in events:
        if "DTSTART" not in event:
            raise IcsImportError(_event_error(event, "has no start date"))
        if any(name in _DATE_PROPERTIES for name, _ in event.errors):
            raise IcsImportError(_event_error(event, "has a date or repeat rule we cannot read"))


def _check_recurrence_cost(events: list[Component], start: date, end: date) -> None:
    rules = 0
    for event in events:
        found = event.get("RRULE") or []
        for rule in found if isinstance(found, list) else [found]:
            frequency = (rule.get("FREQ") or [""])[0]
            if str(frequency).upper() in _SUB_DAILY or any(
                len(rule.get(part) or ()) > 1 for part in ("BYHOUR", "BYMINUTE", "BYSECOND")
            ):
                raise IcsImportError(
                    _event_error(event, "repeats more than once a day; closures are whole days")
                )
            rules += 1
    days = (end - start).days + 1
    if rules * days > MAX_RULE_DAYS:
        raise IcsImportError(
            "That file has too many repeating events to import over this range. "
            "Choose a shorter range."
        )


def _event_error(event: Component, problem: str) -> str:
    name = _clean_name(event.get("SUMMARY"))
    return f"The event “{name}” {problem}." if name else f"An event in that file {problem}."


def _expand(calendar: Calendar, start: date, end: date) -> list[tuple[date, list[date], str]]:
    """Each occurrence as (first date it touches, its dates within range, name)."""
    result = []
    try:
        components = recurring_ical_events.of(calendar).between(start, end + timedelta(days=1))
        for component in components:
            if str(component.get("STATUS", "")).upper() == "CANCELLED":
                continue
            first_on, last_on = _span(component)
            begin, finish = max(first_on, start), min(last_on, end)
            covered = [begin + timedelta(days=i) for i in range((finish - begin).days + 1)]
            if covered:
                name = _clean_name(component.get("SUMMARY")) or DEFAULT_NAME
                result.append((first_on, covered, name))
    except Exception as exc:
        # Expanding a malformed series can raise almost anything (KeyError, TypeError,
        # OverflowError from dateutil); to the person uploading it, it is one problem.
        raise IcsImportError(
            "That file has an event whose dates or repeat rule we cannot read."
        ) from exc
    return result


def _span(component: Component) -> tuple[date, date]:
    """First and last dates an occurrence touches; an all-day DTEND is exclusive."""
    begin = component["DTSTART"].dt
    finish = component["DTEND"].dt if "DTEND" in component else begin
    if not isinstance(begin, datetime):
        if isinstance(finish, datetime):
            finish = finish.date()
        last = finish - timedelta(days=1) if finish > begin else begin
        return begin, last
    if not isinstance(finish, datetime):
        finish = datetime.combine(finish, begin.timetz())
    if begin.tzinfo is not None and finish.tzinfo is not None:
        # Dates are read in the time zone the event starts in.
        finish = finish.astimezone(begin.tzinfo)
    else:
        finish = finish.replace(tzinfo=begin.tzinfo)
    if finish <= begin:
        return begin.date(), begin.date()
    # An event ending at midnight does not touch the next day.
    return begin.date(), (finish - timedelta(microseconds=1)).date()


def _clean_name(value: object) -> str:
    if value is None:
        return ""
    name = _WHITESPACE.sub(" ", str(value)).strip()
    name = "".join(ch for ch in name if ch.isprintable())
    if len(name) > MAX_NAME_LENGTH:
        name = name[: MAX_NAME_LENGTH - 1].rstrip() + "…"
    return name
