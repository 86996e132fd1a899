"""The booking tests' district (Maya Chen and Leo Martins mentor, Period 4 every day; Helen Park
and Robert Gaines teach; Dana Whitfield advises), with pairing helpers."""

from datetime import date

import pytest

from helpdesk.pairings import free_periods, services
from tests.bookings import conftest as _bookings
from tests.bookings.conftest import NOW

world = _bookings.world
book = _bookings.book

TERM = (date(2026, 11, 2), date(2027, 1, 29))


@pytest.fixture
def free(db, world):
    """Give a teacher free periods by (weekday, period): Period 4 on Mon and Wed by default."""

    def give(teacher=None, choices=((0, "Period 4"), (2, "Period 4"))):
        teacher = teacher or world.teacher
        free_periods.set_free_periods(teacher, [f"w{day}|{period}" for day, period in choices])
        db.session.commit()
        return teacher

    return give


@pytest.fixture
def pair(db, world):
    """The advisor pairs a mentor (Maya) with a teacher (Helen), with goals."""

    def make(mentor=None, teacher=None, goals=("Set up a Classroom", "Grade with rubrics")):
        pairing = services.create_pairing(
            world.advisor,
            teacher or world.teacher,
            mentor or world.mentor,
            starts_on=TERM[0],
            ends_on=TERM[1],
            skill=world.skill,
            focus="Google Docs with my class",
            goals=goals,
            now=NOW,
        )
        db.session.commit()
        return pairing

    return make


@pytest.fixture
def sign_in(client, login):
    """Sign out whoever is signed in, then sign this person in."""

    def do(user):
        client.post_form("/logout")
        response = login(user)
        assert response.status_code == 302
        return user

    return do
