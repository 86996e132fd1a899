"""Real concurrency: teachers and mentors, each with their own client and connection, click at
once (started together by a barrier), on SQLite and on PostgreSQL."""

import threading

import pytest
from sqlalchemy.exc import IntegrityError

from helpdesk.accounts.models import Role
from helpdesk.bookings.models import HOLDING_STATUSES, Booking, BookingFormat, BookingStatus
from helpdesk.extensions import db
from helpdesk.workshops import services
from helpdesk.workshops.models import SeatStatus, Workshop, WorkshopHost, WorkshopSeat
from tests.bookings.conftest import SLOT, booking_page
from tests.bookings.test_race import _signed_in_client

SEATS = 8
RACERS = 20


def _race(app, posts):
    """Run each (client, token, path, form) at the same moment; their status codes."""
    db.session.commit()  # the test's own session must not hold SQLite's write lock
    barrier = threading.Barrier(len(posts))
    codes: list = [None] * len(posts)

    def run(index, client, token, path, form):
        barrier.wait()
        codes[index] = client.post(path, data={**form, "csrf_token": token}).status_code

    threads = [threading.Thread(target=run, args=(i, *post)) for i, post in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    db.session.expire_all()
    return codes


def _seats(workshop) -> dict[SeatStatus, list[int]]:
    rows = db.session.scalars(
        db.select(WorkshopSeat)
        .where(WorkshopSeat.workshop_id == workshop.id)
        .order_by(WorkshopSeat.joined_at, WorkshopSeat.id)
    ).all()
    result = {status: [] for status in SeatStatus}
    for row in rows:
        result[row.status].append(row.teacher_id)
    return result


@pytest.fixture
def full_house(app, world, open_workshop, make_user):
    """20 teachers signed in, each with a client of their own, and an open 8-seat workshop."""
    workshop = open_workshop(seats=SEATS)
    teachers = [make_user(Role.TEACHER, school=world.school) for _ in range(RACERS)]
    clients = [_signed_in_client(app, teacher) for teacher in teachers]
    return workshop, teachers, clients


def test_twenty_teachers_sign_up_at_once_for_eight_seats(app, full_house):
    workshop, teachers, clients = full_house
    path = f"/workshops/{workshop.id}/sign-up"
    codes = _race(app, [(client, token, path, {}) for client, token in clients])
    assert codes == [302] * RACERS
    seats = _seats(workshop)
    assert len(seats[SeatStatus.SEATED]) == SEATS
    assert len(seats[SeatStatus.WAITLISTED]) == RACERS - SEATS
    db.session.refresh(workshop)
    assert workshop.seats_taken == SEATS


def test_concurrent_departures_promote_exactly_as_many_as_left_in_sign_up_order(
    app, full_house, clock
):
    workshop, teachers, clients = full_house
    for teacher in teachers:  # in a known order, one by one
        services.sign_up(workshop, teacher, clock.now)
        db.session.commit()
        clock.advance(seconds=1)
    seated = _seats(workshop)[SeatStatus.SEATED]
    waiting = _seats(workshop)[SeatStatus.WAITLISTED]
    leaving = seated[:4]
    by_id = {t.id: c for t, c in zip(teachers, clients, strict=True)}
    path = f"/workshops/{workshop.id}/leave"
    codes = _race(app, [(*by_id[i], path, {}) for i in leaving])
    assert codes == [302] * 4
    after = _seats(workshop)
    assert sorted(after[SeatStatus.SEATED]) == sorted(seated[4:] + waiting[:4])
    assert after[SeatStatus.WAITLISTED] == waiting[4:]
    assert sorted(after[SeatStatus.LEFT]) == sorted(leaving)
    db.session.refresh(workshop)
    assert workshop.seats_taken == SEATS


def test_a_workshop_and_a_session_for_the_same_mentor_at_once_one_wins(
    app, world, make_user, clock
):
    """Maya proposes a workshop at the very time a teacher books her: never both."""
    for round_ in range(3):
        teacher = make_user(Role.TEACHER, school=world.school)
        mentor = _signed_in_client(app, world.mentor)
        booker = _signed_in_client(app, teacher)
        workshop_form = {
            "title": f"Docs round {round_}",
            "skill_id": world.skill.id,
            "description": "Comments and suggestions.",
            "day": "2026-11-04",
            "starts": "10:00",
            "ends": "10:50",
            "format": "in_person",
            "room": "Library",
            "seats": "8",
        }
        booking_form = {
            "topic": "Slides",
            "learning_goal": "Present with speaker notes",
            "format": "in_person",
            "room": "B12",
            "agrees_to_norms": "y",
            "request_key": f"race-{round_}",
        }
        codes = _race(
            app,
            [
                (*mentor, "/workshops/new", workshop_form),
                (*booker, booking_page(world), booking_form),
            ],
        )
        assert sorted(codes) == [200, 302], codes  # the loser is told on the form, no 500
        holding_sessions = db.session.scalar(
            db.select(db.func.count())
            .select_from(Booking)
            .where(Booking.mentor_id == world.mentor.id, Booking.status.in_(HOLDING_STATUSES))
        )
        holding_workshops = db.session.scalar(
            db.select(db.func.count())
            .select_from(WorkshopHost)
            .where(WorkshopHost.mentor_id == world.mentor.id, WorkshopHost.is_holding.is_(True))
        )
        assert holding_sessions + holding_workshops == 1, round_
        # free the time for the next round
        db.session.execute(db.delete(WorkshopHost))
        db.session.execute(db.delete(Workshop))
        db.session.execute(
            db.update(Booking).values(status=BookingStatus.CANCELLED)
        )  # fmt: skip
        db.session.commit()


def test_the_database_refuses_a_session_over_a_hosted_workshop_and_the_reverse(
    db, world, open_workshop
):
    workshop = open_workshop(starts_at=SLOT)

    def session_row(mentor):
        return Booking(
            mentor_id=mentor.id,
            teacher_id=world.teacher.id,
            skill_id=world.skill.id,
            starts_at=SLOT,
            ends_at=SLOT + (workshop.ends_at - workshop.starts_at),
            status=BookingStatus.REQUESTED,
            topic="Slides",
            learning_goal="Goal",
            format=BookingFormat.IN_PERSON,
            room="B12",
        )

    db.session.add(session_row(world.mentor))  # past every service check: the guard alone
    with pytest.raises(IntegrityError) as refused:
        db.session.flush()
    assert services.is_overlap(refused.value)
    db.session.rollback()

    db.session.add(session_row(world.mentor2))
    db.session.commit()
    db.session.add(
        WorkshopHost(workshop_id=workshop.id, mentor_id=world.mentor2.id, starts_at=SLOT,
                     ends_at=workshop.ends_at)
    )  # fmt: skip
    with pytest.raises(IntegrityError) as refused:
        db.session.flush()
    assert services.is_overlap(refused.value)
    db.session.rollback()


def test_a_mentor_cannot_host_two_workshops_at_once_even_past_the_services(
    db, world, open_workshop, propose
):
    first = open_workshop(starts_at=SLOT)
    second = propose(by=world.advisor, mentor_ids=(world.mentor2.id,), starts_at=SLOT)
    db.session.add(
        WorkshopHost(workshop_id=second.id, mentor_id=world.mentor.id, starts_at=SLOT,
                     ends_at=first.ends_at)
    )  # fmt: skip
    with pytest.raises(IntegrityError) as refused:
        db.session.flush()
    assert services.is_overlap(refused.value)
    db.session.rollback()
