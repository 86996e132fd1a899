"""The pairing page, the health page and the suggestions load what they show in a fixed number
of statements, whatever the number of goals, sessions, pairings or mentors."""

from datetime import timedelta

import pytest

from helpdesk.accounts.models import Role
from helpdesk.bookings.models import Booking, BookingFormat, BookingStatus
from helpdesk.pairings import services
from helpdesk.pairings.models import GoalStatus
from tests.bookings.conftest import NOW, SLOT
from tests.pairings.conftest import TERM


def _sessions(db, world, count: int, first: int = 0) -> None:
    for n in range(first, first + count):
        start = SLOT + timedelta(days=n // 2, hours=n % 2 * 3)
        db.session.add(
            Booking(
                mentor_id=world.mentor.id,
                teacher_id=world.teacher.id,
                skill_id=world.skill.id,
                starts_at=start,
                ends_at=start + timedelta(minutes=30),
                status=BookingStatus.COMPLETED if n % 2 else BookingStatus.APPROVED,
                topic=f"Topic {n}",
                learning_goal="Goal",
                format=BookingFormat.IN_PERSON,
                room="B12",
            )
        )
    db.session.commit()


def _statements(client, count_queries, path: str) -> int:
    client.get(path)  # warm: school calendars are kept per process (calendar.services)
    with count_queries() as statements:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(statements)


def _progress(db, world, pairing, steps: int) -> None:
    for n in range(steps):
        for goal in pairing.goals:
            status = GoalStatus.IN_PROGRESS if n % 2 == 0 else GoalStatus.MET
            services.update_goal(goal, world.mentor, status, f"Step {n}", NOW + timedelta(hours=n))
    db.session.commit()


@pytest.mark.parametrize("who", ["teacher", "advisor"])
def test_the_pairing_page_does_not_grow_with_its_sessions_and_progress(
    client, db, world, pair, sign_in, count_queries, who
):
    pairing = pair(goals=("One",))
    _sessions(db, world, 2)
    sign_in(getattr(world, who))
    few = _statements(client, count_queries, f"/pairings/{pairing.id}")
    services.add_goals(pairing, world.teacher, ["Two", "Three"], NOW)
    _progress(db, world, pairing, 6)
    _sessions(db, world, 30, first=10)
    many = _statements(client, count_queries, f"/pairings/{pairing.id}")
    assert many == few
    assert many <= 14


def test_the_health_page_does_not_grow_with_pairings(
    client, db, world, pair, sign_in, count_queries, make_user, make_mentor
):
    sign_in(world.advisor)
    pair()
    few = _statements(client, count_queries, "/pairings/health")
    for n in range(12):
        teacher = make_user(Role.TEACHER, school=world.school)
        mentor = make_mentor(f"Mentor{n} Test", world.school, {world.skill: 1})
        pairing = pair(mentor=mentor, teacher=teacher)
        if n % 3 == 0:
            services.close_pairing(pairing, world.advisor, NOW)
    _sessions(db, world, 20)
    db.session.commit()
    many = _statements(client, count_queries, "/pairings/health")
    assert many == few
    assert many <= 8


def test_suggestions_do_not_grow_with_mentors(
    client, db, world, sign_in, count_queries, make_mentor, free
):
    free()
    sign_in(world.advisor)
    path = f"/pairings/new?teacher={world.teacher.id}&skill={world.skill.id}"
    few = _statements(client, count_queries, path)
    for n in range(25):
        make_mentor(f"Extra{n} Mentor", world.school, {world.skill: 1 + n % 3}, "Period 4")
    _sessions(db, world, 10)
    many = _statements(client, count_queries, path)
    assert many == few
    assert many <= 14


def test_the_index_does_not_grow_with_pairings(
    client, db, world, pair, sign_in, count_queries, make_user
):
    sign_in(world.teacher)
    pair()
    few = _statements(client, count_queries, "/pairings/")
    for _ in range(5):
        other = make_user(Role.MENTOR, school=world.school)
        services.create_pairing(
            world.advisor, world.teacher, other, starts_on=TERM[0], ends_on=TERM[1],
            goals=["A", "B"], now=NOW,
        )  # fmt: skip
    db.session.commit()
    many = _statements(client, count_queries, "/pairings/")
    assert many == few
