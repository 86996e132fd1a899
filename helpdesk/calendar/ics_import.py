"""Read closure days from a district's published iCalendar (.ics) file.

Pure: no Flask, no database. The caller shows the result for review and saves it. Reading is
bounded (see ics_bounds): a file a person uploads cannot keep a worker busy for more than
about two seconds, whatever its rules and time zones say.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import islice

import recurring_ical_events
from icalendar import Calendar, Component

from helpdesk.calendar.ics_bounds import (
    MAX_NAME_LENGTH,
    NOT_ICALENDAR,
    TOO_SLOW,
    IcsImportError,
    check_events,
    clean_name,
    prescan,
)

__all__ = [
    "MAX_NAME_LENGTH",
    "NOT_ICALENDAR",
    "TOO_SLOW",
    "IcsImportError",
    "ImportedClosure",
    "read_closures",
]

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_DATES = 2_000
MAX_OCCURRENCES = 10_000
# A deadline for the whole read, checked between occurrences and between series. The bounds
# in ics_bounds keep every file well inside it (the largest allowed take under a second
# here); it is the backstop for a rule they did not foresee.
MAX_SECONDS = 2.0
DEFAULT_NAME = "Closure"


@dataclass(frozen=True)
class ImportedClosure:
    on: date
    name: str


def read_closures(
    data: bytes, *, start: date, end: date, clock: Callable[[], float] = time.monotonic
) -> list[ImportedClosure]:
    """One closure per date in [start, end] covered by an event of the file, sorted by date."""
    if start > end:
        raise IcsImportError("The start date must be on or before the end date.")
    deadline = clock() + MAX_SECONDS

    def is_late() -> bool:
        return clock() > deadline

    calendar = _parse(data)
    check_events(list(calendar.walk("VEVENT")), start, end, is_late)
    occurrences = _expand(calendar, start, end, is_late)
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
    text = prescan(text.lstrip())
    try:
        calendar = Calendar.from_ical(text)
    except Exception as exc:
        # The parser raises many exception types on hostile input; all mean the same here.
        raise IcsImportError(NOT_ICALENDAR) from exc
    if not isinstance(calendar, Calendar) or calendar.name != "VCALENDAR":
        raise IcsImportError(NOT_ICALENDAR)
    return calendar


def _expand(
    calendar: Calendar, start: date, end: date, is_late: Callable[[], bool]
) -> list[tuple[date, list[date], str]]:
    """Each occurrence as (first date it touches, its dates within range, name).

    Series by series and lazily, so the count and the deadline are checked as it goes.
    """
    result = []
    try:
        query = recurring_ical_events.of(calendar, components=["VEVENT"])
        for series in query.series:
            found = islice(series.between(start, end + timedelta(days=1)), MAX_OCCURRENCES + 1)
            for occurrence in found:
                if is_late():
                    raise IcsImportError(TOO_SLOW)
                component = occurrence.as_component(False)
                if str(component.get("STATUS", "")).upper() == "CANCELLED":
                    continue
                first_on, last_on = _span(component)
                begin, finish = max(first_on, start), min(last_on, end)
                covered = [begin + timedelta(days=i) for i in range((finish - begin).days + 1)]
                if covered:
                    name = clean_name(component.get("SUMMARY")) or DEFAULT_NAME
                    result.append((first_on, covered, name))
                if len(result) > MAX_OCCURRENCES:
                    raise IcsImportError(
                        f"That file has more than {MAX_OCCURRENCES:,} events in this range. "
                        "Choose a shorter range."
                    )
            if is_late():
                raise IcsImportError(TOO_SLOW)
    except IcsImportError:
        raise
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
