"""The booking tests' district (Maya Chen and Leo Martins mentor; Helen Park and Robert Gaines
teach; Dana Whitfield advises) and a workshop factory."""

from datetime import timedelta

import pytest

from helpdesk.bookings.models import BookingFormat
from helpdesk.workshops import services
from tests.bookings import conftest as _bookings
from tests.bookings.conftest import NOW, SLOT

world = _bookings.world
book = _bookings.book

# Thu 5 Nov 2026, 13:00–14:00 New York (18:00 UTC): after school, nobody's period.
WORKSHOP_AT = SLOT + timedelta(days=1, hours=3)


def workshop_input(world, **fields) -> services.WorkshopInput:
    starts_at = fields.pop("starts_at", WORKSHOP_AT)
    values = {
        "skill_id": world.skill.id,
        "title": "Google Docs for feedback",
        "description": "Comments, suggestions and version history.",
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=1),
        "format": BookingFormat.IN_PERSON,
        "room": "Library",
        "meeting_url": "",
        "seats": 8,
        "mentor_ids": (),
    }
    values.update(fields)
    return services.WorkshopInput(**values)


@pytest.fixture
def propose(db, world):
    """A workshop proposed by Maya (or `by`), committed."""

    def do(by=None, **fields):
        workshop = services.propose_workshop(
            by or world.mentor, workshop_input(world, **fields), NOW
        )
        db.session.commit()
        return workshop

    return do


@pytest.fixture
def open_workshop(db, world, propose):
    """An approved workshop: `open_workshop(seats=3)`."""

    def do(**fields):
        workshop = propose(**fields)
        services.approve_workshop(workshop, world.advisor)
        db.session.commit()
        return workshop

    return do
