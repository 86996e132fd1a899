"""Features announce, others subscribe: a closed day cancels its sessions on every path (at the
mentor's school or the teacher's), and merging skills moves every feature's rows."""

from datetime import date, timedelta

import pytest

from helpdesk import create_app
from helpdesk.bookings import commands
from helpdesk.bookings.models import Booking, BookingEvent, BookingStatus
from helpdesk.calendar import closing
from helpdesk.calendar import services as calendar
from helpdesk.calendar.models import Closure
from helpdesk.calendar.signals import day_closed
from helpdesk.finder.services import find_mentors
from helpdesk.mentors.models import MentorSkill, SkillLevel
from helpdesk.notifications.models import Notification
from helpdesk.skills import services as skills
from helpdesk.skills.signals import skills_merged
from tests.bookings.conftest import NOW, SLOT

SNOW_DAY = date(2026, 11, 4)  # SLOT's day, a Wednesday


@pytest.fixture
def sessions(db, world, book, maple_teacher):
    """At 10:00 on the snow day: a Lincoln teacher with Maya (approved) and a Maple teacher with
    Leo (waiting); both mentors are at Lincoln."""
    lincoln = book(topic="Lincoln's own session")
    commands.approve_booking(lincoln, world.advisor)
    maple = book(teacher=maple_teacher, mentor=world.mentor2, topic="Maple teacher's session")
    db.session.commit()
    return lincoln, maple


def _closed_mail(messages):
    return [m for m in messages if m.subject.startswith("School closed")]


def _statuses(db, *bookings) -> list[BookingStatus]:
    for booking in bookings:
        db.session.refresh(booking)
    return [b.status for b in bookings]


def test_closing_the_mentors_school_cancels_both_pairs_with_notice(
    db, world, sessions, outbox, maple_teacher
):
    done = calendar.close_day(world.school, SNOW_DAY, "Snow day", world.advisor, NOW)
    db.session.commit()
    assert done.cancelled == 2 and done.closure.name == "Snow day"
    assert _statuses(db, *sessions) == [BookingStatus.CANCELLED, BookingStatus.CANCELLED]
    for person in (world.teacher, world.mentor, maple_teacher, world.mentor2):
        subjects = [m.subject for m in outbox(person.email)]
        assert any(s.startswith("School closed: session cancelled") for s in subjects), person
    reasons = db.session.scalars(
        db.select(BookingEvent.reason).where(BookingEvent.to_status == "cancelled")
    ).all()
    assert reasons == ["School closed: Snow day"] * 2


def test_closing_the_teachers_school_cancels_only_that_teachers_sessions(
    db, world, sessions, outbox, maple, maple_teacher
):
    lincoln, maple_session = sessions
    done = calendar.close_day(maple, SNOW_DAY, "Snow day", world.advisor, NOW)
    db.session.commit()
    assert done.cancelled == 1
    assert _statuses(db, lincoln, maple_session) == [
        BookingStatus.APPROVED,
        BookingStatus.CANCELLED,
    ]
    # The same notices as a closure at the mentor's school: both sides, in the app and by mail.
    for person in (maple_teacher, world.mentor2):
        [mail] = _closed_mail(outbox(person.email))
        assert mail.subject == "School closed: session cancelled (Maple teacher's session)"
        assert "The school is closed (Snow day)" in mail.body
        assert db.session.scalar(db.select(Notification).where(Notification.user_id == person.id))
    assert all("School closed" not in m.subject for m in outbox(world.teacher.email))
    # The new times offered to the Maple teacher skip the day their school is closed.
    [mail] = _closed_mail(outbox(maple_teacher.email))
    assert "Wed, Nov 4" not in mail.body.split("next open times:")[1]


def test_any_closing_path_cancels_the_import_too(db, world, sessions, maple):
    ics = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//District//EN\r\nBEGIN:VEVENT\r\n"
        b"UID:snow@district\r\nDTSTAMP:20261101T000000Z\r\nDTSTART;VALUE=DATE:20261104\r\n"
        b"SUMMARY:Snow day\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    added = calendar.import_closures(maple, ics, world.advisor, NOW)
    db.session.commit()
    assert [(d.closure.on, d.cancelled) for d in added] == [(SNOW_DAY, 1)]
    assert _statuses(db, *sessions) == [BookingStatus.APPROVED, BookingStatus.CANCELLED]


