"""Crafted calendar files are refused with a clear message, before they can cost much.

Each file here once cost (or would cost) a worker seconds to minutes and hundreds of MB:
INTERVAL=0 and a VTIMEZONE repeating every second ran past 30 s. The refusals come from
bounds checked before expansion, so no test needs a timer; the seconds measured are in the
commit that added the bounds. The deadline backstop is tested with a fake clock.
"""

import io
import time
import zlib
from datetime import date

import pytest

from helpdesk.calendar import ics_bounds
from helpdesk.calendar.ics_import import (
    NOT_ICALENDAR,
    TOO_SLOW,
    IcsImportError,
    ImportedClosure,
    read_closures,
)
from helpdesk.calendar.models import Closure

TERM = {"start": date(2026, 9, 1), "end": date(2027, 6, 20)}


def ics(*parts: str, header: str = "") -> bytes:
    body = "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//District//EN\n" + header + "".join(parts)
    return (body + "END:VCALENDAR\n").replace("\n", "\r\n").encode()


def event(summary: str, *lines: str, uid: str = "") -> str:
    uid = uid or f"{zlib.crc32(repr((summary, lines)).encode())}@district.example"
    body = "".join(line + "\n" for line in lines)
    return (
        f"BEGIN:VEVENT\nUID:{uid}\nDTSTAMP:20260801T120000Z\nSUMMARY:{summary}\n{body}END:VEVENT\n"
    )


def repeating(summary: str, rule: str, start: str = "20260901", **kwargs) -> str:
    return event(summary, f"DTSTART;VALUE=DATE:{start}", f"RRULE:{rule}", **kwargs)


def time_zone(rule: str) -> str:
    return (
        "BEGIN:VTIMEZONE\nTZID:Evil/Zone\n"
        f"BEGIN:STANDARD\nDTSTART:19700101T000000\nRRULE:{rule}\n"
        "TZOFFSETFROM:+0100\nTZOFFSETTO:+0100\nEND:STANDARD\n"
        f"BEGIN:DAYLIGHT\nDTSTART:19700101T000001\nRRULE:{rule}\n"
        "TZOFFSETFROM:+0100\nTZOFFSETTO:+0200\nEND:DAYLIGHT\nEND:VTIMEZONE\n"
    )


ONE_EVENT_AT_EVIL_ZONE = event(
    "Visit", "DTSTART;TZID=Evil/Zone:20261015T080000", "DTEND:20261015T170000Z"
)

