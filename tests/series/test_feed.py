"""A series in calendar feeds and in its emails, read by two parsers (icalendar and vobject):
each date is its own event with its own UID; a cancelled date stays, marked CANCELLED, with a
higher SEQUENCE on its UID only."""

import re
from datetime import date

import icalendar
import vobject

from helpdesk.bookings import commands as bookings
from helpdesk.calendar import closing
from helpdesk.series import services
from tests.series.conftest import NOW


def _feed(client) -> bytes:
    html = client.post_form("/sessions/calendar-link", page="/sessions/calendar-link").get_data(
        as_text=True
    )
    https = re.search(r'id="feed-https" type="text" readonly value="([^"]+)"', html).group(1)
    return client.get("/" + https.split("://", 1)[1].split("/", 1)[1]).data


def _by_icalendar(body: bytes) -> dict[str, tuple[str, int, object]]:
    return {
        str(e["UID"]): (str(e["STATUS"]), int(e["SEQUENCE"]), e.decoded("DTSTART"))
        for e in icalendar.Calendar.from_ical(body).walk("VEVENT")
    }


def _by_vobject(body: bytes) -> dict[str, tuple[str, int, object]]:
    calendar = vobject.readOne(body.decode())
    return {
        e.uid.value: (e.status.value, int(e.sequence.value), e.dtstart.value)
        for e in calendar.vevent_list
    }


def test_the_feed_has_each_date_and_marks_cancelled_ones(client, db, world, book_series, login):
    series = book_series().series
    services.approve_series(series, world.advisor)
    sessions = services.sessions_of(series)
    bookings.cancel_booking(sessions[1], world.teacher, "Assembly", NOW)  # one date
    db.session.commit()
    closing.close_day(world.school, date(2026, 11, 24), "Snow day", world.advisor, NOW)
    services.cancel_rest(sessions[8], world.mentor, "Exams", NOW)  # the 26th and the 30th
    db.session.commit()
    sessions = services.sessions_of(series)
    expected = {
        b.uid: ("CANCELLED" if b.status.value == "cancelled" else "CONFIRMED", b.starts_at)
        for b in sessions
    }
    assert sum(1 for s, _ in expected.values() if s == "CANCELLED") == 4

    login(world.teacher)
    body = _feed(client)
    assert b"RRULE" not in body and b"EXDATE" not in body
    for parsed in (_by_icalendar(body), _by_vobject(body)):
        assert set(parsed) == set(expected)  # exactly the booked dates, no more
        for uid, (status, sequence, start) in parsed.items():
            assert (status, start) == expected[uid]
            assert sequence >= 1  # approved, and each change after it, raised it
        booked = {uid: p for uid, p in parsed.items() if p[0] == "CONFIRMED"}
        assert len(booked) == 6
    cancelled_once = sessions[1]
    assert _by_icalendar(body)[cancelled_once.uid][1] == cancelled_once.sequence == 2
    assert _by_icalendar(body)[sessions[0].uid][1] == sessions[0].sequence == 1


def test_the_series_emails_carry_one_event_per_date(db, world, book_series, outbox):
    series = book_series().series
    services.approve_series(series, world.advisor)
    db.session.commit()
    services.cancel_rest(services.sessions_of(series)[7], world.mentor, "Exams", NOW)
    db.session.commit()
    approved, cancelled = [m for m in outbox(world.teacher.email) if m.calendar_method == "PUBLISH"]
    for message, count, status in ((approved, 10, "CONFIRMED"), (cancelled, 3, "CANCELLED")):
        data = message.calendar_data.encode()
        calendar = icalendar.Calendar.from_ical(data)
        assert str(calendar["METHOD"]) == "PUBLISH"
        events = calendar.walk("VEVENT")
        assert len(events) == len({str(e["UID"]) for e in events}) == count
        assert {str(e["STATUS"]) for e in events} == {status}
        assert all("ATTENDEE" not in e for e in events)  # PUBLISH carries no attendees
        assert len(vobject.readOne(data.decode()).vevent_list) == count
