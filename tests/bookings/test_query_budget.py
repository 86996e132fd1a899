"""Busy pages load what they show in a fixed number of statements, whatever the number of rows."""

from datetime import timedelta

import pytest

from helpdesk.bookings.models import Booking, BookingFormat, BookingStatus
from tests.bookings.conftest import SLOT


def _sessions(db, world, count: int) -> None:
    for n in range(count):
        start = SLOT + timedelta(days=n // 4, hours=n % 4)
        db.session.add(
            Booking(
                mentor_id=world.mentor.id if n % 2 else world.mentor2.id,
                teacher_id=world.teacher.id,
                skill_id=world.skill.id,
                starts_at=start,
                ends_at=start + timedelta(minutes=30),
                status=BookingStatus.REQUESTED if n % 3 else BookingStatus.APPROVED,
                topic=f"Topic {n}",
                learning_goal="Goal",
                format=BookingFormat.ONLINE,
                meeting_url="https://meet.example.org/x",
            )
        )
    db.session.commit()


def _statements(client, count_queries, path: str) -> int:
    with count_queries() as statements:
        response = client.get(path)
    assert response.status_code == 200
    return len(statements)


@pytest.mark.parametrize(
    ("who", "path", "budget"),
    [
        # The signed-in user, the change stamp, the list in one statement (none when the list
        # is cached: tests/bookings/test_list_cache.py), the unread-notification count.
        ("teacher", "/sessions/", 4),
        ("mentor", "/sessions/", 4),
        # The queue also lists the weekly series waiting (helpdesk.series), in one statement.
        ("advisor", "/sessions/queue", 5),
        ("advisor", "/sessions/", 4),
        ("advisor", "/sessions/week?start=2026-11-02", 12),
        ("advisor", "/people/", 12),
    ],
)
def test_page_statements_do_not_grow_with_rows(
    client, db, world, login, count_queries, who, path, budget
):
    login(getattr(world, who))
    _sessions(db, world, 5)
    few = _statements(client, count_queries, path)
    db.session.execute(db.delete(Booking))
    db.session.commit()
    _sessions(db, world, 50)
    many = _statements(client, count_queries, path)
    assert many == few, f"{path}: {few} statements for 5 rows, {many} for 50"
    assert few <= budget
