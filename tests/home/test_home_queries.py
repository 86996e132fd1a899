"""Home pages load in a fixed, small number of statements, whatever the amount of data."""

from datetime import timedelta

import pytest

from helpdesk.accounts.models import Role
from helpdesk.bookings.models import Booking, BookingFormat, BookingStatus
from helpdesk.requests.models import HelpRequest, RequestStatus
from helpdesk.tips.models import Tip, TipStatus
from tests.bookings.conftest import SLOT


def _data(db, world, first: int, count: int) -> None:
    for n in range(first, first + count):
        start = SLOT + timedelta(hours=n)
        mentor = world.mentor if n % 2 else world.mentor2
        status = [BookingStatus.REQUESTED, BookingStatus.APPROVED, BookingStatus.COMPLETED][n % 3]
        db.session.add(
            Booking(
                mentor_id=mentor.id, teacher_id=world.teacher.id, skill_id=world.skill.id,
                starts_at=start, ends_at=start + timedelta(minutes=30), status=status,
                topic=f"Topic {n}", learning_goal="Goal", format=BookingFormat.ONLINE,
                meeting_url="https://meet.example.org/x",
            )
        )  # fmt: skip
        db.session.add(
            HelpRequest(
                requester_id=world.teacher.id, skill_id=world.skill.id, summary=f"Problem {n}",
                status=RequestStatus.OPEN if n % 2 else RequestStatus.CLAIMED,
                mentor_id=None if n % 2 else world.mentor.id,
            )
        )  # fmt: skip
        db.session.add(
            Tip(
                title=f"Tip {n}", body="Steps", author_id=world.mentor.id,
                status=TipStatus.PUBLISHED if n % 2 else TipStatus.SUBMITTED,
                published_at=SLOT if n % 2 else None,
            )
        )  # fmt: skip
    db.session.commit()


def _statements(client, count_queries) -> int:
    with count_queries() as statements:
        response = client.get("/")
    assert response.status_code == 200
    return len(statements)


@pytest.mark.parametrize(
    ("who", "budget"),
    # The signed-in user and the unread-notification count (base.html), then the page's own
    # (for teachers and mentors, one for the end-of-term survey card).
    [("teacher", 7), ("mentor", 7), ("advisor", 9), ("staff", 3)],
)
def test_home_statements_do_not_grow_with_rows(
    client, db, world, login, make_user, count_queries, who, budget
):
    user = make_user(Role.STAFF, school=world.school) if who == "staff" else getattr(world, who)
    login(user)
    _data(db, world, 0, 3)
    _statements(client, count_queries)  # the first load fills the calendar cache
    few = _statements(client, count_queries)
    _data(db, world, 3, 60)
    many = _statements(client, count_queries)
    assert many == few
    assert many <= budget, many
