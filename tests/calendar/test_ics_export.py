"""The iCalendar writer: RFC 5545 framing, UTC times, iTIP rules, and two parsers agree."""

import re
from datetime import UTC, datetime, timedelta, timezone

import pytest
import vobject
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from helpdesk.calendar.ics_export import SessionEvent, event_calendar, feed_calendar

NEW_YORK_SUMMER = timezone(timedelta(hours=-4))
LONG_TEXT = (
    "Zoë will show how to share a Google Classroom assignment — Schritt für Schritt, "
    "以及如何提交作业 🧑‍🏫. " * 8
)


def make_event(**overrides) -> SessionEvent:
    fields = dict(
        uid="booking-42@helpdesk.example",
        sequence=3,
        status="CONFIRMED",
        start_at=datetime(2025, 10, 1, 14, 30, tzinfo=UTC),
        end_at=datetime(2025, 10, 1, 15, 15, tzinfo=UTC),
        summary="Help with Google Classroom",
        description=LONG_TEXT,
        location="Library, room 101",
        url="https://helpdesk.example/sessions/42",
        organizer_email="advisor@school.example",
        organizer_name="Ms. Okafor",
        attendees=(("teacher@school.example", "Mr. Núñez, Jr."), ("mentor@school.example", "")),
        stamp_at=datetime(2025, 9, 20, 12, 0, tzinfo=UTC),
        last_modified_at=datetime(2025, 9, 20, 8, 0, tzinfo=NEW_YORK_SUMMER),
    )
    fields.update(overrides)
    return SessionEvent(**fields)


def lines(data: bytes) -> list[bytes]:
    assert data.endswith(b"\r\n")
    return data[:-2].split(b"\r\n")


def unfolded(data: bytes) -> list[str]:
    return data.decode("utf-8").replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")[:-1]


def only_event(data: bytes):
    events = Calendar.from_ical(data).events
    assert len(events) == 1
    return events[0]


def test_event_round_trips_through_icalendar():
    event = make_event()
    parsed = only_event(event_calendar(event, method="REQUEST"))

    assert str(parsed["UID"]) == event.uid
    assert parsed["SEQUENCE"] == 3
    assert parsed["STATUS"] == "CONFIRMED"
    assert parsed["SUMMARY"] == event.summary
    assert parsed["DESCRIPTION"] == LONG_TEXT
    assert parsed["LOCATION"] == event.location
    assert parsed["URL"] == event.url
    assert parsed.start == event.start_at
    assert parsed.end == event.end_at
    assert parsed["DTSTAMP"].dt == event.stamp_at
    assert parsed["LAST-MODIFIED"].dt == datetime(2025, 9, 20, 12, 0, tzinfo=UTC)
    assert parsed["ORGANIZER"] == "mailto:advisor@school.example"
    assert parsed["ORGANIZER"].params["CN"] == "Ms. Okafor"
    attendees = parsed["ATTENDEE"]
    assert [str(a) for a in attendees] == [
        "mailto:teacher@school.example",
        "mailto:mentor@school.example",
    ]
    assert attendees[0].params["CN"] == "Mr. Núñez, Jr."
    assert "CN" not in attendees[1].params


def test_event_round_trips_through_vobject():
    event = make_event()
    parsed = vobject.readOne(event_calendar(event, method="REQUEST").decode("utf-8"))

    assert parsed.method.value == "REQUEST"
    vevent = parsed.vevent
    assert vevent.uid.value == event.uid
    assert vevent.sequence.value == "3"
    assert vevent.status.value == "CONFIRMED"
    assert vevent.description.value == LONG_TEXT
    assert vevent.dtstart.value == event.start_at
    assert vevent.dtend.value == event.end_at
    assert vevent.organizer.value == "mailto:advisor@school.example"
    assert vevent.organizer.params["CN"] == ["Ms. Okafor"]
    assert [a.value for a in vevent.attendee_list] == [
        "mailto:teacher@school.example",
        "mailto:mentor@school.example",
    ]
    assert vevent.attendee_list[0].params["CN"] == ["Mr. Núñez, Jr."]


def test_feed_round_trips_through_vobject():
    first = make_event(uid="a@helpdesk.example")
    second = make_event(
        uid="b@helpdesk.example",
        start_at=datetime(2025, 10, 2, 14, 30, tzinfo=UTC),
        end_at=datetime(2025, 10, 2, 15, 0, tzinfo=UTC),
    )
    parsed = vobject.readOne(
        feed_calendar([second, first], name="Ana’s sessions", calendar_uid="feed-7").decode()
    )
    assert [e.uid.value for e in parsed.vevent_list] == ["a@helpdesk.example", "b@helpdesk.example"]
    assert parsed.contents["x-wr-calname"][0].value == "Ana’s sessions"


