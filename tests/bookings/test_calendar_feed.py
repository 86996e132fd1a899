import re

import icalendar
import vobject

from helpdesk.bookings import commands
from tests.bookings.conftest import NOW, later


def _feed_link(client) -> str:
    html = client.post_form("/sessions/calendar-link", page="/sessions/calendar-link").get_data(
        as_text=True
    )
    https = re.search(r'id="feed-https" type="text" readonly value="([^"]+)"', html).group(1)
    webcal = re.search(r'id="feed-webcal" type="text" readonly value="([^"]+)"', html).group(1)
    assert webcal == "webcal://" + https.split("://", 1)[1]
    return https.split("://", 1)[1].split("/", 1)[1]


def _event(body: bytes):
    [event] = icalendar.Calendar.from_ical(body).walk("VEVENT")
    return event


def test_feed_follows_the_session_through_approve_reschedule_and_cancel(
    client, db, world, login, book
):
    booking = book()
    commands.approve_booking(booking, world.advisor)
    db.session.commit()
    login(world.teacher)
    path = "/" + _feed_link(client)

    body = client.get(path).data
    event = _event(body)
    assert str(event["STATUS"]) == "CONFIRMED"
    uid, first_sequence = str(event["UID"]), int(event["SEQUENCE"])
    assert uid == booking.uid
    calendar = icalendar.Calendar.from_ical(body)
    assert str(calendar["X-WR-CALNAME"]).startswith("Helpdesk sessions")
    parsed = vobject.readOne(body.decode())  # a second, independent parser
    assert parsed.vevent.uid.value == uid

    commands.reschedule_booking(booking, world.teacher, later(1), NOW)
    db.session.commit()
    event = _event(client.get(path).data)
    assert str(event["UID"]) == uid
    assert int(event["SEQUENCE"]) > first_sequence
    assert event.decoded("DTSTART") == later(1)
    assert b"DTSTART:20261105T150000Z" in client.get(path).data

    commands.cancel_booking(booking, world.teacher, "Assembly", NOW)
    db.session.commit()
    event = _event(client.get(path).data)
    assert str(event["STATUS"]) == "CANCELLED"


def test_feed_answers_conditional_requests(client, db, world, login, book):
    book()
    login(world.teacher)
    path = "/" + _feed_link(client)
    first = client.get(path)
    assert first.status_code == 200 and first.headers["ETag"]
    again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def test_regenerating_the_link_kills_the_old_one_at_once(client, db, world, login):
    login(world.teacher)
    old = "/" + _feed_link(client)
    assert client.get(old).status_code == 200
    new = "/" + _feed_link(client)
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    assert client.get("/calendar/feed/not-a-real-token.ics").status_code == 404


def test_the_token_is_long_random_and_stored_only_as_a_hash(client, db, world, login):
    login(world.teacher)
    token = _feed_link(client).rsplit("/", 1)[1].removesuffix(".ics")
    assert len(token) >= 43  # 32 random bytes: 256 bits
    db.session.refresh(world.teacher)
    assert world.teacher.feed_token_hash and token not in world.teacher.feed_token_hash


def test_feed_tokens_stay_out_of_the_access_log(app, caplog):
    import logging

    from helpdesk import _RedactFeedTokens

    record = logging.LogRecord(
        "werkzeug",
        logging.INFO,
        "",
        0,
        '%s - - "%s" %s',
        ("127.0.0.1", "GET /calendar/feed/SECRETTOKEN123.ics HTTP/1.1", "200"),
        None,
    )
    _RedactFeedTokens().filter(record)
    assert "SECRETTOKEN123" not in record.getMessage()


def test_session_download_is_rfc5545(client, db, world, login, book):
    booking = book()
    login(world.teacher)
    response = client.get(f"/sessions/{booking.id}/session.ics")
    assert response.mimetype == "text/calendar"
    body = response.data
    assert body.count(b"\r\n") == body.count(b"\n")
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    event = _event(body)
    assert str(event["STATUS"]) == "TENTATIVE"
    assert b"TZID" not in body and b"DTSTART:20261104T150000Z" in body
    assert world.mentor.email.encode() not in body
