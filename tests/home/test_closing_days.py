"""Closing a day says what it cancels and moves before it does; reopening offers to restore."""

from datetime import date, timedelta

import pytest

from helpdesk.bookings import commands
from helpdesk.bookings.models import Booking, BookingFormat, BookingStatus
from helpdesk.calendar import services as calendar
from helpdesk.calendar.models import BellSchedule, Closure
from tests.bookings.conftest import SLOT

SNOW_DAY = date(2026, 11, 4)  # SLOT's day, a Wednesday


@pytest.fixture
def ab_school(db, world):
    """The world's school with an A/B rotation over its one bell schedule."""
    regular = db.session.scalar(db.select(BellSchedule))
    calendar.save_day_type(world.school, "A", regular, 1)
    calendar.save_day_type(world.school, "B", regular, 2)
    db.session.commit()
    return world.school


@pytest.fixture
def two_sessions(db, world, book, ab_school):
    approved = book()
    commands.approve_booking(approved, world.advisor)
    waiting = book(teacher=world.teacher2, mentor=world.mentor2, topic="Slides for parents' night")
    db.session.commit()
    return approved, waiting


def _later_school_days(school) -> int:
    data = calendar.load_calendars([school])[school.id]
    return len(data.days(SNOW_DAY + timedelta(days=1), school.term_ends_on))


def _statuses(db, *sessions) -> list[BookingStatus]:
    for booking in sessions:
        db.session.refresh(booking)
    return [b.status for b in sessions]


def test_closing_shows_its_consequences_and_changes_nothing_until_confirmed(
    client, db, world, login, two_sessions, ab_school
):
    login(world.advisor)
    base = f"/school-calendar/{ab_school.id}"
    closing = {"closure-on": SNOW_DAY.isoformat(), "closure-name": "Snow day"}
    response = client.post_form(f"{base}/closure", closing, page=base)
    assert response.status_code == 302
    assert "/close?on=2026-11-04" in response.location
    assert _statuses(db, *two_sessions) == [BookingStatus.APPROVED, BookingStatus.REQUESTED]
    assert db.session.scalar(db.select(db.func.count(Closure.id))) == 0

    page = client.get(response.location).get_data(as_text=True)
    later = _later_school_days(ab_school)
    assert later > 100
    assert (
        f"Closing Wed, Nov 4, 2026 (Snow day) cancels 2 sessions and moves the A/B rotation of "
        f"{later:,} later days." in page
    )
    assert "Sharing a Doc with my class" in page and "Slides for parents&#39; night" in page
    assert _statuses(db, *two_sessions) == [BookingStatus.APPROVED, BookingStatus.REQUESTED]

    response = client.post_form(f"{base}/closure", {**closing, "confirmed": "yes"}, page=base)
    assert response.status_code == 302
    assert _statuses(db, *two_sessions) == [BookingStatus.CANCELLED, BookingStatus.CANCELLED]
    assert db.session.scalar(db.select(Closure.name)) == "Snow day"


def test_closing_a_weekend_or_a_day_without_sessions_says_so(client, db, world, login, ab_school):
    login(world.advisor)
    base = f"/school-calendar/{ab_school.id}"
    page = client.get(f"{base}/close?on=2026-11-07&name=Fair").get_data(as_text=True)
    assert "Closing Sat, Nov 7, 2026 (Fair) changes no session and no day type." in page
    assert "not a school day" in page
    page = client.get(f"{base}/close?on=2026-11-05&name=Fair").get_data(as_text=True)
    assert f"moves the A/B rotation of {_later_school_days(ab_school) - 1:,} later days" in page
    assert "cancels" not in page.split("What closing it does")[1].split("</p>")[0]


