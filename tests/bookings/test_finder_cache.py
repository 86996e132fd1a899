"""The finder reuses earlier searches' work, and no change to the data it shows is ever missed."""

from datetime import UTC, date, datetime

import pytest

from helpdesk.availability.services import (
    add_time_off,
    add_window,
    update_program_settings,
)
from helpdesk.bookings.models import Booking, BookingFormat, BookingStatus
from helpdesk.calendar.services import add_closure
from helpdesk.extensions import db
from helpdesk.finder.cache import AVAILABILITY, person_stamp
from helpdesk.stamps import current_stamp
from tests.bookings.conftest import NOW
from tests.conftest import without_csrf

FIND = "/find/?skill_id={skill}&start=2026-11-04&end=2026-11-04&minutes=30"
MAYA_AT_TEN = "Book Maya C. Wed, Nov 4, 2026 · Period 4 · 10:00–10:30 AM"
LEO_AT_TEN = "Book Leo M. Wed, Nov 4, 2026 · Period 4 · 10:00–10:30 AM"


pytestmark = pytest.mark.usefixtures("as_migrated")


@pytest.fixture
def find(client, login, world):
    login(world.teacher2)

    def page() -> str:
        response = client.get(FIND.format(skill=world.skill.id))
        assert response.status_code == 200
        return response.get_data(as_text=True)

    return page


def test_the_same_search_again_reuses_the_slots(find, count_queries):
    with count_queries() as first:
        page = find()
    with count_queries() as again:
        assert without_csrf(find()) == without_csrf(page)
    assert MAYA_AT_TEN in page and LEO_AT_TEN in page
    assert any("availability_window" in s for s in first)
    assert not any("availability_window" in s for s in again)
    assert len(again) < len(first)


def test_a_booking_takes_its_slot_off_the_finder_at_once(find, book, world):
    assert MAYA_AT_TEN in find()
    book(teacher=world.teacher, mentor=world.mentor)
    page = find()
    assert MAYA_AT_TEN not in page and LEO_AT_TEN in page


def _time_off(world):
    add_time_off(world.mentor, date(2026, 11, 4), date(2026, 11, 4))


def _closure(world):
    add_closure(world.school, date(2026, 11, 4), "Snow day")


def _deactivate(world):
    world.mentor.is_active = False


def _renamed(world):
    world.mentor.full_name = "Mayra Chen"


@pytest.mark.parametrize("change", [_time_off, _closure, _deactivate, _renamed])
def test_a_change_to_availability_shows_at_once(find, world, change):
    assert MAYA_AT_TEN in find()
    change(world)
    db.session.commit()
    assert MAYA_AT_TEN not in find()


def test_a_new_window_shows_at_once(find, world):
    assert "Book Leo M. Wed, Nov 4, 2026 · Period 6 · 13:00" not in find()
    add_window(world.mentor2, period_name="Period 6")
    db.session.commit()
    assert "Book Leo M. Wed, Nov 4, 2026 · Period 6 · 1:00–1:30 PM" in find()


def test_signing_in_or_a_rolled_back_change_keeps_the_stamp(client, login, world, book):
    people = [world.mentor, world.teacher, world.mentor2]

    def stamps():
        return [current_stamp(AVAILABILITY)] + [current_stamp(person_stamp(p.id)) for p in people]

    before = stamps()
    login(world.teacher)  # records the sign-in time on the user
    add_window(world.mentor2, period_name="Period 6")
    db.session.rollback()
    assert stamps() == before
    book(teacher=world.teacher, mentor=world.mentor)
    # a booking renews its mentor's and its teacher's own stamps, nobody else's
    district, mentor, teacher, mentor2 = stamps()
    assert district == before[0] and mentor2 == before[3]
    assert mentor != before[1] and teacher != before[2]


def test_cards_differ_by_who_asks(client, login, find, world):
    past = world.mentor.id
    db.session.add(
        Booking(
            mentor_id=past, teacher_id=world.teacher2.id, skill_id=world.skill.id,
            starts_at=datetime(2026, 10, 5, 14, 0, tzinfo=UTC),
            ends_at=datetime(2026, 10, 5, 14, 30, tzinfo=UTC), status=BookingStatus.COMPLETED,
            topic="Docs", learning_goal="Share a Doc", format=BookingFormat.ONLINE,
        )
    )  # fmt: skip
    db.session.commit()
    assert "1 session with you" in find()  # teacher2, who had that session
    client.post_form("/logout")
    login(world.teacher)
    page = client.get(FIND.format(skill=world.skill.id)).get_data(as_text=True)
    assert "session with you" not in page and MAYA_AT_TEN in page
    client.post_form("/logout")
    login(world.advisor)
    page = client.get(FIND.format(skill=world.skill.id)).get_data(as_text=True)
    assert "Period 4 · 10:00–10:30 AM" in page and "Book Maya" not in page


