"""The booking tests' district (Maya Chen mentors Helen Park; Dana Whitfield advises), with a
help request and a completed session to write in."""

import pytest

from helpdesk.bookings import commands
from helpdesk.requests import services as desk
from tests.bookings import conftest as _bookings
from tests.bookings.conftest import SLOT

world = _bookings.world
book = _bookings.book


@pytest.fixture
def claimed(db, world, clock):
    """Helen's help request, claimed by Maya."""
    help_request = desk.open_request(
        world.teacher,
        desk.NewRequest(
            skill_id=world.skill.id,
            summary="Helen Park's projector won't mirror",
            details="Ms. Park tried Windows+P twice.",
            room="B12",
        ),
        clock.now,
    )
    desk.claim_request(help_request, world.mentor, clock.now)
    db.session.commit()
    return help_request


@pytest.fixture
def done(db, world, book, clock):
    """An approved session of Helen's with Maya, now over."""
    booking = book(topic="Maya shows Helen Park comment-only sharing")
    commands.approve_booking(booking, world.advisor)
    db.session.commit()
    clock.now = SLOT.replace(hour=16)
    return booking
