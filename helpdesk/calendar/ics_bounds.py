"""What an uploaded calendar file may cost to read, checked before it costs it.

A `.ics` rule with INTERVAL=0, or a VTIMEZONE that repeats every second, once kept a worker busy
for 60 s and grew it to 1.7 GB: icalendar builds a time zone from every VTIMEZONE while it parses
(and keeps it for the life of the process), and dateutil walks a repeat rule one step at a time
until it finds an occurrence, up to the year 9999 if none ever comes. So, before icalendar sees
the file, `prescan` reads its lines and keeps only what closures need (the calendar, its events
and their dates); after parsing, `check_events` lets through only repeat rules whose walk is
short. Pure: no Flask, no database.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import rrulestr
from icalendar import Component
from icalendar.prop import vRecur

NOT_ICALENDAR = "That file is not a valid iCalendar (.ics) file."
TOO_SLOW = (
    "That file takes too long to read: its repeating events are too complex. "
    "Choose a shorter range, or export only the school's closures."
)

MAX_LINES = 100_000  # unfolded lines in the file (2 MB of short lines)
MAX_LINE = 64 * 1024  # characters in one unfolded line
MAX_DEPTH = 4  # VCALENDAR > VEVENT > VALARM needs 3
MAX_COMPONENTS = 10_000  # BEGIN lines of any kind
MAX_EVENTS = 2_000  # icalendar parses about 2,000 short events a second here
MAX_KEPT_LINES = 20_000  # lines handed to icalendar
MAX_EVENT_DATES = 1_000  # RDATE and EXDATE values in one event
MAX_RULES = 100  # repeating events in a file; a district's has a few dozen at most
MAX_RULE_DAYS = 40_000  # repeating events x days in the range: the occurrences to expand
MAX_RULE_STEPS = 200_000  # steps from the rules' starts to the range's end
MAX_COUNT = 10_000
EARLIEST_YEAR, LATEST_YEAR = 1900, 2199

# What a closure needs of a file; the rest (time zones, alarms, descriptions) is never parsed.
_CALENDAR_PROPERTIES = frozenset({"VERSION", "PRODID", "CALSCALE", "X-WR-TIMEZONE"})
_EVENT_PROPERTIES = frozenset(
    {
        "UID",
        "SEQUENCE",
        "STATUS",
        "SUMMARY",
        "DTSTART",
        "DTEND",
        "DURATION",
        "RRULE",
        "RDATE",
        "EXDATE",
        "RECURRENCE-ID",
    }
)
_SUB_DAILY = frozenset({"SECONDLY", "MINUTELY", "HOURLY"})
_STEP_DAYS = {"DAILY": 1, "WEEKLY": 7, "MONTHLY": 28, "YEARLY": 365}
_MAX_INTERVAL = {"DAILY": 366, "WEEKLY": 53, "MONTHLY": 12, "YEARLY": 10}
_TIME_PARTS = ("BYHOUR", "BYMINUTE", "BYSECOND")
# Daily and weekly rules may only narrow by weekday and month: every year then holds an
# occurrence, so a walk never runs on to the year 9999 looking for one. Monthly and yearly
# rules may use more, and are probed for a day that never comes (see _never_repeats).
_ALLOWED_PARTS = {
    "DAILY": {"BYDAY", "BYMONTH", *_TIME_PARTS},
    "WEEKLY": {"BYDAY", "BYMONTH", "WKST", *_TIME_PARTS},
    "MONTHLY": {"BYDAY", "BYMONTH", "BYMONTHDAY", "BYSETPOS", "WKST", *_TIME_PARTS},
    "YEARLY": {
        *("BYDAY", "BYMONTH", "BYMONTHDAY", "BYSETPOS", "BYYEARDAY", "BYWEEKNO", "WKST"),
        *_TIME_PARTS,
    },
}
# The Gregorian calendar repeats every 400 years, weekdays included.
_CYCLE_YEARS = 400


class IcsImportError(ValueError):
    """A file we cannot import; the message is safe to show to the person who uploaded it."""


# ---------------------------------------------------------------- before parsing


def prescan(text: str) -> str:
    """The file's calendar and events, with only the properties closures need.

    Refuses files too big to parse quickly, nested too deep, unbalanced, or with a time zone
    that changes more often than once a year. Everything else (VTIMEZONE, VALARM, VTODO,
    descriptions, attachments) is dropped unparsed: a TZID is then read by zoneinfo or, when
    zoneinfo does not know it, as local time, which gives the same dates for closures.
    """
    kept: list[str] = []
    stack: list[str] = []
    components = events = 0
    dropped_at = 0  # depth of the component being dropped; 0 when keeping
    event_dates = 0
    summary = ""
    finished = False
    for line in _unfold(text):
        name, _, value = line.partition(":")
        name = name.partition(";")[0].strip().upper()
        if finished:
            if line.strip():
                raise IcsImportError(NOT_ICALENDAR)  # a second calendar, or junk after the end
            continue
        if name == "BEGIN":
            kind = value.strip().upper()
            if not stack and kind != "VCALENDAR":
                raise IcsImportError(NOT_ICALENDAR)
            stack.append(kind)
            components += 1
            if len(stack) > MAX_DEPTH:
                raise IcsImportError("That file nests its parts too deeply to be a calendar.")
            if components > MAX_COMPONENTS:
                raise IcsImportError(_too_many())
            if kind == "VEVENT" and len(stack) == 2:
                events += 1
                event_dates, summary = 0, ""
                if events > MAX_EVENTS:
                    raise IcsImportError(_too_many())
            if not dropped_at and (len(stack) > 2 or (len(stack) == 2 and kind != "VEVENT")):
                dropped_at = len(stack)
            if not dropped_at:
                kept.append(line)
        elif name == "END":
            if not stack or stack[-1] != value.strip().upper():
                raise IcsImportError(NOT_ICALENDAR)
            if stack[-1] == "VEVENT" and event_dates > MAX_EVENT_DATES:
                raise IcsImportError(
                    _event_problem(
                        _unescape(summary),
                        f"lists more than {MAX_EVENT_DATES:,} extra or skipped dates",
                    )
                )
            if not dropped_at:
                kept.append(line)
            if dropped_at == len(stack):
                dropped_at = 0
            stack.pop()
            finished = not stack
        elif not stack:
            if line.strip():
                raise IcsImportError(NOT_ICALENDAR)
        else:
            if len(stack) == 3 and stack[1] == "VTIMEZONE" and name == "RRULE":
                _check_time_zone_rule(value)
            if dropped_at:
                continue
            wanted = _CALENDAR_PROPERTIES if len(stack) == 1 else _EVENT_PROPERTIES
            if name not in wanted:
                continue
            if name == "X-WR-TIMEZONE" and not _is_known_zone(value):
                continue  # Google's hint for UTC times; without it they stay UTC
            if name in ("RDATE", "EXDATE"):
                event_dates += value.count(",") + 1
            elif name == "SUMMARY":
                summary = value
            kept.append(line)
            if len(kept) > MAX_KEPT_LINES:
                raise IcsImportError(_too_many())
    if stack or not finished:
        raise IcsImportError(NOT_ICALENDAR)
    return "\r\n".join(kept) + "\r\n"


def _unfold(text: str):
    """The file's logical lines (RFC 5545 folding undone), each checked for length."""
    current: list[str] = []
    length = count = 0
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if raw[:1] in (" ", "\t") and current:
            current.append(raw[1:])
            length += len(raw) - 1
        else:
            if current:
                yield "".join(current)
            current, length = [raw], len(raw)
            count += 1
            if count > MAX_LINES:
                raise IcsImportError(_too_many())
        if length > MAX_LINE:
            raise IcsImportError(
                f"That file has a line longer than {MAX_LINE // 1024} KB; "
                "it does not look like a school calendar."
            )
    if current:
        yield "".join(current)


