"""The workshop list and a workshop's page load in a fixed number of statements, whatever the
number of workshops, mentors, seats and waitlist."""

from datetime import timedelta

import pytest

from helpdesk.accounts.models import Role
from helpdesk.workshops import models, services
from helpdesk.workshops.models import Workshop
from tests.bookings.conftest import NOW
from tests.workshops.conftest import WORKSHOP_AT

MODELS = models.__name__


def _fill(db, world, open_workshop, make_user, workshops: int, teachers: int) -> Workshop:
    people = [make_user(Role.TEACHER, school=world.school) for _ in range(teachers)]
    first = None
    for n in range(workshops):
        workshop = open_workshop(
            seats=max(1, teachers // 2),
            starts_at=WORKSHOP_AT + timedelta(days=n),
            mentor_ids=(world.mentor2.id,),
        )
        for teacher in people:
            services.sign_up(workshop, teacher, NOW)
        db.session.commit()
        first = first or workshop
    return first


def _statements(client, count_queries, path: str) -> int:
    with count_queries() as statements:
        response = client.get(path)
    assert response.status_code == 200
    return len(statements)


@pytest.mark.parametrize(
    ("who", "path", "budget"),
    [
        # user, list (+ hosts), waitlist counts, own places, unread count
        ("teacher", "/workshops/", 7),
        ("advisor", "/workshops/", 8),
        ("mentor", "/workshops/", 5),
        ("advisor", "/workshops/queue", 5),
        # user, workshop (+ hosts), own place, waitlist position or roster, reflections, unread
        ("teacher", "/workshops/{id}", 9),
        ("mentor", "/workshops/{id}", 9),
        ("advisor", "/workshops/{id}", 9),
    ],
)
def test_workshop_pages_do_not_grow_with_rows(
    client, db, world, login, count_queries, open_workshop, make_user, who, path, budget
):
    small = _fill(db, world, open_workshop, make_user, workshops=1, teachers=2)
    login(getattr(world, who))
    few = _statements(client, count_queries, path.format(id=small.id))
    db.session.execute(db.delete(Workshop))
    db.session.commit()
    # SQLite reuses the deleted ids: forget the deleted rows' objects, so the new ones take
    # their place in the session cleanly (SQLAlchemy 2.0.16 warns otherwise).
    for gone in [o for o in db.session.identity_map.values() if type(o).__module__ == MODELS]:
        db.session.expunge(gone)
    big = _fill(db, world, open_workshop, make_user, workshops=12, teachers=16)
    many = _statements(client, count_queries, path.format(id=big.id))
    assert many == few, f"{path}: {few} statements for few rows, {many} for many"
    assert few <= budget, few
