"""The weekly cap and the buffer hold when people book, move and reassign at the same moment.

Each racer is a signed-in client on its own connection; a barrier starts them together. On
SQLite BEGIN IMMEDIATE serializes the writers; on PostgreSQL the lock on the people's rows does
(helpdesk.bookings.locks): without it these tests fail there.
"""

import re
import threading
import uuid
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask.testing import FlaskClient

from helpdesk.accounts.models import Role, User
from helpdesk.availability.services import add_window, update_program_settings
from helpdesk.bookings import commands
from helpdesk.bookings.models import HOLDING_STATUSES, Booking
from helpdesk.extensions import db
from tests.bookings.conftest import booking_page
from tests.bookings.test_race import _signed_in_client

ZONE = ZoneInfo("America/New_York")
RACERS = 8
CAP_FULL = "is fully booked that week"
TOO_CLOSE = "minutes between sessions"
FLASH = re.compile(r'class="flash flash-(\w+)">([^<]+)<')


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """An instant in November 2026, from the school's wall clock."""
    return datetime(2026, 11, day, hour, minute, tzinfo=ZONE).astimezone(UTC)


def week_of(monday: int) -> tuple[datetime, datetime]:
    return at(monday, 0), at(monday, 0) + timedelta(days=7)


def form(key: str | None = None) -> dict:
    """The booking form, with the page's idempotency key (32 hex digits): new unless given."""
    return {
        "topic": "Slides",
        "learning_goal": "Present with speaker notes",
        "format": "in_person",
        "room": "B12",
        "agrees_to_norms": "y",
        "request_key": key or uuid.uuid4().hex,
    }


@pytest.fixture
def open_mentor(world, make_mentor):
    """A new mentor with the skill, free 08:00-16:00 every school day."""
    numbers = iter(range(1, 1000))

    def make() -> User:
        mentor = make_mentor(f"Racer{next(numbers)} Mentor", world.school, {world.skill: 2})
        add_window(mentor, start_time=time(8), end_time=time(16))
        db.session.commit()
        return mentor

    return make


@pytest.fixture
def signed_in(app, world, make_user):
    """n new users of a role, each with a signed-in client: [(user, client, csrf token)]."""

    def make(n: int, role: Role = Role.TEACHER) -> list[tuple[User, FlaskClient, str]]:
        users = [make_user(role, school=world.school) for _ in range(n)]
        return [(user, *_signed_in_client(app, user)) for user in users]

    return make


