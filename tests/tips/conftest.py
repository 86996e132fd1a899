"""Factories for tip tests: skills, a completed session, and tips in any status."""

from datetime import UTC, datetime, timedelta

import pytest

from helpdesk.accounts.models import Role
from helpdesk.bookings.models import Booking, BookingFormat, BookingStatus
from helpdesk.skills.models import Skill
from helpdesk.tips import services
from helpdesk.tips.models import Device, TipStatus


@pytest.fixture
def make_skill(db):
    def make(name: str = "Google Docs") -> Skill:
        skill = db.session.scalar(db.select(Skill).where(Skill.name == name))
        if skill is None:
            skill = Skill(name=name)
            db.session.add(skill)
            db.session.commit()
        return skill

    return make


@pytest.fixture
def make_booking(db, make_user, make_skill):
    def make(mentor=None, teacher=None, status=BookingStatus.COMPLETED, skill=None) -> Booking:
        starts = datetime(2026, 10, 5, 14, 0, tzinfo=UTC) + timedelta(days=db.session.scalar(
            db.select(db.func.count(Booking.id))) or 0)  # fmt: skip
        booking = Booking(
            mentor=mentor or make_user(Role.MENTOR),
            teacher=teacher or make_user(Role.TEACHER),
            skill=skill or make_skill(),
            starts_at=starts,
            ends_at=starts + timedelta(minutes=30),
            status=status,
            topic="Sharing documents with a class",
            learning_goal="Share a Doc so students can comment",
            format=BookingFormat.ONLINE,
        )
        db.session.add(booking)
        db.session.commit()
        return booking

    return make


@pytest.fixture
def make_tip(db, make_user, make_skill):
    """A tip by the advisor (or an author), moved to the given status."""
    advisor_box = {}

    def advisor():
        if "a" not in advisor_box:
            advisor_box["a"] = make_user(Role.ADVISOR)
        return advisor_box["a"]

    def make(
        title: str = "Share a Google Doc",
        body: str = "Open the document and choose **Share**.",
        *,
        status: TipStatus = TipStatus.PUBLISHED,
        skills=None,
        devices=(Device.ANY,),
        author=None,
        booking=None,
    ):
        author = author or advisor()
        tip = services.create_tip(
            author=author,
            title=title,
            body=body,
            skills=skills or [make_skill()],
            devices=devices,
            booking=booking,
        )
        if status is not TipStatus.DRAFT:
            services.submit_tip(tip, by=author)
        if status is TipStatus.PUBLISHED:
            services.publish_tip(tip, by=advisor())
        elif status is TipStatus.RETURNED:
            services.return_tip(tip, by=advisor(), comment="Remove the room number.")
        db.session.commit()
        return tip

    make.advisor = advisor
    return make
