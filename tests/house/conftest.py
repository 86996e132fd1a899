"""The bookings tests' small district, and a second school whose teacher books its mentors."""

import pytest

from helpdesk.accounts.models import Role
from tests.bookings.conftest import book, world  # noqa: F401  (fixtures shared with bookings)


@pytest.fixture
def maple(db, make_school_with_calendar):
    """Another school of the district, with its own calendar (and nothing closed)."""
    school = make_school_with_calendar(name="Maple Middle School")
    db.session.commit()
    return school


@pytest.fixture
def maple_teacher(make_user, maple):
    return make_user(Role.TEACHER, full_name="Nancy Huang", school=maple)