def test_a_slot_leaves_the_finder_when_its_notice_runs_out_within_the_hour(
    client, login, world, clock
):
    clock.now = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)  # 24 h before Tue, Nov 3, 10:00 local
    login(world.teacher2)
    # 20-minute sessions: Period 4 (10:00-10:50) offers 10:00 and 10:20, back to back.
    tuesday = (
        FIND.format(skill=world.skill.id)
        .replace("2026-11-04", "2026-11-03")
        .replace("minutes=30", "minutes=20")
    )
    page = client.get(tuesday).get_data(as_text=True)
    assert "Book Maya C. Tue, Nov 3, 2026 · Period 4 · 10:00–10:20 AM" in page
    assert "Book Maya C. Tue, Nov 3, 2026 · Period 4 · 10:20–10:40 AM" in page
    clock.advance(minutes=5)
    page = client.get(tuesday).get_data(as_text=True)
    assert "Book Maya C. Tue, Nov 3, 2026 · Period 4 · 10:00–10:20 AM" not in page
    assert "Book Maya C. Tue, Nov 3, 2026 · Period 4 · 10:20–10:40 AM" in page


def test_new_program_rules_show_at_once(find):
    assert "60 minutes" not in find()
    update_program_settings(
        session_lengths=[30, 60], buffer_minutes=10, min_notice_hours=24, horizon_days=28,
        weekly_cap=3,
    )  # fmt: skip
    db.session.commit()
    assert "60 minutes" in find()


@pytest.fixture
def slots_computed(monkeypatch):
    """The mentors whose open slots a search computes (the others come from the cache)."""
    from helpdesk.finder import services

    computed: list[int] = []
    windows_by_mentor = services._windows_by_mentor

    def recording(ids, start, end):
        computed.extend(ids)
        return windows_by_mentor(ids, start, end)

    monkeypatch.setattr(services, "_windows_by_mentor", recording)
    return computed


def test_a_booking_for_one_mentor_leaves_the_other_mentors_cached(
    find, book, world, slots_computed
):
    assert MAYA_AT_TEN in find() and LEO_AT_TEN in find()
    book(teacher=world.teacher, mentor=world.mentor)
    slots_computed.clear()  # booking checks the slot afresh, not through the cache
    page = find()
    # everyone sees Maya's slot taken at once; Leo's slots come from the cache as they were
    assert MAYA_AT_TEN not in page and LEO_AT_TEN in page
    assert slots_computed == [world.mentor.id]


def test_a_cancelled_session_frees_its_slot_at_once(find, book, world, slots_computed):
    from helpdesk.bookings.commands import cancel_booking

    booking = book(teacher=world.teacher, mentor=world.mentor)
    assert MAYA_AT_TEN not in find()
    slots_computed.clear()
    cancel_booking(booking, world.teacher, "Class trip", NOW)  # a bulk UPDATE of its status
    db.session.commit()
    assert MAYA_AT_TEN in find()
    assert slots_computed == [world.mentor.id]


def test_a_mentors_new_bio_shows_on_their_card_only(find, world, slots_computed):
    from helpdesk.mentors.models import MentorProfile

    find()
    slots_computed.clear()
    db.session.get(MentorProfile, world.mentor2.id).bio = "Ask me about comments."
    db.session.commit()
    assert "Ask me about comments." in find()
    assert slots_computed == [world.mentor2.id]


def test_the_searching_transaction_reads_its_own_writes(find, world):
    from helpdesk.finder.cache import cache_scope

    assert cache_scope(datetime(2026, 11, 2, 14, 0, tzinfo=UTC)) is not None
    add_time_off(world.mentor, date(2026, 11, 4), date(2026, 11, 4))
    assert cache_scope(datetime(2026, 11, 2, 14, 0, tzinfo=UTC)) is None  # not committed yet
    db.session.rollback()
