"""Hours-ledger fixtures: the bookings world (two mentors, two teachers, the advisor), a completed
session, a resolved help request, and entries in the ledger."""

from datetime import timedelta

import pytest

from helpdesk.bookings import commands as bookings
from helpdesk.hours import services as hours
from helpdesk.hours.models import EntryKind, HoursEntry
from helpdesk.reflections import services as reflections
from helpdesk.requests import services as desk
from tests.bookings.conftest import NOW, SLOT, World, book, world  # noqa: F401  (shared fixtures)


@pytest.fixture
def complete(db, world, book, clock):  # noqa: F811
    """Book, approve and complete a session (30 minutes by default) as its mentor."""

    def do(days: int = 0, minutes: int = 30, mentor=None, topic="Sharing a Doc with my class"):
        booking = book(
            mentor=mentor, starts_at=SLOT + timedelta(days=days), minutes=minutes, topic=topic
        )
        bookings.approve_booking(booking, world.advisor)
        db.session.commit()
        clock.now = booking.ends_at + timedelta(minutes=5)
        reflections.complete_session(
            booking,
            booking.mentor,
            clock.now,
            showed_up=True,
            covered="Comment-only sharing.",
            steps="Share, then Commenter.",
            links="",
        )
        db.session.commit()
        return booking

    return do


@pytest.fixture
def claimed(db, world, clock):  # noqa: F811
    """A help request claimed by Maya, ready to resolve."""

    def do(mentor=None, summary="My projector won't mirror"):
        new = desk.NewRequest(skill_id=world.skill.id, summary=summary, room="B12")
        help_request = desk.open_request(world.teacher, new, clock.now)
        db.session.commit()
        desk.claim_request(help_request, mentor or world.mentor, clock.now)
        db.session.commit()
        return help_request

    return do


@pytest.fixture
def entry(db, world, clock):  # noqa: F811
    """A pending entry for a person (Maya by default), made as record_activity makes it."""
    counter = iter(range(1, 10_000))

    def do(person=None, minutes: int = 60, kind=EntryKind.SESSION, title="Helped with Slides"):
        n = next(counter)
        made = hours.record_activity(
            person or world.mentor,
            kind,
            f"test:{n}",
            title,
            (NOW + timedelta(days=n)).date(),
            minutes,
        )
        db.session.commit()
        return made

    return do


def entries_of(db, person) -> list[HoursEntry]:
    return list(
        db.session.scalars(
            db.select(HoursEntry).where(HoursEntry.person_id == person.id).order_by(HoursEntry.id)
        )
    )
