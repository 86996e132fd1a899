"""After the workshop: attendance (and the signal), reflections, a tip; and the mentors' time held
in the finder, the load count and the calendar feeds."""

from datetime import timedelta

import pytest

from helpdesk.bookings import calendars
from helpdesk.finder import services as finder
from helpdesk.reflections.models import Reflection
from helpdesk.reflections.services import ReflectionError, ReflectionInput
from helpdesk.tips.models import Tip
from helpdesk.workshops import services
from helpdesk.workshops.signals import workshop_attended
from tests.bookings.conftest import NOW, SLOT
from tests.workshops.conftest import WORKSHOP_AT

AFTER = WORKSHOP_AT + timedelta(hours=2)


@pytest.fixture
def held(db, world, open_workshop):
    """An approved workshop with Helen and Robert seated."""
    workshop = open_workshop(mentor_ids=(world.mentor2.id,))
    services.sign_up(workshop, world.teacher, NOW)
    services.sign_up(workshop, world.teacher2, NOW)
    db.session.commit()
    return workshop


def test_attendance_is_taken_once_after_the_end_and_the_signal_carries_who_came(db, world, held):
    heard = []

    def listener(sender, **extra):
        heard.append((sender, extra))

    with pytest.raises(services.WorkshopError, match="after it ends"):
        services.take_attendance(held, world.mentor, {world.teacher.id}, NOW)
    with pytest.raises(services.WorkshopError, match="after it ends"):
        services.take_attendance(held, world.teacher, {world.teacher.id}, AFTER)
    with workshop_attended.connected_to(listener):
        came = services.take_attendance(held, world.mentor, {world.teacher.id}, AFTER)
        db.session.commit()
        with pytest.raises(services.WorkshopError, match="already been taken"):
            services.take_attendance(held, world.mentor2, {world.teacher2.id}, AFTER)
        db.session.rollback()
    assert came == [world.teacher]
    assert len(heard) == 1
    sender, extra = heard[0]
    assert sender is held
    assert extra["attendees"] == [world.teacher]
    assert {m.id for m in extra["hosts"]} == {world.mentor.id, world.mentor2.id}
    assert extra["minutes"] == 60
    assert services.own_seat(held, world.teacher2).attended is False


def test_only_seated_teachers_can_be_marked(db, world, held, make_user):
    with pytest.raises(services.WorkshopError, match="Only teachers with a seat"):
        services.take_attendance(held, world.advisor, {world.advisor.id}, AFTER)


def test_attendees_and_mentors_reflect_once_and_a_mentor_writes_a_tip(
    client, db, world, held, login
):
    with pytest.raises(ReflectionError):
        services.reflect(held, world.teacher, ReflectionInput(learned="x", rating=5))
    services.take_attendance(held, world.mentor, {world.teacher.id}, AFTER)
    db.session.commit()
    with pytest.raises(ReflectionError, match="those who came"):
        services.reflect(held, world.teacher2, ReflectionInput(learned="x", rating=5))
    with pytest.raises(ReflectionError, match="Say what you learned"):
        services.reflect(held, world.teacher, ReflectionInput(rating=5))
    services.reflect(
        held, world.teacher, ReflectionInput(learned="Suggesting mode", rating=5, kudos="Great!")
    )
    services.reflect(held, world.mentor, ReflectionInput(went_well="Everyone tried it."))
    db.session.commit()
    with pytest.raises(ReflectionError, match="already reflected"):
        services.reflect(held, world.teacher, ReflectionInput(learned="again", rating=4))
    db.session.rollback()
    assert {r.side for r in services.visible_reflections(held, world.advisor)} == {
        "teacher",
        "mentor",
    }
    # teacher sees their own and the mentors'; a mentor who hasn't written sees all (they ran it)
    assert len(services.visible_reflections(held, world.teacher)) == 2
    login(world.mentor)
    page = f"/workshops/{held.id}"
    assert "Write a tip from this workshop" in client.get(page).get_data(as_text=True)
    form = client.get(f"/tips/new?workshop={held.id}").get_data(as_text=True)
    assert "From your workshop" in form
    response = client.post_form(
        f"/tips/new?workshop={held.id}",
        {"title": "Suggesting mode", "body": "Use Suggesting mode.", "skills": world.skill.id,
         "devices": "ipad"},
        page=f"/tips/new?workshop={held.id}",
    )  # fmt: skip
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    tip = db.session.scalar(db.select(Tip))
    assert tip.source_workshop_id == held.id


def test_a_tip_from_someone_elses_workshop_is_404(client, db, world, held, login):
    services.take_attendance(held, world.mentor, set(), AFTER)
    db.session.commit()
    login(world.teacher)
    assert client.get(f"/tips/new?workshop={held.id}").status_code == 403  # teachers write none
    client.post_form("/logout")
    third = _third_mentor(db, world)
    login(third)
    assert client.get(f"/tips/new?workshop={held.id}").status_code == 404