def test_reopening_offers_to_restore_the_sessions_whose_time_is_still_free(
    client, db, world, login, two_sessions, ab_school, clock, outbox
):
    approved, waiting = two_sessions
    login(world.advisor)
    base = f"/school-calendar/{ab_school.id}"
    closing = {"closure-on": SNOW_DAY.isoformat(), "closure-name": "Snow day", "confirmed": "yes"}
    client.post_form(f"{base}/closure", closing, page=base)
    closure_id = db.session.scalar(db.select(Closure.id))
    # While the day was closed, the second pair met at that time anyway (the advisor's doing).
    db.session.add(
        Booking(
            mentor_id=world.mentor2.id, teacher_id=world.teacher2.id, skill_id=world.skill.id,
            starts_at=waiting.starts_at, ends_at=waiting.ends_at, status=BookingStatus.APPROVED,
            topic="Taken", learning_goal="x", format=BookingFormat.ONLINE,
            meeting_url="https://meet.example.org/b",
        )
    )  # fmt: skip
    db.session.commit()

    delete = f"{base}/closures/{closure_id}/delete"
    response = client.post_form(delete, {"restore": str(approved.id)}, page=base)
    assert response.status_code == 302 and response.location.endswith("/reopen")
    assert db.session.get(Closure, closure_id) is not None  # not without the confirmation

    page = client.get(response.location).get_data(as_text=True)
    assert "becomes a school day again, and the A/B rotation of" in page
    assert "Closing the day cancelled 2 sessions." in page
    assert f'name="restore" value="{approved.id}" checked' in page
    assert f'name="restore" value="{waiting.id}" disabled' in page
    assert "Leo M. has another session at that time now." in page

    before = len(outbox())
    response = client.post_form(
        delete, {"restore": [str(approved.id), str(waiting.id)], "confirmed": "yes"}, page=base
    )
    assert response.status_code == 302
    assert db.session.get(Closure, closure_id) is None
    restored = db.session.scalars(
        db.select(Booking).where(Booking.topic == approved.topic, Booking.id != approved.id)
    ).all()
    assert [(b.status, b.starts_at, b.teacher_id) for b in restored] == [
        (BookingStatus.APPROVED, approved.starts_at, world.teacher.id)
    ]
    assert restored[0].uid != approved.uid  # a new calendar event: the old one was cancelled
    assert _statuses(db, approved, waiting) == [BookingStatus.CANCELLED, BookingStatus.CANCELLED]
    new_mail = outbox()[before:]
    assert sorted(m.to_address for m in new_mail) == sorted(
        [world.teacher.email, world.mentor.email]
    )
    assert all(m.subject.startswith("Session restored") for m in new_mail)
    assert all(m.calendar_method == "REQUEST" for m in new_mail)
    flashed = client.get(f"{base}").get_data(as_text=True)
    assert "1 session restored" in flashed and "1 session could not be restored" in flashed


def test_a_past_session_is_not_offered_for_restoring(
    client, db, world, login, two_sessions, ab_school, clock
):
    approved, _waiting = two_sessions
    login(world.advisor)
    base = f"/school-calendar/{ab_school.id}"
    closing = {"closure-on": SNOW_DAY.isoformat(), "closure-name": "Snow day", "confirmed": "yes"}
    client.post_form(f"{base}/closure", closing, page=base)
    closure = db.session.scalar(db.select(Closure))
    clock.now = SLOT + timedelta(days=1)
    page = client.get(f"{base}/closures/{closure.id}/reopen").get_data(as_text=True)
    assert page.count("Cannot be restored: Its time has passed.") == 2
    assert " checked" not in page


def test_another_schools_closure_is_not_found(client, db, world, login, ab_school, make_school):
    other = make_school("Maple Elementary School")
    closure = calendar.add_closure(other, SNOW_DAY, "Snow day")
    db.session.commit()
    login(world.advisor)
    assert (
        client.get(f"/school-calendar/{ab_school.id}/closures/{closure.id}/reopen").status_code
        == 404
    )


DISTRICT_ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//District//EN
BEGIN:VEVENT
UID:snow@district.example.org
DTSTART;VALUE=DATE:20261104
DTEND;VALUE=DATE:20261105
SUMMARY:Emergency closing
END:VEVENT
BEGIN:VEVENT
UID:pd@district.example.org
DTSTART;VALUE=DATE:20261110
DTEND;VALUE=DATE:20261111
SUMMARY:Professional development
END:VEVENT
END:VCALENDAR
"""


def test_importing_closures_shows_each_day_and_its_sessions_before_closing_them(
    client, db, world, login, two_sessions, ab_school
):
    import io

    login(world.advisor)
    base = f"/school-calendar/{ab_school.id}"
    response = client.post_form(
        f"{base}/ics",
        {"ics-file": (io.BytesIO(DISTRICT_ICS.encode()), "district.ics")},
        page=base,
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Import 2 closed days?" in page
    assert "closes 2 days that are open now, cancels 2 sessions and moves the A/B rotation" in page
    assert "Wed, Nov 4, 2026: Emergency closing; cancels" in page
    assert "Tue, Nov 10, 2026: Professional development" in page
    assert db.session.scalar(db.select(db.func.count(Closure.id))) == 0
    assert _statuses(db, *two_sessions) == [BookingStatus.APPROVED, BookingStatus.REQUESTED]

    response = client.post_form(
        f"{base}/closures/import",
        {
            "on": ["2026-11-04", "2026-11-10", "1999-01-01"],  # the last is outside the term
            "name": ["Emergency closing", "Professional   development", "Old"],
        },
        page=base,
    )
    assert response.status_code == 302
    names = db.session.execute(db.select(Closure.on, Closure.name).order_by(Closure.on)).all()
    assert names == [
        (SNOW_DAY, "Emergency closing"),
        (date(2026, 11, 10), "Professional development"),
    ]
    assert _statuses(db, *two_sessions) == [BookingStatus.CANCELLED, BookingStatus.CANCELLED]
    assert "Imported 2 closed days" in client.get(base).get_data(as_text=True)
