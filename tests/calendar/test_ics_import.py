"""Reading closure dates from a district's .ics file."""

import zlib
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpdesk.calendar.ics_import import (
    MAX_DATES,
    MAX_FILE_BYTES,
    MAX_NAME_LENGTH,
    NOT_ICALENDAR,
    IcsImportError,
    ImportedClosure,
    read_closures,
)

SCHOOL_YEAR = {"start": date(2025, 9, 1), "end": date(2026, 6, 30)}

TOKYO = """BEGIN:VTIMEZONE
TZID:Asia/Tokyo
BEGIN:STANDARD
DTSTART:19700101T000000
TZOFFSETFROM:+0900
TZOFFSETTO:+0900
TZNAME:JST
END:STANDARD
END:VTIMEZONE
"""


def ics(*events: str, header: str = "") -> bytes:
    body = (
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Springfield USD//Board Calendar//EN\n"
        + header
        + "".join(events)
        + "END:VCALENDAR\n"
    )
    return body.replace("\n", "\r\n").encode("utf-8")


def event(summary: str, *lines: str, uid: str = "") -> str:
    uid = uid or f"{zlib.crc32(repr((summary, lines)).encode())}@district.example"
    body = "".join(line + "\n" for line in lines)
    return (
        f"BEGIN:VEVENT\nUID:{uid}\nDTSTAMP:20250801T120000Z\nSUMMARY:{summary}\n{body}END:VEVENT\n"
    )


def all_day(summary: str, first: str, after_last: str) -> str:
    return event(summary, f"DTSTART;VALUE=DATE:{first}", f"DTEND;VALUE=DATE:{after_last}")


def dates(closures: list[ImportedClosure]) -> list[date]:
    return [c.on for c in closures]


def test_one_off_holiday():
    data = ics(all_day("Thanksgiving", "20251127", "20251128"))
    assert read_closures(data, **SCHOOL_YEAR) == [
        ImportedClosure(date(2025, 11, 27), "Thanksgiving")
    ]


def test_all_day_event_without_dtend_is_one_day():
    data = ics(event("Columbus Day", "DTSTART;VALUE=DATE:20251013"))
    assert dates(read_closures(data, **SCHOOL_YEAR)) == [date(2025, 10, 13)]


def test_winter_break_covers_ten_days_with_exclusive_dtend():
    data = ics(all_day("Winter break", "20251222", "20260101"))
    closures = read_closures(data, **SCHOOL_YEAR)

    assert dates(closures) == [date(2025, 12, 22) + timedelta(days=i) for i in range(10)]
    assert {c.name for c in closures} == {"Winter break"}
    assert date(2026, 1, 1) not in dates(closures)


def test_break_is_clipped_to_the_range():
    data = ics(all_day("Winter break", "20251222", "20260105"))
    closures = read_closures(data, start=date(2026, 1, 1), end=date(2026, 1, 2))
    assert dates(closures) == [date(2026, 1, 1), date(2026, 1, 2)]


def test_weekly_rule_with_exdate_expands_in_range():
    data = ics(
        event(
            "Early release",
            "DTSTART;VALUE=DATE:20250903",
            "DTEND;VALUE=DATE:20250904",
            "RRULE:FREQ=WEEKLY;BYDAY=WE;UNTIL=20251231",
            "EXDATE;VALUE=DATE:20250917",
        )
    )
    closures = read_closures(data, start=date(2025, 9, 1), end=date(2025, 10, 8))

    assert dates(closures) == [
        date(2025, 9, 3),
        date(2025, 9, 10),
        date(2025, 9, 24),
        date(2025, 10, 1),
        date(2025, 10, 8),
    ]


def test_rule_with_a_moved_occurrence():
    data = ics(
        event(
            "Staff development",
            "DTSTART;VALUE=DATE:20251003",
            "RRULE:FREQ=MONTHLY;BYDAY=1FR;COUNT=3",
            uid="pd@district.example",
        ),
        event(
            "Staff development (moved)",
            "RECURRENCE-ID;VALUE=DATE:20251107",
            "DTSTART;VALUE=DATE:20251110",
            uid="pd@district.example",
        ),
    )
    closures = read_closures(data, **SCHOOL_YEAR)
    assert closures == [
        ImportedClosure(date(2025, 10, 3), "Staff development"),
        ImportedClosure(date(2025, 11, 10), "Staff development (moved)"),
        ImportedClosure(date(2025, 12, 5), "Staff development"),
    ]


def test_timed_event_uses_the_local_date_of_its_own_time_zone():
    # 08:00 in Tokyo is still the 14th in UTC and in New York: the date is Tokyo's.
    data = ics(
        event(
            "Sister-school visit",
            "DTSTART;TZID=Asia/Tokyo:20250915T080000",
            "DTEND;TZID=Asia/Tokyo:20250915T170000",
        ),
        header=TOKYO,
    )
    assert read_closures(data, **SCHOOL_YEAR) == [
        ImportedClosure(date(2025, 9, 15), "Sister-school visit")
    ]


