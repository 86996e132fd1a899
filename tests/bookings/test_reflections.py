import pytest

from helpdesk.bookings import commands
from helpdesk.bookings.models import BookingStatus
from helpdesk.reflections import services as reflections
from helpdesk.reflections.models import Reflection
from tests.bookings.conftest import SLOT

TEACHER_REFLECTION = {
    "learned": "How to share with comment-only access.",
    "view_change": "Less scary than I thought.",
    "classroom_use": "Peer review of essays.",
    "rating": "5",
    "kudos": "Maya was so patient!",
}
MENTOR_REFLECTION = {
    "went_well": "We found the share settings fast.",
    "try_next": "Try suggestion mode.",
}


@pytest.fixture
def done(db, world, book, clock):
    booking = book()
    commands.approve_booking(booking, world.advisor)
    db.session.commit()
    clock.now = SLOT.replace(hour=16)  # after the session
    return booking


def _complete(client, booking, **data):
    form = {
        "outcome": "completed",
        "covered": "Sharing settings",
        "steps": "1. Share\n2. Commenter",
        "links": "https://support.google.com/docs",
    }
    return client.post_form(
        f"/sessions/{booking.id}/complete", {**form, **data}, page=f"/sessions/{booking.id}"
    )


def test_mentor_closes_the_session_with_notes_then_both_reflect(
    client, db, world, login, done, outbox
):
    login(world.mentor)
    page = client.get(f"/sessions/{done.id}").get_data(as_text=True)
    assert "Close the session" in page
    _complete(client, done)
    db.session.refresh(done)
    assert done.status is BookingStatus.COMPLETED
    page = client.get(f"/sessions/{done.id}").get_data(as_text=True)
    assert "Sharing settings" in page and "Write a tip from this session" in page
    client.post_form(f"/sessions/{done.id}/reflect", MENTOR_REFLECTION, page=f"/sessions/{done.id}")
    page = client.get(f"/sessions/{done.id}").get_data(as_text=True)
    assert "The other side has not shared theirs yet." in page
    client.post_form("/logout")

    login(world.teacher)
    home = client.get("/").get_data(as_text=True)
    assert "How did these go?" in home and "Sharing a Doc with my class" in home
    page = client.get(f"/sessions/{done.id}").get_data(as_text=True)
    assert "What did you learn?" in page
    assert MENTOR_REFLECTION["went_well"] not in page  # not before sharing my own
    client.post_form(
        f"/sessions/{done.id}/reflect", TEACHER_REFLECTION, page=f"/sessions/{done.id}"
    )
    page = client.get(f"/sessions/{done.id}").get_data(as_text=True)
    assert MENTOR_REFLECTION["went_well"] in page and TEACHER_REFLECTION["learned"] in page
    assert "How did these go?" not in client.get("/").get_data(as_text=True)
    assert "0.5 hours waiting for the advisor" in client.get("/").get_data(as_text=True)
    client.post_form("/logout")

    login(world.mentor)
    page = client.get(f"/sessions/{done.id}").get_data(as_text=True)
    assert TEACHER_REFLECTION["learned"] in page and "Maya was so patient!" in page
    assert "· 1 kudos" in client.get("/").get_data(as_text=True)


def test_reflections_are_invisible_to_other_teachers_and_mentors(
    client, db, world, login, done, make_user
):
    reflections.complete_session(
        done, world.mentor, SLOT.replace(hour=16), showed_up=True, covered="x", steps="", links=""
    )
    reflections.reflect(
        done, world.teacher, reflections.ReflectionInput(learned="secret insight", rating=4)
    )
    db.session.commit()
    for outsider in (world.teacher2, world.mentor2):
        login(outsider)
        assert client.get(f"/sessions/{done.id}").status_code == 404
        assert (
            client.post_form(f"/sessions/{done.id}/reflect", MENTOR_REFLECTION).status_code == 404
        )
        client.post_form("/logout")
    login(world.advisor)
    assert "secret insight" in client.get(f"/sessions/{done.id}").get_data(as_text=True)


def test_only_the_mentor_or_advisor_closes_and_only_after_the_end(
    client, db, world, login, done, clock
):
    login(world.teacher)
    _complete(client, done)
    db.session.refresh(done)
    assert done.status is BookingStatus.APPROVED
    client.post_form("/logout")
    clock.now = SLOT.replace(minute=10)  # still running
    login(world.mentor)
    _complete(client, done)
    db.session.refresh(done)
    assert done.status is BookingStatus.APPROVED


def test_no_show_needs_no_notes(client, db, world, login, done):
    login(world.mentor)
    _complete(client, done, outcome="no_show", covered="")
    db.session.refresh(done)
    assert done.status is BookingStatus.NO_SHOW


def test_bad_reflections_are_refused_and_written_once(db, world, done):
    reflections.complete_session(
        done, world.mentor, SLOT.replace(hour=16), showed_up=True, covered="x", steps="", links=""
    )
    with pytest.raises(reflections.ReflectionError, match="Rate the session"):
        reflections.reflect(done, world.teacher, reflections.ReflectionInput(learned="x", rating=9))
    with pytest.raises(reflections.ReflectionError, match="what you learned"):
        reflections.reflect(done, world.teacher, reflections.ReflectionInput(rating=3))
    reflections.reflect(done, world.teacher, reflections.ReflectionInput(learned="x", rating=3))
    with pytest.raises(reflections.ReflectionError, match="already reflected"):
        reflections.reflect(
            done, world.teacher, reflections.ReflectionInput(learned="again", rating=3)
        )
    with pytest.raises(reflections.ReflectionError):
        reflections.reflect(
            done, world.teacher2, reflections.ReflectionInput(learned="x", rating=3)
        )
    assert db.session.scalar(db.select(db.func.count(Reflection.id))) == 1


def test_a_good_past_session_ranks_the_mentor_higher_for_that_teacher(db, world, done):
    from helpdesk.finder.services import find_mentors

    reflections.complete_session(
        done, world.mentor, SLOT.replace(hour=16), showed_up=True, covered="x", steps="", links=""
    )
    reflections.reflect(done, world.teacher, reflections.ReflectionInput(learned="x", rating=5))
    db.session.commit()
    now = SLOT.replace(day=9, hour=14)  # the next week, so this week's load is equal
    day = SLOT.date().replace(day=11)
    for_teacher = find_mentors(
        skill_id=world.skill.id,
        start=day,
        end=day,
        session_minutes=30,
        now=now,
        teacher=world.teacher,
    )
    assert [m.mentor.id for m in for_teacher][0] == world.mentor.id
    assert for_teacher[0].good_past_sessions == 1
    for_other = find_mentors(
        skill_id=world.skill.id,
        start=day,
        end=day,
        session_minutes=30,
        now=now,
        teacher=world.teacher2,
    )
    assert all(m.good_past_sessions == 0 for m in for_other)
