"""Change stamps renew with exactly the transactions that write what they cover."""

from datetime import UTC, datetime

from sqlalchemy import update

from helpdesk.accounts.models import Role
from helpdesk.extensions import db
from helpdesk.finder.cache import AVAILABILITY
from helpdesk.requests.desk_cache import DESK
from helpdesk.skills.models import Skill
from helpdesk.stamps import current_stamp


def _stamps():
    db.session.rollback()  # read what is committed
    return current_stamp(AVAILABILITY), current_stamp(DESK)


def test_a_table_two_caches_watch_renews_both(db):
    db.session.add(Skill(name="Google Docs"))
    db.session.commit()
    before = _stamps()
    db.session.scalar(db.select(Skill)).name = "Google Docs (all)"
    db.session.commit()
    after = _stamps()
    assert after[0] != before[0] and after[1] != before[1]


def test_bulk_updates_renew_and_other_columns_do_not(db, make_user):
    teacher = make_user(Role.TEACHER)
    before = _stamps()
    teacher = db.session.get(type(teacher), teacher.id)
    teacher.last_login_at = datetime(2026, 11, 2, 14, 0, tzinfo=UTC)
    db.session.commit()
    assert _stamps() == before
    db.session.execute(
        update(type(teacher)).where(type(teacher).id == teacher.id).values(full_name="Helen P.")
    )
    db.session.commit()
    assert _stamps()[0] != before[0]


def test_nothing_renews_until_the_real_commit(db):
    db.session.add(Skill(name="Google Docs"))
    db.session.commit()
    before = _stamps()
    with db.session.begin_nested():
        db.session.add(Skill(name="Video"))
    assert current_stamp(AVAILABILITY) == before[0]  # a savepoint is not a commit
    db.session.rollback()
    assert _stamps() == before


def test_a_status_change_renews_its_people_and_the_queue_not_the_district(db, make_user):
    from datetime import timedelta

    from helpdesk.bookings import lifecycle
    from helpdesk.bookings.models import Booking, BookingFormat, BookingStatus
    from helpdesk.finder.cache import person_stamp, queue_stamp

    mentor, other = make_user(Role.MENTOR), make_user(Role.MENTOR)
    teacher, advisor = make_user(Role.TEACHER), make_user(Role.ADVISOR)
    skill = Skill(name="Google Docs")
    db.session.add(skill)
    db.session.flush()
    starts = datetime(2026, 11, 4, 15, 0, tzinfo=UTC)
    booking = Booking(
        mentor_id=mentor.id, teacher_id=teacher.id, skill_id=skill.id, starts_at=starts,
        ends_at=starts + timedelta(minutes=30), status=BookingStatus.REQUESTED, topic="Docs",
        learning_goal="Share a Doc", format=BookingFormat.ONLINE,
    )  # fmt: skip
    db.session.add(booking)
    db.session.commit()
    names = [
        AVAILABILITY,
        person_stamp(mentor.id),
        person_stamp(teacher.id),
        queue_stamp(mentor.id),
        person_stamp(other.id),
    ]

    def stamps():
        db.session.rollback()
        return [current_stamp(name) for name in names]

    before = stamps()
    assert None not in before[1:4]  # the request renewed its mentor, teacher and queue
    booking = db.session.get(Booking, booking.id)
    lifecycle.transition(booking, BookingStatus.APPROVED, advisor)  # a bulk UPDATE
    db.session.commit()
    district, mentors, teachers, queue, others = stamps()
    assert district == before[0] and others == before[4] is None
    assert mentors != before[1] and teachers != before[2] and queue != before[3]
    booking = db.session.get(Booking, booking.id)
    booking.room = "B12"  # an ORM change after approval: not the queue's business
    db.session.commit()
    assert stamps()[3] == queue