def test_timed_event_spanning_midnight_touches_both_dates():
    data = ics(
        event(
            "Lock-in",
            "DTSTART;TZID=America/Chicago:20251017T190000",
            "DTEND;TZID=America/Chicago:20251018T070000",
        ),
        event(
            "Evening only",
            "DTSTART;TZID=America/Chicago:20251020T180000",
            "DTEND;TZID=America/Chicago:20251021T000000",
        ),
    )
    assert dates(read_closures(data, **SCHOOL_YEAR)) == [
        date(2025, 10, 17),
        date(2025, 10, 18),
        date(2025, 10, 20),
    ]


def test_utc_times_follow_x_wr_timezone_as_google_exports_them():
    # 02:00Z on the 16th is 22:00 on the 15th in New York.
    data = ics(
        event("Board meeting", "DTSTART:20250916T020000Z", "DTEND:20250916T030000Z"),
        header="X-WR-TIMEZONE:America/New_York\n",
    )
    assert dates(read_closures(data, **SCHOOL_YEAR)) == [date(2025, 9, 15)]


def test_duplicate_dates_keep_the_earliest_starting_event():
    data = ics(
        all_day("Veterans Day", "20251111", "20251112"),
        all_day("Fall recess", "20251110", "20251113"),
        all_day("Also Veterans Day", "20251111", "20251112"),
    )
    assert read_closures(data, **SCHOOL_YEAR) == [
        ImportedClosure(date(2025, 11, 10), "Fall recess"),
        ImportedClosure(date(2025, 11, 11), "Fall recess"),
        ImportedClosure(date(2025, 11, 12), "Fall recess"),
    ]


def test_same_start_keeps_file_order():
    data = ics(all_day("First", "20251111", "20251112"), all_day("Second", "20251111", "20251112"))
    assert read_closures(data, **SCHOOL_YEAR)[0].name == "First"


def test_cancelled_events_are_skipped():
    data = ics(
        event("Snow day", "DTSTART;VALUE=DATE:20260115", "STATUS:CANCELLED"),
        all_day("Snow day", "20260116", "20260117"),
    )
    assert dates(read_closures(data, **SCHOOL_YEAR)) == [date(2026, 1, 16)]


def test_events_outside_the_range_are_ignored():
    data = ics(
        all_day("Last year", "20240101", "20240102"), all_day("Later", "20270101", "20270102")
    )
    assert read_closures(data, **SCHOOL_YEAR) == []


def test_names_are_tidied():
    long_name = "Very " * 100
    data = ics(
        event("", "DTSTART;VALUE=DATE:20251001"),
        event("  Rosh\\n  Hashanah\t ", "DTSTART;VALUE=DATE:20251002"),
        event(long_name, "DTSTART;VALUE=DATE:20251003"),
    )
    closures = read_closures(data, **SCHOOL_YEAR)

    assert closures[0].name == "Closure"
    assert closures[1].name == "Rosh Hashanah"
    assert len(closures[2].name) <= MAX_NAME_LENGTH
    assert closures[2].name.endswith("…")


def test_accepts_bom_bare_newlines_and_folded_lines():
    text = (
        "\ufeffBEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\nBEGIN:VEVENT\nUID:1\n"
        "SUMMARY:Presidents\n  Day\nDTSTART;VALUE=DATE:20260216\nEND:VEVENT\nEND:VCALENDAR\n"
    )
    closures = read_closures(text.encode("utf-8"), **SCHOOL_YEAR)
    assert closures == [ImportedClosure(date(2026, 2, 16), "Presidents Day")]


def test_accepts_windows_1252():
    data = ics(all_day("Día de la Raza", "20251013", "20251014")).decode().encode("cp1252")
    assert read_closures(data, **SCHOOL_YEAR)[0].name == "Día de la Raza"


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", id="png"),
        pytest.param(bytes(range(256)) * 4, id="binary"),
        pytest.param(b"\xff\xfe\x81\x8d\x8f\x90\x9d", id="undecodable"),
        pytest.param(b"<!DOCTYPE html><html><body>Sign in</body></html>", id="html"),
        pytest.param(b"Date,Name\n2025-11-27,Thanksgiving\n", id="csv"),
        pytest.param(
            b"BEGIN:VEVENT\r\nUID:1\r\nDTSTART;VALUE=DATE:20251127\r\nEND:VEVENT\r\n",
            id="no-vcalendar",
        ),
        pytest.param(ics(all_day("Thanksgiving", "20251127", "20251128"))[:-40], id="truncated"),
        pytest.param(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", id="unterminated"),
        pytest.param(b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:X\r\nEND:VCARD\r\n", id="vcard"),
        pytest.param(ics() + ics(), id="two-calendars"),
    ],
)
def test_not_an_icalendar_file(data):
    with pytest.raises(IcsImportError) as raised:
        read_closures(data, **SCHOOL_YEAR)
    assert str(raised.value) == NOT_ICALENDAR


