"""Text stored before the forms checked it cannot break a feed, a download, an email or a page.

One session with a CR/LF in its link once made icalendar refuse the whole calendar, breaking
three people's feeds. These rows are written straight to the table, as old rows would be.
NUL is left out: PostgreSQL cannot store it at all.
"""

import pytest

from helpdesk.accounts.models import User
from helpdesk.bookings import commands
from helpdesk.bookings.models import BookingFormat, BookingStatus
from tests.formats.conftest import parse_calendar

CONTROLS = "".join(chr(c) for c in range(1, 32)) + "\x7f\x85\x9f"
ODD_UNICODE = "\u202eevil\u202c \u2028 line \u2029 \ufeff\u200b 👩🏽‍🏫 \uffff \U0010fffd"

STORED = [
    pytest.param({"room": "B12\r\nBEGIN:VEVENT\r\nX-EVIL:1"}, id="room-crlf"),
    pytest.param({"room": "B" + CONTROLS}, id="room-controls"),
    pytest.param({"room": "é" * 80}, id="room-longest"),
    pytest.param(
        {
            "format": BookingFormat.ONLINE,
            "room": "",
            "meeting_url": "https://meet.example.org/a\r\nX-EVIL:1",
        },
        id="link-crlf",
    ),
    pytest.param(
        {
            "format": BookingFormat.ONLINE,
            "room": "",
            "meeting_url": 'https://x.example/\x01 "<é>\t',
        },
        id="link-controls-and-quotes",
    ),
    pytest.param(
        {"format": BookingFormat.ONLINE, "room": "", "meeting_url": "javascript:alert(1)"},
        id="link-javascript",
    ),
    pytest.param(
        {"format": BookingFormat.ONLINE, "room": "", "meeting_url": "https://[not-an-ip/x"},
        id="link-unparseable",
    ),
    pytest.param(
        {
            "format": BookingFormat.ONLINE,
            "room": "",
            "meeting_url": "https://x.example/" + "a" * 480,
        },
        id="link-longest",
    ),
    pytest.param(
        {"topic": "Docs\r\nBcc: everyone@example.org" + CONTROLS}, id="topic-crlf-controls"
    ),
    pytest.param({"topic": ODD_UNICODE}, id="topic-odd-unicode"),
    pytest.param({"learning_goal": "Goal\r\n" * 200_000}, id="goal-1.4MB"),
    pytest.param({"learning_goal": CONTROLS + ODD_UNICODE}, id="goal-controls"),
    pytest.param({"notes": "\x1b[31m" * 1000}, id="notes-escapes"),
]


def _store_names(world, db):
    world.teacher.full_name = "Helen\r\nPark\x07 \u202e"
    world.mentor.full_name = "Maya\tChen\x1b[0m"
    db.session.commit()


@pytest.mark.parametrize("text", STORED)
def test_feeds_still_answer_with_a_calendar(client, db, world, store_booking, feed_path, text):
    booking = store_booking(BookingStatus.APPROVED, **text)
    store_booking(BookingStatus.REQUESTED)  # a clean neighbour, which must stay visible
    _store_names(world, db)

    for user in (world.teacher, world.mentor, world.advisor):
        response = client.get(feed_path(user))
        assert response.status_code == 200
        assert response.mimetype == "text/calendar"
        calendar = parse_calendar(response.data)
        uids = [str(event["UID"]) for event in calendar.walk("VEVENT")]
        assert booking.uid in uids and len(uids) == 2
        assert not any(line.startswith(b"X-EVIL") for line in response.data.split(b"\r\n"))


@pytest.mark.parametrize("text", STORED)
def test_download_page_and_emails_still_work(client, db, login, world, store_booking, outbox, text):
    booking = store_booking(BookingStatus.REQUESTED, **text)
    _store_names(world, db)

    commands.approve_booking(booking, world.advisor)  # emails both sides an invitation
    db.session.commit()
    invitations = [m for m in outbox() if m.calendar_data]
    assert len(invitations) == 2
    for message in invitations:
        parse_calendar(message.calendar_data.encode())

    login(world.teacher)
    download = client.get(f"/sessions/{booking.id}/session.ics")
    assert download.status_code == 200
    [event] = parse_calendar(download.data).walk("VEVENT")
    assert str(event["UID"]) == booking.uid
    for page in (f"/sessions/{booking.id}", "/sessions/", "/notifications/"):
        assert client.get(page).status_code == 200


def test_what_a_calendar_gets_from_dirty_text(client, db, world, store_booking, feed_path):
    store_booking(
        format=BookingFormat.ONLINE,
        topic="Docs\r\nBcc: x\x07",
        learning_goal="Line one\r\nline two\ttab\x1b",
        room="",
        meeting_url="https://meet.example.org/a b\r\n",
    )
    [event] = parse_calendar(client.get(feed_path(world.teacher)).data).walk("VEVENT")

    assert str(event["SUMMARY"]).startswith("Helpdesk: Docs\nBcc: x with ")
    assert "\x07" not in str(event["SUMMARY"])
    assert str(event["URL"]) == "https://meet.example.org/a%20b"
    # icalendar escapes the line breaks of a goal of several lines; they come back as written.
    assert str(event["DESCRIPTION"]).startswith("Learning goal: Line one\nline two\ttab\n\n")


def test_a_javascript_link_is_left_out_of_the_calendar(client, db, world, store_booking, feed_path):
    store_booking(format=BookingFormat.ONLINE, room="", meeting_url="javascript:alert(1)")
    [event] = parse_calendar(client.get(feed_path(world.teacher)).data).walk("VEVENT")
    assert "URL" not in event


def test_an_unusable_stored_address_only_drops_the_attendee(
    client, db, world, store_booking, login
):
    booking = store_booking()
    login(world.teacher)
    db.session.execute(
        db.update(User).where(User.id == world.teacher.id).values(email="helen park@school.example")
    )
    db.session.commit()
    [event] = parse_calendar(client.get(f"/sessions/{booking.id}/session.ics").data).walk("VEVENT")
    assert "ATTENDEE" not in event