CRAFTED = {
    "interval 0": (
        ics(repeating("Every day", "FREQ=DAILY;INTERVAL=0")),
        "The event “Every day” repeats with an interval of 0; it must be at least 1.",
    ),
    "negative interval": (
        ics(repeating("Weekly", "FREQ=WEEKLY;INTERVAL=-3")),
        "repeats with an interval of -3",
    ),
    "SECONDLY in a VTIMEZONE": (
        ics(ONE_EVENT_AT_EVIL_ZONE, header=time_zone("FREQ=SECONDLY")),
        "A time zone in that file changes its clocks more often than once a year",
    ),
    "DAILY in a VTIMEZONE": (
        ics(ONE_EVENT_AT_EVIL_ZONE, header=time_zone("FREQ=DAILY")),
        "changes its clocks more often than once a year",
    ),
    "yearly VTIMEZONE with INTERVAL=0": (
        ics(ONE_EVENT_AT_EVIL_ZONE, header=time_zone("FREQ=YEARLY;INTERVAL=0")),
        "changes its clocks more often than once a year",
    ),
    "SECONDLY in an event": (
        ics(event("Bells", "DTSTART:20260901T080000", "RRULE:FREQ=SECONDLY")),
        "The event “Bells” repeats more than once a day; closures are whole days.",
    ),
    "MINUTELY in an event": (
        ics(event("Bells", "DTSTART:20260901T080000", "RRULE:FREQ=MINUTELY;COUNT=5")),
        "repeats more than once a day",
    ),
    "HOURLY in an event": (
        ics(event("Bells", "DTSTART:20260901T080000", "RRULE:FREQ=HOURLY")),
        "repeats more than once a day",
    ),
    "COUNT=10**9": (
        ics(repeating("Forever", "FREQ=DAILY;COUNT=1000000000")),
        "The event “Forever” repeats more than 10,000 times.",
    ),
    "UNTIL far future": (
        ics(repeating("Until 9999", "FREQ=DAILY;UNTIL=99991231")),
        "The event “Until 9999” has a date outside the years 1900–2199.",
    ),
    "DTSTART in year 1": (
        ics(repeating("Since year 1", "FREQ=DAILY", start="00010101")),
        "has a date outside the years 1900–2199",
    ),
    "10,000 events": (
        ics(
            *[event(f"Day {i}", "DTSTART;VALUE=DATE:20261015", uid=f"e{i}") for i in range(10_000)]
        ),
        "That file has too many events or lines to import at once (at most 2,000 events).",
    ),
    "1 MB description": (
        ics(event("Long", "DTSTART;VALUE=DATE:20261015", "DESCRIPTION:" + "a" * 1_000_000)),
        "That file has a line longer than 64 KB",
    ),
    "1 MB description, folded": (
        ics(event("Long", "DTSTART;VALUE=DATE:20261015", "DESCRIPTION:" + "a\n " * 400_000)),
        "That file has a line longer than 64 KB",
    ),
    "malformed dates": (
        ics(event("Odd", "DTSTART;VALUE=DATE:20261345")),
        "The event “Odd” has a date or repeat rule we cannot read.",
    ),
    "two start dates": (
        ics(event("Twice", "DTSTART;VALUE=DATE:20261015", "DTSTART;VALUE=DATE:20261016")),
        "The event “Twice” has two start or end dates.",
    ),
    "RDATE list of 100k on one line": (
        ics(
            event(
                "Many", "DTSTART;VALUE=DATE:20261015", "RDATE;VALUE=DATE:" + ",20261016" * 100_000
            )
        ),
        "line longer than 64 KB",
    ),
    "RDATE list of 100k over many lines": (
        ics(
            event(
                "Many",
                "DTSTART;VALUE=DATE:20261015",
                *["RDATE;VALUE=DATE:" + ",".join(["20261016"] * 100)] * 1000,
            )
        ),
        "The event “Many” lists more than 1,000 extra or skipped dates.",
    ),
    "deep nesting": (
        ics("BEGIN:VEVENT\n" * 5000 + "END:VEVENT\n" * 5000),
        "That file nests its parts too deeply to be a calendar.",
    ),
    "recursion of alarms": (
        ics("BEGIN:VEVENT\nBEGIN:VALARM\nBEGIN:VALARM\nBEGIN:VALARM\nBEGIN:VALARM\n"),
        "nests its parts too deeply",
    ),
    "100k empty lines": (
        b"BEGIN:VCALENDAR\r\n" + b"\r\n" * 200_000 + b"END:VCALENDAR\r\n",
        "too many events or lines",
    ),
    "30 February every year, daily": (
        ics(repeating("Never", "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30")),
        "uses a repeat rule we cannot import (BYMONTHDAY)",
    ),
    "30 February, monthly": (
        ics(repeating("Never", "FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30")),
        "The event “Never” repeats on a day that never comes (such as 30 February).",
    ),
    "40th Monday of a month": (
        ics(repeating("Never", "FREQ=MONTHLY;BYSETPOS=40;BYDAY=MO")),
        "repeats on a day that never comes",
    ),
    "first Monday on the 8th": (
        ics(repeating("Never", "FREQ=MONTHLY;BYDAY=1MO;BYMONTHDAY=8")),
        "repeats on a day that never comes",
    ),
    "29 February every 4 years from a year that is not leap": (
        ics(repeating("Never", "FREQ=YEARLY;INTERVAL=4;BYMONTH=2;BYMONTHDAY=29", start="20250301")),
        "repeats on a day that never comes",
    ),
    "every 7th day on a Monday from a Tuesday": (
        ics(repeating("Never", "FREQ=DAILY;INTERVAL=7;BYDAY=MO", start="20260901")),
        "uses a repeat rule we cannot import (INTERVAL)",
    ),
    "a changed occurrence that repeats": (
        ics(
            repeating("Club", "FREQ=WEEKLY", uid="club"),
            event(
                "Club moved",
                "RECURRENCE-ID;VALUE=DATE:20260908",
                "DTSTART;VALUE=DATE:20260909",
                "RRULE:FREQ=DAILY",
                uid="club",
            ),
        ),
        "The event “Club moved” changes one occurrence and repeats again.",
    ),
    "daily rules from 1900": (
        ics(
            *[repeating(f"Old {i}", "FREQ=DAILY", start="19000101", uid=f"o{i}") for i in range(5)]
        ),
        "That file has too many repeating events to import over this range.",
    ),
    "300 weekly rules": (
        ics(*[repeating(f"W{i}", "FREQ=WEEKLY", uid=f"w{i}") for i in range(300)]),
        "too many repeating events",
    ),
    "a rule part dateutil made up": (
        ics(repeating("Easter", "FREQ=YEARLY;BYEASTER=0")),
        "uses a repeat rule we cannot import (BYEASTER)",
    ),
    "a second calendar": (ics() + ics(), NOT_ICALENDAR),
    "END without BEGIN": (ics("END:VEVENT\n"), NOT_ICALENDAR),
    "mismatched END": (
        ics("BEGIN:VEVENT\nUID:1\nDTSTART;VALUE=DATE:20261015\nEND:VTODO\n"),
        NOT_ICALENDAR,
    ),
}