def _is_known_zone(name: str) -> bool:
    try:
        ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def _unescape(text: str) -> str:
    return text.replace("\\n", " ").replace("\\N", " ").replace("\\,", ",").replace("\\;", ";")


def _check_time_zone_rule(value: str) -> None:
    parts = dict(part.partition("=")[::2] for part in value.upper().split(";"))
    if parts.get("FREQ", "").strip() != "YEARLY" or parts.get("INTERVAL", "1").strip() != "1":
        raise IcsImportError(
            "A time zone in that file changes its clocks more often than once a year, "
            "which no real time zone does. Export the calendar again."
        )


def _too_many() -> str:
    return (
        f"That file has too many events or lines to import at once (at most {MAX_EVENTS:,} "
        "events). Export a shorter period."
    )


# ---------------------------------------------------------------- after parsing


def check_events(
    events: list[Component], start: date, end: date, is_late: Callable[[], bool] = lambda: False
) -> None:
    """Every event has readable dates in a plausible era, and every repeat rule a short walk.

    A monthly rule on a rare day (a Monday 29 February) is possible but may take dateutil
    hundreds of years of steps to reach: about 50 ms each. `is_late` is asked between rules.
    """
    rules = steps = 0
    for event in events:
        if is_late():
            raise IcsImportError(TOO_SLOW)
        if "DTSTART" not in event:
            raise IcsImportError(_event_error(event, "has no start date"))
        if any(name in _DATE_PROPERTIES for name, _ in event.errors):
            raise IcsImportError(_event_error(event, "has a date or repeat rule we cannot read"))
        if any(isinstance(event.get(name), list) for name in _SINGLE_PROPERTIES):
            raise IcsImportError(_event_error(event, "has two start or end dates"))
        first = event["DTSTART"].dt
        for moment in (first, event["DTEND"].dt if "DTEND" in event else first):
            if not isinstance(moment, date) or not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
                raise IcsImportError(_event_error(event, _ERA))
        found = event.get("RRULE") or []
        for rule in found if isinstance(found, list) else [found]:
            if "RECURRENCE-ID" in event:
                raise IcsImportError(
                    _event_error(event, "changes one occurrence and repeats again")
                )
            steps += _check_rule(event, rule, first, end)
            rules += 1
    days = (end - start).days + 1
    if rules > MAX_RULES or rules * days > MAX_RULE_DAYS or steps > MAX_RULE_STEPS:
        raise IcsImportError(
            "That file has too many repeating events to import over this range. "
            "Choose a shorter range."
        )