@pytest.mark.parametrize("method", [None, "REQUEST", "CANCEL", "PUBLISH"])
def test_every_line_ends_in_crlf_and_fits_75_octets(method):
    data = event_calendar(make_event(), method=method)

    assert b"\n" not in data.replace(b"\r\n", b"")
    assert b"\r" not in data.replace(b"\r\n", b"")
    for line in lines(data):
        assert len(line) <= 75, line
        line.decode("utf-8")  # folding never splits a multi-byte character


def test_feed_lines_fit_75_octets_too():
    events = [make_event(uid=f"{i}@helpdesk.example", summary=LONG_TEXT) for i in range(3)]
    data = feed_calendar(events, name="Sessions " + "é" * 80, calendar_uid="feed-1")

    assert all(len(line) <= 75 for line in lines(data))
    assert data.count(b"BEGIN:VEVENT") == 3


def test_long_description_is_actually_folded():
    data = event_calendar(make_event())
    assert any(line.startswith(b" ") for line in lines(data))


def test_times_are_utc_with_z_and_no_time_zones():
    event = make_event(
        start_at=datetime(2025, 10, 1, 10, 30, tzinfo=NEW_YORK_SUMMER),
        end_at=datetime(2025, 10, 1, 11, 15, tzinfo=NEW_YORK_SUMMER),
    )
    data = event_calendar(event)
    text = unfolded(data)

    assert "DTSTART:20251001T143000Z" in text
    assert "DTEND:20251001T151500Z" in text
    assert "DTSTAMP:20250920T120000Z" in text
    assert "LAST-MODIFIED:20250920T120000Z" in text
    assert b"TZID" not in data
    assert b"VTIMEZONE" not in data
    for line in text:
        if re.match(r"(DTSTART|DTEND|DTSTAMP|LAST-MODIFIED)[:;]", line):
            assert re.fullmatch(r"[A-Z-]+:\d{8}T\d{6}Z", line), line


def test_calendar_header():
    text = unfolded(event_calendar(make_event()))

    assert text[0] == "BEGIN:VCALENDAR"
    assert text[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in text
    assert "PRODID:-//Helpdesk//Student Tech Team//EN" in text
    assert "CALSCALE:GREGORIAN" in text


def test_method_only_when_given():
    assert not any(line.startswith("METHOD") for line in unfolded(event_calendar(make_event())))
    assert "METHOD:PUBLISH" in unfolded(event_calendar(make_event(), method="PUBLISH"))
    assert "METHOD:REQUEST" in unfolded(event_calendar(make_event(), method="REQUEST"))


@pytest.mark.parametrize("status", ["TENTATIVE", "CONFIRMED", "CANCELLED"])
def test_cancel_method_always_writes_cancelled_status(status):
    text = unfolded(event_calendar(make_event(status=status, sequence=4), method="CANCEL"))

    assert "METHOD:CANCEL" in text
    assert "STATUS:CANCELLED" in text
    assert "SEQUENCE:4" in text
    assert "UID:booking-42@helpdesk.example" in text


def test_cancelled_event_cannot_be_sent_as_a_request():
    with pytest.raises(ValueError, match="CANCEL"):
        event_calendar(make_event(status="CANCELLED"), method="REQUEST")


def test_itip_messages_need_an_organizer():
    for method in ("REQUEST", "CANCEL"):
        with pytest.raises(ValueError, match="organizer"):
            event_calendar(make_event(organizer_email=""), method=method)


def test_plain_download_without_organizer_attendees_or_optional_text():
    event = make_event(
        organizer_email="", organizer_name="", attendees=(), description="", location="", url=""
    )
    text = unfolded(event_calendar(event))

    for name in ("ORGANIZER", "ATTENDEE", "DESCRIPTION", "LOCATION", "URL"):
        assert not any(line.startswith(name) for line in text), name
    for name in ("UID", "SEQUENCE", "DTSTAMP", "DTSTART", "DTEND", "STATUS", "SUMMARY"):
        assert any(line.startswith(name + ":") for line in text), name


def test_sequence_zero_is_written():
    assert "SEQUENCE:0" in unfolded(event_calendar(make_event(sequence=0)))


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"start_at": datetime(2025, 10, 1, 14, 30)}, "aware"),
        ({"stamp_at": None, "last_modified_at": None}, "DTSTAMP"),
        ({"status": "MAYBE"}, "status"),
        ({"uid": ""}, "UID"),
        ({"sequence": -1}, "SEQUENCE"),
        ({"end_at": datetime(2025, 10, 1, 14, 0, tzinfo=UTC)}, "before"),
        ({"attendees": (("bad address@x", "X"),)}, "email"),
    ],
)
def test_bad_events_are_refused(overrides, message):
    with pytest.raises(ValueError, match=message):
        event_calendar(make_event(**overrides))


