"""Proposing, deciding, signing up, the waitlist, seats, cancelling: the rules, through the services."""

from datetime import timedelta

import pytest

from helpdesk.accounts.models import Role
from helpdesk.bookings.models import BookingFormat
from helpdesk.mail.models import OutboxMessage
from helpdesk.notifications.models import Notification
from helpdesk.workshops import services
from helpdesk.workshops.models import SeatStatus, WorkshopHost, WorkshopStatus
from tests.bookings.conftest import NOW, SLOT
from tests.workshops.conftest import WORKSHOP_AT, workshop_input


def _outbox(db, to: str) -> list[str]:
    return list(
        db.session.scalars(db.select(OutboxMessage.subject).where(OutboxMessage.to_address == to))
    )


def test_a_mentor_proposes_with_a_co_mentor_and_the_advisor_is_asked(db, world, propose):
    workshop = propose(mentor_ids=(world.mentor2.id,))
    assert workshop.status is WorkshopStatus.PROPOSED
    assert workshop.mentor_ids == {world.mentor.id, world.mentor2.id}
    assert all(h.is_holding for h in workshop.hosts)
    assert _outbox(db, world.advisor.email) == ["Workshop to approve: Google Docs for feedback"]
    told = db.session.scalars(
        db.select(Notification.user_id).where(Notification.link == f"/workshops/{workshop.id}")
    ).all()
    assert set(told) == {world.advisor.id, world.mentor2.id}


def test_the_advisors_own_workshop_is_approved_at_once(db, world, propose):
    workshop = propose(by=world.advisor, mentor_ids=(world.mentor.id,))
    assert workshop.status is WorkshopStatus.APPROVED
    assert workshop.mentor_ids == {world.mentor.id}
    assert _outbox(db, world.mentor.email) == ["Workshop approved: Google Docs for feedback"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": "  "}, "Give the workshop a title."),
        ({"description": ""}, "Say what teachers will learn."),
        ({"seats": 0}, "Offer between 1 and 200 seats."),
        ({"seats": 201}, "Offer between 1 and 200 seats."),
        ({"room": ""}, "For an in-person workshop, say which room."),
        ({"starts_at": NOW - timedelta(hours=1)}, "Choose a time in the future."),
        ({"ends_at": WORKSHOP_AT}, "The workshop must end after it starts."),
        ({"ends_at": WORKSHOP_AT + timedelta(hours=5)}, "A workshop lasts at most 4 hours."),
        (
            {"format": BookingFormat.ONLINE, "meeting_url": "https://evil.example.com/x"},
            "services the district supervises",
        ),
        ({"mentor_ids": (999_999,)}, "Choose mentors from the list."),
    ],
)
def test_bad_proposals_are_refused_and_nothing_is_saved(db, world, fields, message):
    with pytest.raises(services.WorkshopError, match=message):
        services.propose_workshop(world.mentor, workshop_input(world, **fields), NOW)
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(WorkshopHost)) == 0


def test_a_teacher_cannot_propose(db, world):
    with pytest.raises(services.WorkshopError):
        services.propose_workshop(world.teacher, workshop_input(world), NOW)


def test_approve_and_decline_are_decided_once(db, world, propose):
    workshop = propose()
    services.approve_workshop(workshop, world.advisor)
    db.session.commit()
    with pytest.raises(services.WorkshopError, match="already been decided"):
        services.decline_workshop(workshop, world.advisor, "Too late")
    db.session.rollback()
    other = propose(starts_at=WORKSHOP_AT + timedelta(days=1))
    services.decline_workshop(other, world.advisor, "Please run it after the holidays.")
    db.session.commit()
    assert other.status is WorkshopStatus.DECLINED
    assert not any(h.is_holding for h in other.hosts)  # the time is free again


def test_sign_up_fills_seats_then_the_waitlist_in_order(db, world, open_workshop, make_user):
    workshop = open_workshop(seats=2)
    teachers = [make_user(Role.TEACHER, school=world.school) for _ in range(4)]
    statuses = []
    for teacher in teachers:
        statuses.append(services.sign_up(workshop, teacher, NOW).status)
        db.session.commit()
    assert statuses == [SeatStatus.SEATED] * 2 + [SeatStatus.WAITLISTED] * 2
    assert workshop.seats_taken == 2
    with pytest.raises(services.WorkshopError, match="already signed up"):
        services.sign_up(workshop, teachers[0], NOW)


def test_staff_may_sign_up_but_mentors_and_proposals_may_not(
    db, world, propose, open_workshop, make_user
):
    workshop = open_workshop()
    staff = make_user(Role.STAFF, school=world.school)
    assert services.sign_up(workshop, staff, NOW).status is SeatStatus.SEATED
    with pytest.raises(services.WorkshopError):
        services.sign_up(workshop, world.mentor2, NOW)
    proposal = propose(starts_at=WORKSHOP_AT + timedelta(days=1))
    with pytest.raises(services.WorkshopError, match="not open"):
        services.sign_up(proposal, world.teacher, NOW)