def test_add_closure_without_an_actor_still_cancels(db, world, sessions):
    calendar.add_closure(world.school, SNOW_DAY, "Water main break")
    db.session.commit()
    assert _statuses(db, *sessions) == [BookingStatus.CANCELLED, BookingStatus.CANCELLED]
    actors = db.session.scalars(
        db.select(BookingEvent.actor_id).where(BookingEvent.to_status == "cancelled")
    ).all()
    assert actors == [None, None]


def _days_offered(teacher, world) -> set[date]:
    matches = find_mentors(
        skill_id=world.skill.id,
        start=SNOW_DAY,
        end=SNOW_DAY + timedelta(days=1),
        session_minutes=30,
        now=NOW,
        teacher=teacher,
    )
    return {s.start_at.date() for m in matches for s in m.slots}


def test_the_finder_offers_a_teacher_no_time_on_a_day_their_school_is_closed(
    db, world, maple, maple_teacher
):
    both_days = {SNOW_DAY, SNOW_DAY + timedelta(days=1)}
    assert _days_offered(maple_teacher, world) == both_days
    calendar.close_day(maple, SNOW_DAY, "Snow day", world.advisor, NOW)
    db.session.commit()
    assert _days_offered(maple_teacher, world) == {SNOW_DAY + timedelta(days=1)}
    assert _days_offered(world.teacher, world) == both_days  # Lincoln is open
    assert _days_offered(None, world) == both_days


def test_booking_a_day_the_teachers_school_is_closed_is_refused(
    db, world, book, maple, maple_teacher
):
    calendar.close_day(maple, SNOW_DAY, "Snow day", world.advisor, NOW)
    db.session.commit()
    with pytest.raises(commands.BookingError, match=r"Your school is closed that day \(Snow day\)"):
        book(teacher=maple_teacher)
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(Booking.id))) == 0


def test_rescheduling_onto_a_day_the_teachers_school_is_closed_is_refused(
    db, world, book, maple, maple_teacher
):
    booking = book(teacher=maple_teacher, starts_at=SLOT + timedelta(days=1))
    commands.approve_booking(booking, world.advisor)
    calendar.close_day(maple, SNOW_DAY, "Snow day", world.advisor, NOW)
    db.session.commit()
    with pytest.raises(commands.BookingError, match="The teacher's school is closed that day"):
        commands.reschedule_booking(booking, maple_teacher, SLOT, NOW)
    db.session.rollback()
    db.session.refresh(booking)
    assert booking.starts_at == SLOT + timedelta(days=1)


def test_reopening_the_teachers_school_restores_its_sessions(db, world, sessions, maple):
    _lincoln, maple_session = sessions
    closure = calendar.close_day(maple, SNOW_DAY, "Snow day", world.advisor, NOW).closure
    db.session.commit()
    preview = closing.preview_reopening(closure, NOW)
    assert [c.booking.id for c in preview.restorable] == [maple_session.id]
    assert closing.reopen_day(closure, world.advisor, {maple_session.id}, NOW) == (1, 0)
    db.session.commit()
    restored = db.session.scalar(
        db.select(Booking).where(
            Booking.id != maple_session.id, Booking.topic == maple_session.topic
        )
    )
    assert restored.status is BookingStatus.REQUESTED and restored.starts_at == SLOT


def test_reopening_one_school_leaves_a_session_the_other_schools_closure_still_holds(
    db, world, sessions, maple
):
    _lincoln, maple_session = sessions
    maple_closure = calendar.close_day(maple, SNOW_DAY, "Snow day", world.advisor, NOW).closure
    calendar.close_day(world.school, SNOW_DAY, "Boiler", world.advisor, NOW)
    db.session.commit()
    [cancelled] = closing.preview_reopening(maple_closure, NOW).cancelled
    assert cancelled.problem == "The mentor's school is still closed that day (Boiler)."
    assert closing.reopen_day(maple_closure, world.advisor, {maple_session.id}, NOW) == (0, 1)