def test_unknown_method_is_refused():
    with pytest.raises(ValueError, match="method"):
        event_calendar(make_event(), method="REFRESH")


def test_text_cannot_inject_properties():
    event = make_event(
        summary="Hi\r\nBEGIN:VALARM\r\nX-EVIL:1",
        organizer_name='Eve\r\nX-EVIL:1";ROLE=CHAIR',
        uid="u\r\nX-EVIL:1",
    )
    data = event_calendar(event, method="REQUEST")

    assert not any(line.startswith("X-EVIL") for line in unfolded(data))
    assert b"BEGIN:VALARM" not in data.replace(b"\\nBEGIN:VALARM", b"")
    parsed = only_event(data)
    assert parsed["SUMMARY"] == "Hi\nBEGIN:VALARM\nX-EVIL:1"
    assert "ROLE" not in parsed["ORGANIZER"].params


def test_same_input_same_bytes():
    assert event_calendar(make_event(), method="REQUEST") == event_calendar(
        make_event(), method="REQUEST"
    )
    events = [make_event(uid=f"{i}@helpdesk.example") for i in range(5)]
    once = feed_calendar(events, name="Sessions", calendar_uid="feed-1")
    assert once == feed_calendar(events, name="Sessions", calendar_uid="feed-1")
    assert once == feed_calendar(reversed(events), name="Sessions", calendar_uid="feed-1")


def test_changes_change_the_bytes():
    base = event_calendar(make_event())
    assert base != event_calendar(make_event(sequence=4))
    assert base != event_calendar(make_event(stamp_at=datetime(2025, 9, 21, tzinfo=UTC)))


def test_feed_properties():
    data = feed_calendar([make_event()], name="Ana’s sessions", calendar_uid="feed-123")
    text = unfolded(data)

    assert "REFRESH-INTERVAL;VALUE=DURATION:PT4H" in text
    assert "X-PUBLISHED-TTL:PT4H" in text
    assert "NAME:Ana’s sessions" in text
    assert "X-WR-CALNAME:Ana’s sessions" in text
    assert "UID:feed-123" in text
    assert not any(line.startswith("METHOD") for line in text)

    parsed = Calendar.from_ical(data)
    assert parsed.calendar_name == "Ana’s sessions"
    assert parsed.refresh_interval == timedelta(hours=4)
    assert parsed["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert str(parsed["UID"]) == "feed-123"


def test_feed_uid_is_fixed_not_random():
    one = feed_calendar([], name="Sessions", calendar_uid="feed-1")
    two = feed_calendar([], name="Sessions", calendar_uid="feed-1")
    assert one == two
    assert "UID:feed-1" in unfolded(one)


def test_feed_keeps_each_events_uid_sequence_and_status():
    events = [
        make_event(uid="x@h", sequence=0, status="TENTATIVE"),
        make_event(
            uid="y@h",
            sequence=7,
            status="CANCELLED",
            start_at=datetime(2025, 10, 3, 14, tzinfo=UTC),
            end_at=datetime(2025, 10, 3, 15, tzinfo=UTC),
        ),
    ]
    parsed = Calendar.from_ical(feed_calendar(events, name="S", calendar_uid="f"))

    got = [(str(e["UID"]), e["SEQUENCE"], str(e["STATUS"])) for e in parsed.events]
    assert got == [("x@h", 0, "TENTATIVE"), ("y@h", 7, "CANCELLED")]


def test_feed_custom_prodid():
    data = feed_calendar([], name="S", calendar_uid="f", prodid="-//District//Desk//EN")
    assert "PRODID:-//District//Desk//EN" in unfolded(data)


texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=300,
)


@settings(max_examples=75, deadline=None)
@given(summary=texts, description=texts, location=texts, name=texts)
def test_any_text_stays_framed_and_round_trips(summary, description, location, name):
    event = make_event(
        summary=summary, description=description, location=location, organizer_name=name
    )
    data = event_calendar(event, method="REQUEST")

    for line in lines(data):
        assert len(line) <= 75
    parsed = only_event(data)
    expected = re.sub(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", "", re.sub(r"\r\n?", "\n", summary))
    assert str(parsed.get("SUMMARY", "")) == expected
    assert str(parsed["UID"]) == event.uid
    vobject.readOne(data.decode("utf-8"))


def test_control_characters_are_dropped_from_text():
    data = event_calendar(make_event(summary="Bell\x07 and\ttab\x1b[31m", organizer_name="A\x00B"))
    parsed = only_event(data)
    assert parsed["SUMMARY"] == "Bell and\ttab[31m"
    assert parsed["ORGANIZER"].params["CN"] == "AB"
