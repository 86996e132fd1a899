"""A small district with one of each flaggable place, and a safeguarding contact on staff."""

from dataclasses import dataclass
from datetime import timedelta

import pytest

from helpdesk.accounts.models import Role, User
from helpdesk.bookings.models import Booking, BookingFormat, BookingStatus
from helpdesk.concerns import services as concerns
from helpdesk.concerns.models import Category, Concern
from helpdesk.concerns.subjects import find_subject
from helpdesk.requests import services as requests
from helpdesk.tips import services as tips
from helpdesk.tips.models import Device
from tests.requests.conftest import NOW, ask, world  # noqa: F401  (the help-desk tests' district)


@dataclass
class Places:
    booking: Booking  # world.teacher with world.mentor, completed
    message: object  # world.mentor's answer to world.teacher's help request
    tip: object  # written by world.mentor, published
    contact: User  # the safeguarding contact (staff)

    def of(self, kind: str, world) -> tuple[int, User]:  # noqa: F811
        """The subject id of each kind, and who it is about when world.teacher flags it."""
        return {
            "session": (self.booking.id, world.mentor),
            "message": (self.message.id, world.mentor),
            "tip": (self.tip.id, world.mentor),
            "profile": (world.mentor.id, world.mentor),
        }[kind]


@pytest.fixture
def places(db, world, make_user, clock) -> Places:  # noqa: F811
    starts = NOW - timedelta(days=3)
    booking = Booking(
        mentor=world.mentor,
        teacher=world.teacher,
        skill=world.docs,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=30),
        status=BookingStatus.COMPLETED,
        topic="Sharing a Doc with a class",
        learning_goal="Share so students can comment",
        format=BookingFormat.IN_PERSON,
        room="Library",
    )
    db.session.add(booking)
    db.session.flush()
    help_request = requests.open_request(
        world.teacher,
        requests.NewRequest(skill_id=world.docs.id, summary="Projector will not mirror"),
        NOW,
    )
    requests.claim_request(help_request, world.mentor, NOW)
    message = requests.post_message(help_request, world.mentor, "Try Windows+P.", NOW)
    tip = tips.create_tip(
        author=world.mentor,
        title="Mirror your screen",
        body="Press Windows+P and choose Duplicate.",
        skills=[world.docs],
        devices=[Device.ANY],
        booking=booking,
    )
    tips.submit_tip(tip, by=world.mentor)
    tips.publish_tip(tip, by=world.advisor)
    contact = make_user(Role.STAFF, full_name="Grace Counselor", school=world.school)
    concerns.set_contact(contact)
    db.session.commit()
    return Places(booking, message, tip, contact)


@pytest.fixture
def raise_one(db, world, places, clock):  # noqa: F811
    """A concern raised through the service, by world.teacher about the session by default."""

    def do(reporter: User | None = None, kind: str = "session", subject_id: int | None = None):
        from helpdesk.concerns.models import SubjectKind

        reporter = reporter or world.teacher
        subject_id = subject_id if subject_id is not None else places.of(kind, world)[0]
        subject = find_subject(SubjectKind(kind), subject_id, reporter)
        concern = concerns.raise_concern(
            reporter,
            subject,
            concerns.NewConcern(Category.UNCOMFORTABLE, "Asked for my phone number."),
            clock.now,
        )
        db.session.commit()
        return db.session.get(Concern, concern.id)

    return do