def _third_mentor(db, world):
    from helpdesk.accounts.models import Role, User

    user = User(
        email="third@students.example.org", full_name="Third Mentor", role=Role.MENTOR,
        school=world.school, grade=10, password_hash=world.mentor.password_hash,
    )  # fmt: skip
    db.session.add(user)
    db.session.commit()
    return user


def test_the_reflection_page_flow(client, db, world, held, login):
    services.take_attendance(held, world.mentor, {world.teacher.id}, AFTER)
    db.session.commit()
    login(world.teacher)
    page = f"/workshops/{held.id}"
    response = client.post_form(
        f"{page}/reflect", {"learned": "Version history", "rating": "4"}, page=page,
        follow_redirects=True,
    )  # fmt: skip
    assert "Thank you for reflecting." in response.get_data(as_text=True)
    reflection = db.session.scalar(db.select(Reflection))
    assert reflection.workshop_id == held.id and reflection.booking_id is None
    client.post_form("/logout")
    login(world.teacher2)  # seated but did not come
    assert client.post_form(f"{page}/reflect", {"learned": "x", "rating": "4"}).status_code == 403


def test_the_finder_does_not_offer_a_hosting_mentors_workshop_time(db, world, open_workshop):
    def maya_slots():
        matches = finder.find_mentors(
            skill_id=world.skill.id, start=SLOT.date(), end=SLOT.date(), session_minutes=30,
            now=NOW, mentor_id=world.mentor.id,
        )  # fmt: skip
        return [s.start_at for m in matches for s in m.slots]

    assert SLOT in maya_slots()
    open_workshop(starts_at=SLOT)
    assert SLOT not in maya_slots()


def test_a_hosted_workshop_counts_in_the_mentors_week(db, world, open_workshop):
    candidates, calendars_ = finder._candidate_context(world.skill.id, None, False, None)
    mine = [c for c in candidates if c.mentor_id == world.mentor.id]
    assert finder._sessions_this_week(mine, calendars_, NOW)[world.mentor.id] == 0
    open_workshop(starts_at=SLOT)
    assert finder._sessions_this_week(mine, calendars_, NOW)[world.mentor.id] == 1


def test_feeds_show_the_workshop_to_its_mentors_and_seated_teachers_with_a_stable_uid(
    db, world, held, make_user
):
    from helpdesk.accounts.models import Role

    outsider = make_user(Role.TEACHER, school=world.school)
    for person in (world.mentor, world.mentor2, world.teacher):
        feed = calendars.feed_for(person, NOW).decode()
        assert f"UID:{held.uid}" in feed and "STATUS:CONFIRMED" in feed
    assert held.uid not in calendars.feed_for(outsider, NOW).decode()
    services.leave(held, world.teacher, NOW)
    db.session.commit()
    assert "STATUS:CANCELLED" in calendars.feed_for(world.teacher, NOW).decode()
    services.cancel_workshop(held, world.advisor, "Snow day.", NOW)
    db.session.commit()
    feed = calendars.feed_for(world.teacher2, NOW).decode()
    assert f"UID:{held.uid}" in feed and "STATUS:CANCELLED" in feed
    assert "SEQUENCE:2" in feed  # approved, then cancelled


def test_a_hosted_workshop_renews_the_mentors_finder_stamp(db, world, propose):
    """The finder caches a mentor's open times under their stamp: a workshop must renew it."""
    from helpdesk.finder.cache import person_stamp
    from helpdesk.stamps import current_stamp, renewed_by

    assert person_stamp(world.mentor.id) in renewed_by(
        "workshop_host", lambda column: world.mentor.id
    )
    before = current_stamp(person_stamp(world.mentor2.id))
    propose(mentor_ids=(world.mentor2.id,))
    assert current_stamp(person_stamp(world.mentor2.id)) not in (None, before)


def test_attendance_credits_hours_to_the_teachers_who_came_and_the_mentors_who_led(db, world, held):
    from helpdesk.hours.models import EntryKind, HoursEntry

    services.take_attendance(held, world.mentor, {world.teacher.id}, AFTER)
    db.session.commit()
    entries = db.session.scalars(
        db.select(HoursEntry).where(HoursEntry.kind == EntryKind.WORKSHOP)
    ).all()
    assert {(e.person_id, e.minutes_claimed) for e in entries} == {
        (world.teacher.id, 60),
        (world.mentor.id, 60),
        (world.mentor2.id, 60),
    }
    assert all(e.title == f"Workshop: {held.title}" for e in entries)