@pytest.mark.parametrize("data", [b"", b"   \r\n\r\n"])
def test_empty_file(data):
    with pytest.raises(IcsImportError, match="empty"):
        read_closures(data, **SCHOOL_YEAR)


@pytest.mark.parametrize(
    "lines",
    [
        ("DTSTART;VALUE=DATE:20251345",),
        ("DTSTART:yesterday",),
        ("DTSTART;VALUE=DATE:20251001", "DTEND;VALUE=DATE:2025-10-02"),
        ("DTSTART;VALUE=DATE:20251001", "RRULE:FREQ=SOMETIMES"),
        ("DTSTART;VALUE=DATE:20251001", "EXDATE;VALUE=DATE:notadate"),
        ("DURATION:P1D",),
    ],
)
def test_unreadable_dates(lines):
    data = ics(event("Mystery day", *lines))
    with pytest.raises(IcsImportError, match="Mystery day") as raised:
        read_closures(data, **SCHOOL_YEAR)
    assert "Traceback" not in str(raised.value)


def test_oversize_file_is_refused_before_parsing():
    filler = event("x", "DTSTART;VALUE=DATE:20251001", "DESCRIPTION:" + "a" * 70)
    data = ics(*[filler] * (MAX_FILE_BYTES // len(filler) + 1))
    assert len(data) > MAX_FILE_BYTES
    with pytest.raises(IcsImportError, match="2 MB"):
        read_closures(data, **SCHOOL_YEAR)


def test_too_many_dates_is_refused():
    data = ics(event("Every day", "DTSTART;VALUE=DATE:20200101", "RRULE:FREQ=DAILY"))
    with pytest.raises(IcsImportError, match="2,000"):
        read_closures(data, start=date(2020, 1, 1), end=date(2026, 12, 31))


def test_exactly_the_limit_is_fine():
    data = ics(event("Every day", "DTSTART;VALUE=DATE:20200101", "RRULE:FREQ=DAILY"))
    end = date(2020, 1, 1) + timedelta(days=MAX_DATES - 1)
    assert len(read_closures(data, start=date(2020, 1, 1), end=end)) == MAX_DATES


@pytest.mark.parametrize(
    "rule", ["FREQ=SECONDLY", "FREQ=MINUTELY;INTERVAL=5", "FREQ=DAILY;BYHOUR=8,9,10"]
)
def test_rules_repeating_within_a_day_are_refused(rule):
    data = ics(event("Bells", "DTSTART:20250901T080000", f"RRULE:{rule}"))
    with pytest.raises(IcsImportError, match="more than once a day"):
        read_closures(data, **SCHOOL_YEAR)


def test_too_many_repeating_events_for_the_range_is_refused():
    rules = [
        event(f"R{i}", "DTSTART;VALUE=DATE:20000101", "RRULE:FREQ=YEARLY", uid=f"r{i}")
        for i in range(800)
    ]
    with pytest.raises(IcsImportError, match="too many repeating events"):
        # The count rule, not the deadline: a stopped clock, so a busy machine can't trip it.
        read_closures(
            ics(*rules), start=date(2000, 1, 1), end=date(2001, 12, 31), clock=lambda: 0.0
        )


def test_start_after_end_is_refused():
    with pytest.raises(IcsImportError, match="start date"):
        read_closures(ics(), start=date(2026, 1, 2), end=date(2026, 1, 1))


@settings(max_examples=60, deadline=None)
@given(
    spans=st.lists(st.tuples(st.integers(0, 120), st.integers(1, 15)), min_size=0, max_size=8),
    window=st.tuples(st.integers(0, 120), st.integers(0, 60)),
)
def test_all_day_events_cover_exactly_their_days(spans, window):
    """Rule: the result is every covered day in range, once, in order."""
    origin = date(2025, 9, 1)
    events = [
        all_day(
            f"E{i}",
            (origin + timedelta(days=offset)).strftime("%Y%m%d"),
            (origin + timedelta(days=offset + length)).strftime("%Y%m%d"),
        )
        for i, (offset, length) in enumerate(spans)
    ]
    start = origin + timedelta(days=window[0])
    end = start + timedelta(days=window[1])

    got = dates(read_closures(ics(*events), start=start, end=end))

    expected = {
        origin + timedelta(days=offset + d)
        for offset, length in spans
        for d in range(length)
        if start <= origin + timedelta(days=offset + d) <= end
    }
    assert got == sorted(expected)