def test_leaving_a_seat_promotes_the_first_on_the_waitlist_with_a_notice(
    db, world, open_workshop, make_user
):
    workshop = open_workshop(seats=1)
    first, second, third = (make_user(Role.TEACHER, school=world.school) for _ in range(3))
    for teacher in (first, second, third):
        services.sign_up(workshop, teacher, NOW)
        db.session.commit()
    assert services.leave(workshop, first, NOW) is SeatStatus.SEATED
    db.session.commit()
    assert services.own_seat(workshop, second).status is SeatStatus.SEATED
    assert services.own_seat(workshop, third).status is SeatStatus.WAITLISTED
    assert workshop.seats_taken == 1
    assert _outbox(db, second.email) == ["You have a seat: Google Docs for feedback"]
    assert _outbox(db, third.email) == []
    notice = db.session.scalar(db.select(Notification).where(Notification.user_id == second.id))
    assert "You have a seat" in notice.message


def test_leaving_the_waitlist_frees_no_seat_and_signing_up_again_goes_to_the_back(
    db, world, open_workshop, make_user
):
    workshop = open_workshop(seats=1)
    a, b, c = (make_user(Role.TEACHER, school=world.school) for _ in range(3))
    for teacher in (a, b, c):
        services.sign_up(workshop, teacher, NOW)
    db.session.commit()
    assert services.leave(workshop, b, NOW) is SeatStatus.WAITLISTED
    assert workshop.seats_taken == 1
    services.sign_up(workshop, b, NOW + timedelta(minutes=1))
    db.session.commit()
    assert [s.teacher_id for s in services.waitlist(workshop)] == [c.id, b.id]
    with pytest.raises(services.WorkshopError, match="not signed up"):
        services.leave(workshop, world.teacher, NOW)


def test_the_advisor_changes_seats_never_below_those_seated(db, world, open_workshop, make_user):
    workshop = open_workshop(seats=2)
    teachers = [make_user(Role.TEACHER, school=world.school) for _ in range(4)]
    for teacher in teachers:
        services.sign_up(workshop, teacher, NOW)
    db.session.commit()
    with pytest.raises(services.WorkshopError, match="2 teachers already have seats"):
        services.change_seats(workshop, world.advisor, 1, NOW)
    db.session.rollback()
    with pytest.raises(services.WorkshopError):
        services.change_seats(workshop, world.mentor, 5, NOW)
    db.session.rollback()
    assert services.change_seats(workshop, world.advisor, 3, NOW) == 1
    db.session.commit()
    assert workshop.seats == 3 and workshop.seats_taken == 3
    assert services.own_seat(workshop, teachers[2]).status is SeatStatus.SEATED
    assert services.own_seat(workshop, teachers[3]).status is SeatStatus.WAITLISTED


def test_the_database_refuses_more_seated_than_seats(db, world, open_workshop):
    from sqlalchemy import update
    from sqlalchemy.exc import IntegrityError

    from helpdesk.workshops.models import Workshop

    workshop = open_workshop(seats=2)
    with pytest.raises(IntegrityError):
        db.session.execute(update(Workshop).where(Workshop.id == workshop.id).values(seats_taken=3))
        db.session.flush()
    db.session.rollback()


def test_cancelling_tells_everyone_and_frees_the_mentors_time(db, world, open_workshop, book):
    workshop = open_workshop(seats=1, starts_at=SLOT)
    services.sign_up(workshop, world.teacher, NOW)
    services.sign_up(workshop, world.teacher2, NOW)
    db.session.commit()
    with pytest.raises(services.WorkshopError, match="Say why"):
        services.cancel_workshop(workshop, world.mentor, " ", NOW)
    services.cancel_workshop(workshop, world.mentor, "Maya is on a field trip.", NOW)
    db.session.commit()
    assert workshop.status is WorkshopStatus.CANCELLED
    assert _outbox(db, world.teacher.email)[-1] == "Workshop cancelled: Google Docs for feedback"
    assert _outbox(db, world.teacher2.email)[-1] == "Workshop cancelled: Google Docs for feedback"
    cancel = db.session.scalar(
        db.select(OutboxMessage).where(OutboxMessage.to_address == world.teacher.email)
        .order_by(OutboxMessage.id.desc())
    )  # fmt: skip
    assert cancel.calendar_method == "CANCEL" and "STATUS:CANCELLED" in cancel.calendar_data
    book(starts_at=SLOT, minutes=30)  # Maya's period is free again