@pytest.mark.parametrize("name", list(CRAFTED))
def test_crafted_files_are_refused_with_a_clear_message(name):
    data, message = CRAFTED[name]
    assert len(data) <= 2 * 1024 * 1024
    with pytest.raises(IcsImportError) as refused:
        read_closures(data, **TERM)
    assert message in str(refused.value)


def test_what_real_districts_publish_still_imports():
    new_york = (
        "BEGIN:VTIMEZONE\nTZID:America/New_York\n"
        "BEGIN:DAYLIGHT\nDTSTART:20070311T020000\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\n"
        "TZOFFSETFROM:-0500\nTZOFFSETTO:-0400\nTZNAME:EDT\nEND:DAYLIGHT\n"
        "BEGIN:STANDARD\nDTSTART:20071104T020000\nRRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\n"
        "TZOFFSETFROM:-0400\nTZOFFSETTO:-0500\nTZNAME:EST\nEND:STANDARD\nEND:VTIMEZONE\n"
    )
    data = ics(
        event(
            "Thanksgiving recess",
            "DTSTART;VALUE=DATE:20201126",
            "DTEND;VALUE=DATE:20201128",
            "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=4TH",
            "BEGIN:VALARM",
            "TRIGGER:-P1D",
            "ACTION:DISPLAY",
            "DESCRIPTION:" + "Reminder " * 2000,
            "END:VALARM",
        ),
        repeating("Superintendent's day", "FREQ=MONTHLY;BYDAY=-1FR;COUNT=3", start="20260925"),
        event(
            "Evening only in New York",
            "DTSTART;TZID=America/New_York:20261020T180000",
            "DTEND;TZID=America/New_York:20261021T000000",
        ),
        event(
            "Outlook's own zone name",
            'DTSTART;TZID="(UTC-05:00) Eastern Time (US & Canada)":20261209T080000',
            'DTEND;TZID="(UTC-05:00) Eastern Time (US & Canada)":20261209T150000',
        ),
        event("Leap day", "DTSTART;VALUE=DATE:20280229", "RRULE:FREQ=YEARLY;INTERVAL=4"),
        header=new_york + "X-WR-TIMEZONE:Mars/Olympus_Mons\n",
    )
    assert read_closures(data, **TERM) == [
        ImportedClosure(date(2026, 9, 25), "Superintendent's day"),
        ImportedClosure(date(2026, 10, 20), "Evening only in New York"),
        ImportedClosure(date(2026, 10, 30), "Superintendent's day"),
        ImportedClosure(date(2026, 11, 26), "Thanksgiving recess"),
        ImportedClosure(date(2026, 11, 27), "Thanksgiving recess"),  # the earlier start names it
        ImportedClosure(date(2026, 12, 9), "Outlook's own zone name"),  # read as local time
    ]


def test_the_largest_file_the_bounds_allow_is_read():
    events = [
        event(f"Day {i}", "DTSTART;VALUE=DATE:20261015", "DESCRIPTION:" + "d" * 200, uid=f"e{i}")
        for i in range(ics_bounds.MAX_EVENTS)
    ]
    weekdays = "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;BYMONTH=1,2,3"
    rules = [repeating(f"Old {i}", weekdays, start="19000101", uid=f"o{i}") for i in range(4)]
    # Timed by this process's CPU, not the wall: on a busy machine the wall clock also counts
    # the time other processes had the CPU, and the read ran past the deadline.
    closures = read_closures(ics(*events[:-4], *rules), **TERM, clock=time.process_time)
    assert closures[0] == ImportedClosure(date(2026, 10, 15), "Day 0")


class SlowClock:
    """A clock that moves a second each time it is read: every read is late after two."""

    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 1.0
        return self.now


def test_the_deadline_stops_a_slow_expansion():
    data = ics(*[repeating(f"Club {i}", "FREQ=WEEKLY", uid=f"c{i}") for i in range(3)])
    assert len(read_closures(data, **TERM)) > 3
    with pytest.raises(IcsImportError) as refused:
        read_closures(data, **TERM, clock=SlowClock())
    assert str(refused.value) == TOO_SLOW


def test_an_upload_that_is_refused_saves_nothing(client, db, login_as, make_school_with_calendar):
    school = make_school_with_calendar()
    login_as("advisor", school=school)
    data, message = CRAFTED["SECONDLY in a VTIMEZONE"]
    page = client.post_form(
        f"/school-calendar/{school.id}/ics",
        {"ics-file": (io.BytesIO(data), "district.ics")},
        page=f"/school-calendar/{school.id}",
        content_type="multipart/form-data",
    )
    assert page.status_code < 500
    html = page.get_data(as_text=True)
    if page.status_code == 302:
        html = client.get(page.location).get_data(as_text=True)
    assert message in html
    assert db.session.scalar(db.select(db.func.count()).select_from(Closure)) == 0
