"""Every table a cached value is computed from is watched by the stamps its key carries: run each
producer under a listener, collect the tables its SQL reads, and ask the stamps what a change to
each would renew. A table read but not watched is a cache that can go stale."""

import re
from contextlib import contextmanager
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from flask import render_template
from sqlalchemy import event

from helpdesk.bookings import calendars
from helpdesk.bookings import lists as booking_lists
from helpdesk.bookings.models import BookingStatus
from helpdesk.finder import services as finder
from helpdesk.finder.cache import AVAILABILITY, person_stamp
from helpdesk.requests import lists
from helpdesk.requests.desk_cache import DESK
from helpdesk.skills.services import all_skills
from helpdesk.stamps import renewed_by, watched_tables
from tests.bookings.conftest import NOW

pytestmark = pytest.mark.usefixtures("as_migrated")
TABLE = re.compile(r'\b(?:FROM|JOIN)\s+"?([a-z_]+)"?', re.IGNORECASE)
# the stamps themselves, and SQLite's reader of a list of ids passed as one JSON parameter
# (helpdesk.db.one_of), a function rather than a table
NOT_DATA = {"change_stamp", "json_each"}


@pytest.fixture
def tables_read(db):
    @contextmanager
    def reading():
        tables: set[str] = set()

        def record(_conn, _cursor, statement, *_args):
            tables.update(t.lower() for t in TABLE.findall(statement))

        db.session.expire_all()  # what a fresh request would load
        event.listen(db.engine, "before_cursor_execute", record)
        try:
            yield tables
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
            tables -= NOT_DATA

    return reading


def _renews_person(table: str, person_id: int) -> bool:
    """Whether a change to a row of `table` about this person renews their own stamp."""
    row = {"status": BookingStatus.REQUESTED}
    return person_stamp(person_id) in renewed_by(table, lambda column: row.get(column, person_id))


def _district_only() -> set[str]:
    """Tables any change to which renews the district-wide stamp (it starts every key)."""
    return {t for t in watched_tables(AVAILABILITY) if AVAILABILITY in renewed_by(t, lambda c: 0)}


def test_the_finders_shared_entries_read_only_district_watched_tables(tables_read, world, app):
    with app.test_request_context("/find/"), tables_read() as tables:
        finder._candidate_context(world.skill.id, None, False, None)
        finder.rules_snapshot(None)
        all_skills()
        finder.schools()
    assert tables and tables <= watched_tables(AVAILABILITY)


def test_a_mentors_entries_read_only_tables_their_own_stamp_watches(tables_read, world, book, app):
    book(teacher=world.teacher, mentor=world.mentor)
    with app.test_request_context("/find/"), tables_read() as tables:
        candidates, calendars_ = finder._candidate_context(world.skill.id, None, False, None)
        mine = [c for c in candidates if c.mentor_id == world.mentor.id]
        finder._sessions_this_week(mine, calendars_, NOW)
        maker = finder._SlotMaker(
            finder.program_settings(), calendars_, NOW.date(), NOW.date(), 30, NOW, None
        )
        maker(mine)
    shared = tables_read
    with app.test_request_context("/find/"), shared() as district_tables:
        finder._candidate_context(world.skill.id, None, False, None)
    per_mentor = tables - district_tables
    assert {"availability_window", "time_off", "booking"} <= per_mentor
    district = _district_only()
    for table in per_mentor:
        assert _renews_person(table, world.mentor.id) or table in district, table


def test_a_card_reads_only_what_the_mentors_stamp_or_the_districts_watches(
    tables_read, world, app, login, client
):
    login(world.teacher)
    with app.test_request_context("/find/"), tables_read() as tables:
        matches = finder.find_mentors(
            skill_id=world.skill.id, start=NOW.date(), end=NOW.date().replace(day=13),
            session_minutes=30, now=NOW, limit=1,
        )  # fmt: skip
        finder.load_profiles(matches)
        render_template("finder/_match.html", match=matches[0], is_teacher=True, book_args={})
    for table in tables - watched_tables(AVAILABILITY):
        pytest.fail(f"{table} is read for a card but watched by no stamp")
    assert {"mentor_profile", "school"} <= tables


def test_a_teachers_good_past_sessions_read_only_what_their_stamp_watches(tables_read, world, app):
    teacher = SimpleNamespace(id=world.teacher.id)
    with app.test_request_context("/find/"), tables_read() as tables:
        finder._good_past_sessions(teacher)
    assert tables == {"booking", "reflection"}
    for table in tables:
        assert _renews_person(table, world.teacher.id), table


def test_session_lists_read_only_what_the_persons_and_districts_stamps_watch(
    tables_read, world, book, app
):
    book(teacher=world.teacher, mentor=world.mentor)
    now = datetime(2026, 11, 2, 14, 0, tzinfo=UTC)
    with app.test_request_context("/sessions/"), tables_read() as tables:
        booking_lists.sessions_for(world.mentor, now, 1, 1)
        calendars.session_events(world.mentor, now)  # what the feed caches
        booking_lists.waiting_requests(1)
    assert "booking" in tables
    assert tables <= watched_tables(AVAILABILITY)
    assert _renews_person("booking", world.mentor.id)


def test_the_help_desk_reads_only_what_its_stamp_watches(tables_read, world, app):
    with app.test_request_context("/requests/"), tables_read() as tables:
        lists._queue_for(world.mentor, NOW)
        lists._queue_for(world.advisor, NOW)
    assert "help_request" in tables
    assert tables <= watched_tables(DESK)
