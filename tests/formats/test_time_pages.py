"""The pages people use write time one way: the district's locale (en-US by default: a 12-hour
clock, "Wed, Nov 4, 2026"), the school's wall clock, the zone's name; the advisor's setting
switches every page at once, and no page shows a tz id or UTC."""

import re

import pytest

from helpdesk.bookings import commands
from helpdesk.requests import services as desk
from helpdesk.skills.services import save_skill
from tests.bookings import conftest as _bookings

# The booking tests' district (not tests.formats' fuzz district) and their way to book.
world = _bookings.world
book = _bookings.book

# The session: Wed 4 Nov 2026, 10:00–10:30 in New York (tests.bookings.conftest.SLOT).
SETTINGS = {
    "session_lengths": "20, 30, 45",
    "buffer_minutes": "10",
    "min_notice_hours": "24",
    "horizon_days": "28",
    "weekly_cap": "3",
}


def _words(html: str) -> str:
    """The page less its machine values (<time datetime>, <option value>): what people read."""
    return re.sub(r'(datetime|value)="[^"]*"', "", html)


def _text(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


@pytest.fixture
def sign_in(client, login):
    """Sign out whoever is signed in, then sign this person in."""

    def do(user) -> None:
        client.post_form("/logout", page="/")
        assert login(user).status_code == 302

    return do


def _help_request(db, world, clock):
    skill = save_skill(name="Projectors", description="", category="Devices")
    new = desk.NewRequest(
        skill_id=skill.id,
        summary="My projector won't mirror",
        details="The laptop shows the picture, the projector does not.",
        device="Windows laptop",
        room="B12",
    )
    opened = desk.open_request(world.teacher, new, clock.now)  # Mon 2 Nov, 9:00 AM in New York
    db.session.commit()
    return opened


@pytest.fixture
def session(db, world, book):
    booking = book()
    commands.approve_booking(booking, world.advisor)
    db.session.commit()
    return booking


def test_en_us_writes_a_12_hour_clock_and_one_date_format(
    client, db, world, sign_in, session, clock
):
    sign_in(world.teacher)
    page = _text(client, f"/sessions/{session.id}")
    assert "Wed, Nov 4, 2026, 10:00–10:30 AM" in page
    assert "(Eastern Time)" in page
    assert "Wed, Nov 4, 2026, 10:00 AM" in _text(client, "/sessions/")

    opened = _help_request(db, world, clock)
    assert "Mon, Nov 2, 2026, 9:00 AM" in _text(client, f"/requests/{opened.id}")

    sign_in(world.advisor)
    week = _text(client, "/sessions/week?start=2026-11-02")
    assert "Week of Mon, Nov 2, 2026" in week
    assert "Wed, Nov 4, 2026" in week and "10:00 AM" in week
    assert '<th scope="col">Nov 2026</th>' in _text(client, "/requests/report")
    calendar = _text(client, f"/school-calendar/{world.school.id}")
    assert "Period 4: 10:00–10:50 AM" in calendar
    assert "Eastern Time" in _text(client, "/school-calendar/")


def test_the_queue_shows_requests_in_the_same_words(client, db, world, sign_in, book):
    book()
    sign_in(world.advisor)
    assert "Wed, Nov 4, 2026, 10:00 AM" in _text(client, "/sessions/queue")


def test_the_advisor_switches_the_district_to_en_gb(client, db, world, sign_in, session):
    sign_in(world.advisor)
    page = _text(client, "/availability/settings")
    assert '<option selected value="en-US">' in page
    assert "English (United Kingdom): Thu, 3 Dec 2026, 10:45" in page

    answer = client.post_form(
        "/availability/settings", {**SETTINGS, "locale": "en-GB"}, page="/availability/settings"
    )
    assert answer.status_code == 302

    sign_in(world.teacher)  # everyone in the district, not only the advisor
    page = _text(client, f"/sessions/{session.id}")
    assert "Wed, 4 Nov 2026, 10:00–10:30" in page
    assert "10:30 AM" not in page
    assert "Wed, 4 Nov 2026, 10:00" in _text(client, "/sessions/")


def test_an_unknown_locale_is_refused(client, db, world, sign_in):
    sign_in(world.advisor)
    answer = client.post_form(
        "/availability/settings", {**SETTINGS, "locale": "xx-XX"}, page="/availability/settings"
    )
    assert answer.status_code == 200
    assert "Not a valid choice" in answer.get_data(as_text=True)


def test_emails_follow_the_district_locale_and_name_the_zone(db, world, session, outbox):
    approved = outbox(world.teacher.email)[-1]
    assert "When: Wed, Nov 4, 2026, 10:00–10:30 AM Eastern Time (30 minutes)" in approved.body


def test_a_rescheduled_sessions_history_says_when_it_was_in_words(
    client, db, world, sign_in, session
):
    later = session.starts_at.replace(day=11)  # the next Wednesday, same period
    commands.reschedule_booking(session, world.advisor, later, _bookings.NOW)
    db.session.commit()
    sign_in(world.teacher)
    page = _text(client, f"/sessions/{session.id}")
    assert "Rescheduled from Wed, Nov 4, 2026, 10:00 AM" in page
    assert "+00:00" not in _words(page)


PAGES = [
    "/",
    "/sessions/",
    "/sessions/queue",
    "/sessions/week?start=2026-11-02",
    "/school-calendar/",
    "/availability/",
    "/availability/settings",
    "/notifications/",
    "/outbox/",
    "/requests/",
    "/requests/report",
    "/tips/",
    "/people/",
    "/find/",
]


def test_no_page_shows_a_tz_id_or_utc(client, db, world, sign_in, session, clock):
    opened = _help_request(db, world, clock)
    pages = [*PAGES, f"/sessions/{session.id}", f"/requests/{opened.id}"]
    pages.append(f"/school-calendar/{world.school.id}")
    for user in (world.advisor, world.teacher, world.mentor):
        sign_in(user)
        for path in pages:
            response = client.get(path)
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            text = _words(response.get_data(as_text=True))
            assert "America/" not in text, (user.role, path)
            assert not re.search(r"\bUTC\b|\bGMT\b", text), (user.role, path)
            assert "(s)" not in text, (user.role, path)