_DATE_PROPERTIES = ("DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID")
_SINGLE_PROPERTIES = ("DTSTART", "DTEND", "DURATION", "RECURRENCE-ID")
_ERA = f"has a date outside the years {EARLIEST_YEAR}–{LATEST_YEAR}"


def _check_rule(event: Component, rule: vRecur, first: date, end: date) -> int:
    """Refuse a rule whose walk could be long; the number of steps from its start to `end`."""
    frequency = str((rule.get("FREQ") or [""])[0]).upper()
    if frequency in _SUB_DAILY or any(len(rule.get(part) or ()) > 1 for part in _TIME_PARTS):
        raise IcsImportError(
            _event_error(event, "repeats more than once a day; closures are whole days")
        )
    if frequency not in _ALLOWED_PARTS:
        raise IcsImportError(_event_error(event, "has a repeat rule we cannot read"))
    interval = (rule.get("INTERVAL") or [1])[0]
    if not isinstance(interval, int) or interval < 1:
        raise IcsImportError(
            _event_error(event, f"repeats with an interval of {interval}; it must be at least 1")
        )
    if interval > _MAX_INTERVAL[frequency]:
        raise IcsImportError(_event_error(event, "repeats too rarely for a school calendar"))
    extra = set(rule) - _ALLOWED_PARTS[frequency] - {"FREQ", "INTERVAL", "COUNT", "UNTIL"}
    if frequency in ("DAILY", "WEEKLY") and any(
        getattr(day, "relative", None) for day in rule.get("BYDAY") or ()
    ):
        extra.add("BYDAY")
    if frequency == "DAILY" and rule.get("BYDAY") and interval % 7 == 0:
        extra.add("INTERVAL")  # every 7th day on other weekdays: a day that never comes
    if extra:
        raise IcsImportError(
            _event_error(event, f"uses a repeat rule we cannot import ({', '.join(sorted(extra))})")
        )
    count = (rule.get("COUNT") or [0])[0]
    if not isinstance(count, int) or count > MAX_COUNT:
        raise IcsImportError(_event_error(event, f"repeats more than {MAX_COUNT:,} times"))
    until = (rule.get("UNTIL") or [None])[0]
    if until is not None and not EARLIEST_YEAR <= until.year <= LATEST_YEAR:
        raise IcsImportError(_event_error(event, _ERA))
    if frequency in ("MONTHLY", "YEARLY") and _never_repeats(rule, first, interval):
        raise IcsImportError(
            _event_error(event, "repeats on a day that never comes (such as 30 February)")
        )
    begin = first.date() if isinstance(first, datetime) else first
    return max(0, (end - begin).days) // (_STEP_DAYS[frequency] * interval) + 1


def _never_repeats(rule: vRecur, first: date, interval: int) -> bool:
    """True when the rule has no occurrence after its start, ever.

    dateutil would look until the year 9999 (96,000 steps for a monthly rule). The calendar
    repeats every 400 years, so the rule's pattern repeats every 400 x INTERVAL years: the
    probe starts that many years on, late in the calendar, and stops at 9999 after a few
    thousand steps. COUNT and UNTIL are left out: dateutil checks them only on a day it finds.
    """
    start = first if isinstance(first, datetime) else datetime.combine(first, time())
    period = _CYCLE_YEARS * interval
    shift = max(0, (9999 - period - start.year) // period) * period
    text = vRecur({k: v for k, v in rule.items() if k not in ("COUNT", "UNTIL")}).to_ical()
    try:
        probe = rrulestr(text.decode(), dtstart=start.replace(year=start.year + shift, tzinfo=None))
        return next(iter(probe.replace(count=1)), None) is None
    except (ValueError, TypeError, OverflowError) as exc:
        raise IcsImportError(NOT_ICALENDAR) from exc


def _event_error(event: Component, problem: str) -> str:
    return _event_problem(event.get("SUMMARY"), problem)


def _event_problem(summary: object, problem: str) -> str:
    name = clean_name(summary)
    return f"The event “{name}” {problem}." if name else f"An event in that file {problem}."


MAX_NAME_LENGTH = 200


def clean_name(value: object) -> str:
    """An event's name as one printable line of at most MAX_NAME_LENGTH characters."""
    if isinstance(value, list):
        value = value[0] if value else None
    if value is None:
        return ""
    name = " ".join(str(value).split())
    name = "".join(ch for ch in name if ch.isprintable())
    if len(name) > MAX_NAME_LENGTH:
        name = name[: MAX_NAME_LENGTH - 1].rstrip() + "…"
    return name