def test_the_closing_preview_lists_what_it_cancels_at_both_schools(
    client, db, world, sessions, login, maple
):
    login(world.advisor)
    page = client.get(
        f"/school-calendar/{maple.id}/close?on={SNOW_DAY.isoformat()}&name=Snow+day"
    ).get_data(as_text=True)
    assert "cancels 1 session" in page
    assert "Maple teacher&#39;s session" in page and "Lincoln&#39;s own session" not in page
    page = client.get(
        f"/school-calendar/{world.school.id}/close?on={SNOW_DAY.isoformat()}&name=Snow+day"
    ).get_data(as_text=True)
    assert "cancels 2 sessions" in page
    assert "Maple teacher&#39;s session" in page and "Lincoln&#39;s own session" in page
    assert _statuses(db, *sessions) == [BookingStatus.APPROVED, BookingStatus.REQUESTED]


def test_closing_through_the_page_cancels_at_the_teachers_school(
    client, db, world, sessions, login, maple
):
    login(world.advisor)
    base = f"/school-calendar/{maple.id}"
    form = {"closure-on": SNOW_DAY.isoformat(), "closure-name": "Snow day", "confirmed": "yes"}
    response = client.post_form(f"{base}/closure", form, page=base)
    assert response.status_code == 302
    assert _statuses(db, *sessions) == [BookingStatus.APPROVED, BookingStatus.CANCELLED]
    assert "1 session that day was cancelled" in client.get(base).get_data(as_text=True)


def test_day_closed_tells_its_receivers_everything(db, world, maple):
    heard = []

    def receiver(school, **details):
        heard.append((school.id, details))

    with day_closed.connected_to(receiver):
        calendar.close_day(maple, SNOW_DAY, "  Snow   day ", world.advisor, NOW)
    assert heard == [
        (maple.id, {"day": SNOW_DAY, "reason": "Snow day", "actor": world.advisor, "now": NOW})
    ]


def test_a_receiver_that_fails_undoes_the_whole_closing(db, world, sessions):
    def broken(_school, **_details):
        raise RuntimeError("boom")

    with day_closed.connected_to(broken), pytest.raises(RuntimeError):
        calendar.close_day(world.school, SNOW_DAY, "Snow day", world.advisor, NOW)
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(Closure.id))) == 0
    assert _statuses(db, *sessions) == [BookingStatus.APPROVED, BookingStatus.REQUESTED]


def test_a_second_app_in_the_process_connects_nothing_twice(app):
    closed, merged = len(day_closed.receivers), len(skills_merged.receivers)
    assert closed >= 1 and merged >= 4  # sessions; mentors, sessions, requests, tips
    create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert (len(day_closed.receivers), len(skills_merged.receivers)) == (closed, merged)


def test_merging_skills_moves_sessions_and_mentors_through_the_signal(db, world, book):
    booking = book()
    target = skills.save_skill(name="Docs", description="", category="Docs")
    # Leo also lists the target, lower: he keeps the higher of his two levels.
    db.session.add(
        MentorSkill(mentor_id=world.mentor2.id, skill_id=target.id, level=SkillLevel.CAN_HELP)
    )
    db.session.commit()
    source_id = world.skill.id
    heard = []

    def receiver(source, *, target, **_):
        heard.append((source.id, target.id))

    with skills_merged.connected_to(receiver):
        skills.merge_skills(world.skill, target)
    db.session.commit()
    assert heard == [(source_id, target.id)]
    db.session.refresh(booking)
    assert booking.skill_id == target.id
    levels = dict(
        db.session.execute(
            db.select(MentorSkill.mentor_id, MentorSkill.level).where(
                MentorSkill.skill_id == target.id
            )
        ).all()
    )
    assert levels == {world.mentor.id: SkillLevel(2), world.mentor2.id: SkillLevel(2)}
    assert (
        db.session.scalar(
            db.select(db.func.count())
            .select_from(MentorSkill)
            .where(MentorSkill.skill_id == source_id)
        )
        == 0
    )


def test_a_failed_merge_receiver_leaves_both_skills_as_they_were(db, world, book):
    booking = book()
    target = skills.save_skill(name="Docs", description="", category="Docs")
    db.session.commit()

    def broken(_source, **_):
        raise RuntimeError("boom")

    with skills_merged.connected_to(broken), pytest.raises(RuntimeError):
        skills.merge_skills(world.skill, target)
    db.session.rollback()
    db.session.refresh(booking)
    assert booking.skill_id == world.skill.id
