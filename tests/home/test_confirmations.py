"""Merging skills, deactivating a person and approving in bulk show what they will do first;
nothing changes without the confirming POST."""

from datetime import timedelta

from helpdesk.bookings import commands
from helpdesk.bookings.models import Booking, BookingStatus
from helpdesk.mentors.models import MentorSkill
from helpdesk.requests import services as desk
from helpdesk.skills.models import Skill
from helpdesk.skills.services import save_skill
from helpdesk.tips import services as tips
from helpdesk.tips.models import Device
from tests.bookings.conftest import SLOT


def test_merging_skills_counts_what_moves_and_waits_for_the_confirmation(
    client, db, world, login, book, make_mentor, clock
):
    docs = world.skill
    typo = save_skill(name="Gogle Docs", description="", category="Docs")
    make_mentor("Ana Lopez", world.school, {typo: 3})
    make_mentor("Sam Ortiz", world.school, {typo: 1, docs: 2})  # has both
    booking = book()
    booking.skill_id = typo.id
    desk.open_request(
        world.teacher, desk.NewRequest(skill_id=typo.id, summary="Sharing"), clock.now
    )
    db.session.commit()
    login(world.advisor)

    typo_id, docs_id = typo.id, docs.id
    form = {"merge-source_id": typo_id, "merge-target_id": docs_id}
    response = client.post_form("/skills/merge", form, page="/skills/")
    assert response.status_code == 302 and "/skills/merge?source=" in response.location
    assert db.session.get(Skill, typo.id) is not None

    page = client.get(response.location).get_data(as_text=True)
    assert "Merge Gogle Docs into Google Docs?" in page
    assert (
        "2 mentors listing Gogle Docs will list Google Docs; 1 mentor with both keeps the higher"
        in page
    )
    assert "1 session moves to Google Docs; 1 of them is still to come" in page
    assert "0 tips in the library" in page
    assert "1 help request moves to Google Docs" in page
    assert db.session.get(Skill, typo.id) is not None

    client.post_form("/skills/merge", {**form, "confirmed": "yes"}, page="/skills/")
    db.session.expire_all()
    assert db.session.get(Skill, typo_id) is None
    assert db.session.get(Booking, booking.id).skill_id == docs_id
    assert db.session.scalar(
        db.select(db.func.count()).select_from(MentorSkill).where(MentorSkill.skill_id == docs_id)
    ) == 4  # fmt: skip


def test_deactivating_lists_what_stays_and_waits_for_the_confirmation(
    client, db, world, login, book, clock
):
    booking = book()
    request = desk.open_request(
        world.teacher2, desk.NewRequest(skill_id=world.skill.id, summary="Projector"), clock.now
    )
    desk.claim_request(request, world.mentor, clock.now)
    db.session.commit()
    login(world.advisor)

    response = client.post_form(f"/people/{world.mentor.id}/deactivate", page="/people/")
    assert response.status_code == 302 and response.location.endswith("/deactivate")
    db.session.refresh(world.mentor)
    assert world.mentor.is_active

    page = client.get(response.location).get_data(as_text=True)
    assert "Deactivate Maya Chen?" in page
    assert "1 upcoming session: choose what happens" in page
    assert f'href="/sessions/{booking.id}">Sharing a Doc with my class</a>' in page
    assert "1 help request they claimed goes back to the queue" in page
    assert "Teachers can no longer find or book them." in page

    client.post_form(
        f"/people/{world.mentor.id}/deactivate",
        {"confirmed": "yes", f"session-{booking.id}": "cancel"},
        page="/people/",
    )
    db.session.refresh(world.mentor)
    assert not world.mentor.is_active
    assert db.session.get(Booking, booking.id).status is BookingStatus.CANCELLED


def test_deactivate_page_refuses_oneself_and_unknown_people(client, db, world, login):
    login(world.advisor)
    assert client.get(f"/people/{world.advisor.id}/deactivate").status_code == 302
    assert client.get("/people/9999/deactivate").status_code == 404
    client.post_form("/logout")
    login(world.teacher)
    assert client.get(f"/people/{world.mentor.id}/deactivate").status_code == 403


def test_bulk_approval_shows_the_sessions_and_invitations_first(
    client, db, world, login, book, outbox
):
    first = book()
    second = book(teacher=world.teacher2, mentor=world.mentor2)
    third = book(starts_at=SLOT + timedelta(days=1))
    commands.decline_booking(third, world.advisor, "Mentor away")
    db.session.commit()
    login(world.advisor)
    ids = [first.id, second.id, third.id]

    response = client.post_form(
        "/sessions/queue/approve", {"booking_id": ids}, page="/sessions/queue"
    )
    assert (
        response.status_code == 302 and "/sessions/queue/approve?booking_id=" in response.location
    )
    assert {b.status for b in (first, second) if not db.session.refresh(b)} == {
        BookingStatus.REQUESTED
    }
    page = client.get(response.location).get_data(as_text=True)
    assert "Approve 2 sessions?" in page
    assert "sends 4 calendar invitations" in page
    assert "1 selected session was decided meanwhile" in page and "(declined)" in page
    assert page.count('name="booking_id"') == 2  # the declined one is not sent again

    before = len(outbox())
    client.post_form(
        "/sessions/queue/approve", {"booking_id": ids, "confirmed": "yes"}, page="/sessions/queue"
    )
    for b in (first, second):
        db.session.refresh(b)
    assert {first.status, second.status} == {BookingStatus.APPROVED}
    assert len([m for m in outbox()[before:] if m.calendar_method == "REQUEST"]) == 4


def test_bulk_approval_with_nothing_selected_goes_back_to_the_queue(client, db, world, login):
    login(world.advisor)
    response = client.get("/sessions/queue/approve")
    assert response.status_code == 302 and response.location.endswith("/sessions/queue")


def test_a_tip_count_reaches_the_merge_page(client, db, world, login, book, clock):
    typo = save_skill(name="Docs (old)", description="", category="Docs")
    booking = book()
    commands.approve_booking(booking, world.advisor)
    clock.now = booking.ends_at + timedelta(minutes=1)
    from helpdesk.reflections.services import complete_session

    complete_session(
        booking, world.mentor, clock.now, showed_up=True, covered="x", steps="", links=""
    )
    tips.create_tip(
        author=world.mentor,
        title="T",
        body="B",
        skills=[typo],
        devices=[Device.ANY],
        booking=booking,
    )
    db.session.commit()
    login(world.advisor)
    page = client.get(f"/skills/merge?source={typo.id}&target={world.skill.id}").get_data(
        as_text=True
    )
    assert "1 tip in the library will be filed under Google Docs." in page
