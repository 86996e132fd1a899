"""Fixtures for text that reaches other formats: the fuzz tests' district and judge, sessions
stored with text no form accepts now (as rows written before the checks would be), and a
calendar feed's address for any user."""

import re
from datetime import timedelta
from urllib.parse import urlencode

import icalendar
import pytest
import vobject

from helpdesk.bookings.calendars import issue_feed_token
from helpdesk.bookings.models import Booking, BookingFormat, BookingStatus
from tests.fuzz import conftest as _fuzz
from tests.fuzz.conftest import FUZZ, NOW, SLOT  # noqa: F401 (for the tests here)

# The fuzz tests' district, judge and factories, shared rather than copied.
world = _fuzz.world
fuzz = _fuzz.fuzz
make_request = _fuzz.make_request
make_tip = _fuzz.make_tip

FIELD_ERROR = re.compile(r'<p class="error" id="[^"]*-error">([^<]*)<')
FLASH_ERROR = re.compile(r'class="flash flash-error">([^<]*)<')


@pytest.fixture
def store_booking(db, world):
    """A session written straight to its table with the text given: no form, no service."""
    counter = iter(range(1, 100_000))

    def make(
        status: BookingStatus = BookingStatus.APPROVED,
        *,
        format: BookingFormat = BookingFormat.IN_PERSON,
        past: bool = False,
        **text,
    ) -> Booking:
        n = next(counter)
        starts = (NOW - timedelta(days=n) if past else SLOT + timedelta(days=7 * n)) + timedelta(
            minutes=37 * n
        )
        fields = {
            "topic": "Sharing a Doc with my class",
            "learning_goal": "Share a Doc so students can comment but not edit.",
            "room": "B12",
            "meeting_url": "",
            "notes": "",
            **text,
        }
        booking = Booking(
            mentor=world.mentor,
            teacher=world.teacher,
            skill=world.skill,
            starts_at=starts,
            ends_at=starts + timedelta(minutes=30),
            status=status,
            format=format,
            **fields,
        )
        db.session.add(booking)
        db.session.commit()
        return booking

    return make


@pytest.fixture
def feed_path(db):
    """The path of a user's calendar feed (a fresh token each call)."""

    def make(user) -> str:
        token = issue_feed_token(user)
        db.session.commit()
        return f"/calendar/feed/{token}.ics"

    return make


def booking_page(world, minutes: int = 30) -> str:
    query = urlencode(
        {
            "mentor": world.mentor.id,
            "skill": world.skill.id,
            "start": SLOT.isoformat(),
            "minutes": minutes,
        }
    )
    return f"/sessions/new?{query}"


def parse_calendar(body: bytes) -> icalendar.Calendar:
    """The calendar as two independent parsers read it; every line folded to 75 octets."""
    assert body.endswith(b"\r\n")
    assert all(len(line) <= 75 for line in body[:-2].split(b"\r\n"))
    vobject.readOne(body.decode("utf-8"))
    return icalendar.Calendar.from_ical(body)


def errors_on(html: str) -> list[str]:
    """The field errors and error messages a page shows."""
    return FIELD_ERROR.findall(html) + FLASH_ERROR.findall(html)