def race(posts: list[tuple[FlaskClient, str, str, dict]]) -> list[tuple[int, str]]:
    """POST every (client, csrf token, url, data) at once; each answer's (status, body)."""
    db.session.commit()  # the test's own session must hold no lock while the racers run
    barrier = threading.Barrier(len(posts))
    results: list = [None] * len(posts)

    def run(index, client, token, url, data):
        barrier.wait()
        response = client.post(url, data={**data, "csrf_token": token})
        results[index] = (response.status_code, response.get_data(as_text=True))

    threads = [threading.Thread(target=run, args=(i, *post)) for i, post in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert None not in results, "a racer did not finish"
    db.session.commit()  # and it sees what the racers committed
    return results


def flashes(body: str) -> list[str]:
    return [text for kind, text in FLASH.findall(body) if kind == "error"]


def flashed_on(app, client: FlaskClient, url: str) -> list[str]:
    """The error messages waiting for this client (after a POST that redirected)."""
    db.session.commit()  # the test's session must hold no lock while the page writes its log
    with app.app_context():
        return flashes(client.get(url).get_data(as_text=True))


def held(mentor: User, since: datetime, until: datetime) -> list[Booking]:
    return list(
        db.session.scalars(
            db.select(Booking)
            .where(
                Booking.mentor_id == mentor.id,
                Booking.status.in_(HOLDING_STATUSES),
                Booking.starts_at >= since,
                Booking.starts_at < until,
            )
            .order_by(Booking.starts_at)
        )
    )


def booking_posts(world, mentor, racers, slots):
    return [
        (client, token, booking_page(world, slot, mentor), form())
        for i, ((_, client, token), slot) in enumerate(zip(racers, slots, strict=True))
    ]


# Mondays of the weeks within the booking horizon (NOW is Monday 2 November, 09:00).
WEEKS = (2, 9, 16, 23)


def test_eight_teachers_booking_one_mentors_week_never_pass_the_cap(world, open_mentor, signed_in):
    mentor = open_mentor()
    teachers = signed_in(RACERS)
    for monday in WEEKS:
        # Eight slots far apart (no overlap, no buffer between them), Tuesday to Friday.
        slots = [at(monday + day, hour) for day in (1, 2, 3, 4) for hour in (10, 14)]

        results = race(booking_posts(world, mentor, teachers, slots))

        codes = sorted(code for code, _ in results)
        assert codes == [200] * (RACERS - 3) + [302] * 3, (monday, codes)
        refusals = [flashes(body) for code, body in results if code == 200]
        assert all(len(r) == 1 and CAP_FULL in r[0] for r in refusals), refusals
        assert len(held(mentor, *week_of(monday))) == 3


def test_teachers_booking_next_to_each_other_never_break_the_buffer(world, open_mentor, signed_in):
    update_program_settings(
        session_lengths=[30], buffer_minutes=20, min_notice_hours=24, horizon_days=28, weekly_cap=50
    )
    mentor = open_mentor()
    teachers = signed_in(RACERS)
    # 30-minute slots, each touching its neighbour or 15 minutes from it (inside the 20-minute
    # buffer) and at least 45 minutes from the others: only neighbours exclude each other.
    starts = [(8, 0), (8, 30), (9, 15), (9, 45), (10, 30), (11, 0), (11, 45), (12, 15)]
    for day in (10, 11, 12, 13):  # the week after this one: 08:00 is past the notice
        slots = [at(day, *start) for start in starts]

        results = race(booking_posts(world, mentor, teachers, slots))

        won = {slot for slot, (code, _) in zip(slots, results, strict=True) if code == 302}
        sessions = held(mentor, at(day, 0), at(day + 1, 0))
        assert [b.starts_at for b in sessions] == sorted(won)
        for first, second in zip(sessions, sessions[1:], strict=False):
            assert second.starts_at - first.ends_at >= timedelta(minutes=20), (day, won)
        for i, (code, body) in enumerate(results):
            if code == 302:
                continue
            # Refused only for a neighbour that won: the bookings went in one at a time.
            assert {slots[j] for j in (i - 1, i + 1) if 0 <= j < len(slots)} & won, (day, i)
            assert len(flashes(body)) == 1 and TOO_CLOSE in flashes(body)[0], body


def test_a_reschedule_racing_new_bookings_into_a_full_week_one_wins(
    app, world, book, open_mentor, signed_in, make_user
):
    for _ in range(3):
        mentor = open_mentor()
        for day in (10, 11):  # two of three sessions already taken in the week of the 9th
            book(make_user(Role.TEACHER, school=world.school), mentor, at(day, 10))
        (mover, mover_client, mover_token), *teachers = signed_in(4)
        moving = book(teacher=mover, mentor=mentor, starts_at=at(17, 10))
        commands.approve_booking(moving, world.advisor)
        slots = [at(12, 14), at(13, 10), at(13, 14)]

        results = race(
            [
                (
                    mover_client,
                    mover_token,
                    f"/sessions/{moving.id}/reschedule",
                    {"reschedule-starts_at": at(12, 10).isoformat()},
                ),
                *booking_posts(world, mentor, teachers, slots),
            ]
        )

        assert len(held(mentor, *week_of(9))) == 3
        db.session.refresh(moving)
        moved = moving.starts_at == at(12, 10)
        assert sorted(code for code, _ in results[1:]) == [200] * (2 + moved) + [302] * (not moved)
        refusals = [flashes(body) for code, body in results[1:] if code == 200]
        if not moved:
            refusals.append(flashed_on(app, mover_client, f"/sessions/{moving.id}"))
        assert all(len(r) == 1 and CAP_FULL in r[0] for r in refusals), refusals


def test_a_reassignment_racing_new_bookings_into_a_full_week_one_wins(
    app, world, book, open_mentor, signed_in, make_user
):
    advisor_client, advisor_token = _signed_in_client(app, world.advisor)
    for _ in range(3):
        mentor, other = open_mentor(), open_mentor()
        for day in (10, 11):
            book(make_user(Role.TEACHER, school=world.school), mentor, at(day, 10))
        moving = book(
            teacher=make_user(Role.TEACHER, school=world.school), mentor=other, starts_at=at(12, 10)
        )
        teachers = signed_in(3)
        slots = [at(12, 14), at(13, 10), at(13, 14)]

        results = race(
            [
                (
                    advisor_client,
                    advisor_token,
                    f"/sessions/{moving.id}/reassign",
                    {"reassign-mentor_id": mentor.id},
                ),
                *booking_posts(world, mentor, teachers, slots),
            ]
        )

        assert len(held(mentor, *week_of(9))) == 3
        db.session.refresh(moving)
        moved = moving.mentor_id == mentor.id
        assert sorted(code for code, _ in results[1:]) == [200] * (2 + moved) + [302] * (not moved)
        refusals = [flashes(body) for code, body in results[1:] if code == 200]
        if not moved:
            refusals.append(flashed_on(app, advisor_client, f"/sessions/{moving.id}"))
        assert all(len(r) == 1 and CAP_FULL in r[0] for r in refusals), refusals


def test_two_reassignments_swapping_mentors_at_once_both_go_through(
    app, world, book, open_mentor, signed_in, make_user
):
    """Each locks both mentors; in one order, so neither waits for the other forever."""
    (_, one, one_token), (_, two, two_token) = signed_in(2, Role.ADVISOR)
    for day in (3, 4, 5):
        first, second = open_mentor(), open_mentor()
        teacher = make_user(Role.TEACHER, school=world.school)
        a = book(teacher=teacher, mentor=first, starts_at=at(day, 10))
        b = book(teacher=teacher, mentor=second, starts_at=at(day, 14))

        results = race(
            [
                (one, one_token, f"/sessions/{a.id}/reassign", {"reassign-mentor_id": second.id}),
                (two, two_token, f"/sessions/{b.id}/reassign", {"reassign-mentor_id": first.id}),
            ]
        )

        assert [code for code, _ in results] == [302, 302]
        db.session.refresh(a)
        db.session.refresh(b)
        assert (a.mentor_id, b.mentor_id) == (second.id, first.id)


def test_one_teacher_booking_two_mentors_at_once_is_told_they_are_busy(
    app, world, open_mentor, make_user
):
    """The teacher's row is locked too, so the second booking sees the first and says why."""
    teacher = make_user(Role.TEACHER, school=world.school)
    tabs = [_signed_in_client(app, teacher) for _ in range(2)]
    for day in (3, 4, 5, 6):
        mentors = [open_mentor(), open_mentor()]
        results = race(
            [
                (client, token, booking_page(world, at(day, 10), mentor), form())
                for i, ((client, token), mentor) in enumerate(zip(tabs, mentors, strict=True))
            ]
        )
        assert sorted(code for code, _ in results) == [200, 302]
        refused = next(body for code, body in results if code == 200)
        assert flashes(refused) == [commands.TEACHER_BUSY]


def test_a_form_sent_twice_at_once_makes_one_session(app, world, open_mentor, make_user):
    """A double click: the second request waits for the first and answers with its session."""
    teacher = make_user(Role.TEACHER, school=world.school)
    tabs = [_signed_in_client(app, teacher) for _ in range(2)]
    mentor = open_mentor()
    for day in (10, 11, 12):
        page = booking_page(world, at(day, 10), mentor)
        key = uuid.uuid4().hex
        results = race([(client, token, page, form(key)) for client, token in tabs])

        assert [code for code, _ in results] == [302, 302], [flashes(b) for _, b in results]
        assert len(held(mentor, at(day, 0), at(day + 1, 0))) == 1


def test_a_refusal_names_the_rule_that_refused(world, book, open_mentor):
    from helpdesk.mentors.services import profile_for

    mentor = open_mentor()
    profile_for(mentor).weekly_cap = 1  # the mentor's own cap, below the program's 3
    book(mentor=mentor, starts_at=at(10, 10))  # commits both

    with pytest.raises(commands.SlotTaken, match=r"fully booked that week \(1 session a week"):
        book(teacher=world.teacher2, mentor=mentor, starts_at=at(12, 10))
    db.session.rollback()
    profile_for(mentor).weekly_cap = None
    db.session.commit()
    with pytest.raises(commands.SlotTaken, match="needs 10 minutes between sessions"):
        book(teacher=world.teacher2, mentor=mentor, starts_at=at(10, 10, 30))
    db.session.rollback()
    with pytest.raises(commands.SlotTaken, match=commands.JUST_TAKEN):
        book(teacher=world.teacher2, mentor=mentor, starts_at=at(10, 10, 15))
