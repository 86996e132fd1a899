import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from helpdesk.accounts.models import Role
from helpdesk.bookings import commands, jobs, lists
from helpdesk.bookings.lifecycle import transition
from helpdesk.bookings.models import Booking, BookingEvent, BookingStatus
from helpdesk.mail.models import OutboxMessage
from tests.bookings.conftest import NOW, SLOT, booking_page, later

FORM = {
    "topic": "Sharing a Doc",
    "learning_goal": "Share a Doc so students can comment.",
    "format": "in_person",
    "room": "B12",
    "agrees_to_norms": "y",
}


def _count(db, model=Booking) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def _post_booking(client, world, data=None, **kwargs):
    page = booking_page(world, **kwargs)
    html = client.get(page).get_data(as_text=True)
    key = re.search(r'name="request_key" type="hidden" value="([^"]+)"', html).group(1)
    return client.post_form(page, {**FORM, "request_key": key, **(data or {})}, page=page), key


def test_teacher_books_a_slot_from_find_a_mentor(client, db, world, login, outbox):
    login(world.teacher)
    find = client.get(
        f"/find/?skill_id={world.skill.id}&start=2026-11-04&end=2026-11-04&minutes=30"
    ).get_data(as_text=True)
    links = [html.unescape(h) for h in re.findall(r'href="(/sessions/new\?[^"]+)"', find)]
    wanted = {
        "mentor": [str(world.mentor.id)],
        "skill": [str(world.skill.id)],
        "start": [SLOT.isoformat()],
        "minutes": ["30"],
    }
    assert any(parse_qs(urlsplit(link).query) == wanted for link in links), links
    page = client.get(booking_page(world)).get_data(as_text=True)
    assert "Program norms" in page and "Wed, Nov 4, 2026 · Period 4 · 10:00–10:30 AM" in page

    response, _ = _post_booking(client, world)
    assert response.status_code == 302
    booking = db.session.scalar(db.select(Booking))
    assert booking.status is BookingStatus.REQUESTED and booking.norms_agreed_at is not None
    assert response.headers["Location"] == f"/sessions/{booking.id}"
    recipients = {m.to_address for m in outbox()}
    assert recipients == {world.advisor.email, world.mentor.email}
    # the slot is held: nobody else sees it
    assert (
        "Period 4 · 10:00"
        not in client.get(
            f"/find/?skill_id={world.skill.id}&start=2026-11-04&end=2026-11-04&minutes=30"
        )
        .get_data(as_text=True)
        .split("Leo M.")[0]
        .split("Maya C.")[-1]
    )


def test_learning_goal_and_norms_are_required(client, db, world, login):
    login(world.teacher)
    response, _ = _post_booking(client, world, {"learning_goal": ""})
    assert "Every session needs a learning goal." in response.get_data(as_text=True)
    response, _ = _post_booking(client, world, {"agrees_to_norms": ""})
    assert "agree to the program norms" in response.get_data(as_text=True)
    response, _ = _post_booking(
        client, world, {"format": "online", "meeting_url": "javascript:alert(1)"}
    )
    assert "meeting link" in response.get_data(as_text=True)
    assert _count(db) == 0


def test_norms_are_asked_only_the_first_time(client, db, world, login, book):
    book()
    login(world.teacher)
    assert "Program norms" not in client.get(booking_page(world, starts_at=later(1))).get_data(
        as_text=True
    )


def test_submitting_the_same_form_twice_makes_one_booking(client, db, world, login):
    login(world.teacher)
    page = booking_page(world)
    html = client.get(page).get_data(as_text=True)
    key = re.search(r'name="request_key" type="hidden" value="([^"]+)"', html).group(1)
    first = client.post_form(page, {**FORM, "request_key": key}, page=page)
    second = client.post_form(page, {**FORM, "request_key": key}, page=page)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert _count(db) == 1


def test_a_taken_slot_gets_a_friendly_refusal_with_other_times(client, db, world, login, book):
    book(teacher=world.teacher2)
    login(world.teacher)
    response, _ = _post_booking(client, world)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "That time was just taken." in html
    assert "Other open times" in html and "Leo M." in html
    assert _count(db) == 1


def test_bad_booking_links_go_back_to_find(client, world, login):
    login(world.teacher)
    for query in (
        "",
        "?mentor=abc",
        f"?mentor={world.mentor.id}&skill={world.skill.id}&start=2026-11-04T10:00&minutes=30",
        f"?mentor={world.teacher.id}&skill=1&start={SLOT.isoformat()}&minutes=30",
    ):
        response = client.get("/sessions/new" + query)
        assert response.status_code == 302 and response.headers["Location"] == "/find/"


def test_advisor_approves_and_both_get_an_invitation(client, db, world, login, book, outbox):
    booking = book()
    login(world.advisor)
    queue = client.get("/sessions/queue").get_data(as_text=True)
    assert "Sharing a Doc with my class" in queue
    response = client.post_form(f"/sessions/{booking.id}/approve", page=f"/sessions/{booking.id}")
    assert response.status_code == 302
    db.session.refresh(booking)
    assert booking.status is BookingStatus.APPROVED and booking.sequence == 1
    invites = [m for m in outbox() if m.calendar_method == "REQUEST"]
    assert {m.to_address for m in invites} == {world.teacher.email, world.mentor.email}
    teacher_mail = next(m for m in invites if m.to_address == world.teacher.email)
    assert "METHOD:REQUEST" in teacher_mail.calendar_data
    assert world.mentor.email not in teacher_mail.body + teacher_mail.calendar_data
    assert "Maya C." in teacher_mail.body and "Chen" not in teacher_mail.body


def test_a_student_email_never_reaches_a_teacher(db, world, book, outbox, client, login):
    booking = book()
    commands.approve_booking(booking, world.advisor)
    commands.reschedule_booking(booking, world.teacher, later(1), NOW)
    commands.cancel_booking(booking, world.teacher, "Clash with a meeting", NOW)
    db.session.commit()
    for message in outbox(world.teacher.email):
        assert world.mentor.email not in message.body + (message.calendar_data or "")
    login(world.teacher)
    assert world.mentor.email not in client.get(f"/sessions/{booking.id}").get_data(as_text=True)


def test_second_approval_is_told_it_was_already_decided(db, world, book):
    booking = book()
    commands.approve_booking(booking, world.advisor)
    db.session.commit()
    with pytest.raises(commands.BookingError, match="already decided"):
        commands.approve_booking(booking, world.advisor)


def test_who_may_not(client, db, world, login, book, make_user):
    booking = book()
    login(world.teacher)
    assert (
        client.post_form(
            f"/sessions/{booking.id}/approve", page=f"/sessions/{booking.id}"
        ).status_code
        == 403
    )
    assert client.get("/sessions/queue").status_code == 403
    client.post_form("/logout")
    login(world.mentor2)
    assert client.get(f"/sessions/{booking.id}").status_code == 404
    assert client.get(f"/sessions/{booking.id}/session.ics").status_code == 404
    assert "Sharing a Doc" not in client.get("/sessions/").get_data(as_text=True)
    client.post_form("/logout")
    login(world.teacher2)
    assert client.get(f"/sessions/{booking.id}").status_code == 404
    assert client.post_form(f"/sessions/{booking.id}/cancel", {"reason": "x"}).status_code == 404
    assert client.get("/sessions/99999").status_code == 404
    db.session.refresh(booking)
    assert booking.status is BookingStatus.REQUESTED


def test_mentor_declines_with_a_reason(client, db, world, login, book, outbox):
    booking = book()
    login(world.mentor)
    no_reason = client.post_form(
        f"/sessions/{booking.id}/decline", {"reason": ""}, page=f"/sessions/{booking.id}"
    )
    assert no_reason.status_code == 302
    db.session.refresh(booking)
    assert booking.status is BookingStatus.REQUESTED
    client.post_form(
        f"/sessions/{booking.id}/decline",
        {"reason": "I have a test that day"},
        page=f"/sessions/{booking.id}",
    )
    db.session.refresh(booking)
    assert booking.status is BookingStatus.DECLINED
    assert any("I have a test that day" in m.body for m in outbox(world.teacher.email))


def test_illegal_steps_are_refused_and_history_is_kept(db, world, book):
    booking = book()
    with pytest.raises(commands.BookingError):
        transition(booking, BookingStatus.COMPLETED, world.advisor)
    commands.approve_booking(booking, world.advisor)
    commands.cancel_booking(booking, world.teacher, "Snow", NOW)
    db.session.commit()
    with pytest.raises(commands.BookingError):
        commands.approve_booking(booking, world.advisor)
    steps = [
        (e.from_status, e.to_status, e.actor_id)
        for e in db.session.scalars(db.select(BookingEvent).order_by(BookingEvent.id))
    ]
    assert steps == [
        (None, "requested", world.teacher.id),
        ("requested", "approved", world.advisor.id),
        ("approved", "cancelled", world.teacher.id),
    ]


def test_cancel_needs_a_reason_and_frees_the_slot(client, db, world, login, book, outbox):
    booking = book()
    commands.approve_booking(booking, world.advisor)
    db.session.commit()
    login(world.teacher)
    client.post_form(
        f"/sessions/{booking.id}/cancel", {"reason": ""}, page=f"/sessions/{booking.id}"
    )
    db.session.refresh(booking)
    assert booking.status is BookingStatus.APPROVED
    client.post_form(
        f"/sessions/{booking.id}/cancel",
        {"reason": "Assembly moved"},
        page=f"/sessions/{booking.id}",
    )
    db.session.refresh(booking)
    assert booking.status is BookingStatus.CANCELLED
    cancel = [m for m in outbox(world.mentor.email) if m.calendar_method == "CANCEL"]
    assert (
        cancel
        and "METHOD:CANCEL" in cancel[0].calendar_data
        and "STATUS:CANCELLED" in cancel[0].calendar_data
    )
    assert booking.uid in cancel[0].calendar_data
    # the slot is free again
    assert any(
        s.start_at == SLOT for s in lists.open_slots(world.mentor, world.skill.id, SLOT, 30, NOW)
    )


def test_reassign_to_another_free_mentor(client, db, world, login, book):
    booking = book()
    login(world.advisor)
    page = client.get(f"/sessions/{booking.id}").get_data(as_text=True)
    assert f'<option value="{world.mentor2.id}">Leo M.</option>' in page
    client.post_form(
        f"/sessions/{booking.id}/reassign",
        {"reassign-mentor_id": world.mentor2.id},
        page=f"/sessions/{booking.id}",
    )
    db.session.refresh(booking)
    assert booking.mentor_id == world.mentor2.id and booking.status is BookingStatus.REQUESTED


def test_bulk_approve(client, db, world, login, book):
    first = book()
    second = book(teacher=world.teacher2, mentor=world.mentor2)
    login(world.advisor)
    client.post_form(
        "/sessions/queue/approve",
        {"booking_id": [first.id, second.id], "confirmed": "yes"},
        page="/sessions/queue",
    )
    assert {b.status for b in db.session.scalars(db.select(Booking))} == {BookingStatus.APPROVED}
    assert "Approved 2 sessions." in client.get("/sessions/queue").get_data(as_text=True)


def test_reschedule_keeps_uid_and_history(client, db, world, login, book):
    booking = book()
    commands.approve_booking(booking, world.advisor)
    db.session.commit()
    uid, sequence = booking.uid, booking.sequence
    login(world.teacher)
    page = client.get(f"/sessions/{booking.id}").get_data(as_text=True)
    assert later(1).isoformat() in page
    client.post_form(
        f"/sessions/{booking.id}/reschedule",
        {"reschedule-starts_at": later(1).isoformat()},
        page=f"/sessions/{booking.id}",
    )
    db.session.refresh(booking)
    assert booking.starts_at == later(1) and booking.uid == uid and booking.sequence == sequence + 1
    assert booking.status is BookingStatus.APPROVED
    assert "Rescheduled from" in client.get(f"/sessions/{booking.id}").get_data(as_text=True)


def test_reschedule_to_a_time_that_is_not_open_is_refused(db, world, book):
    booking = book()
    commands.approve_booking(booking, world.advisor)
    with pytest.raises(commands.SlotTaken):
        commands.reschedule_booking(booking, world.teacher, SLOT.replace(hour=3), NOW)


def test_send_reminders_twice_sends_each_once(app, db, world, book, clock, outbox):
    booking = book()
    commands.approve_booking(booking, world.advisor)
    db.session.commit()
    before = len(outbox())
    clock.now = SLOT.replace(hour=1)  # the evening before
    runner = app.test_cli_runner()
    assert "Reminders sent: 1\n" in runner.invoke(args=["send-reminders"]).output
    assert "Reminders sent: 0\n" in runner.invoke(args=["send-reminders"]).output
    reminders = [m for m in outbox()[before:] if m.subject.startswith("Reminder")]
    assert sorted(m.to_address for m in reminders) == sorted(
        [world.teacher.email, world.mentor.email]
    )


def test_undecided_requests_expire_and_free_the_slot(app, db, world, book, clock):
    booking = book()
    clock.now = SLOT.replace(hour=3)  # inside the 24-hour minimum notice
    assert "Expired requests: 1\n" in app.test_cli_runner().invoke(args=["send-reminders"]).output
    db.session.refresh(booking)
    assert booking.status is BookingStatus.EXPIRED


def test_advisor_digest_goes_once_a_day(db, world, book, outbox):
    book()
    assert jobs.send_advisor_digest(NOW).done == 1
    assert jobs.send_advisor_digest(NOW).done == 0
    subjects = [m.subject for m in outbox(world.advisor.email)]
    assert subjects.count("1 session request waits for approval") == 1


def test_closing_a_day_cancels_its_sessions_and_offers_new_times(
    client, db, world, login, book, outbox
):
    booking = book()
    commands.approve_booking(booking, world.advisor)
    db.session.commit()
    login(world.advisor)
    base = f"/school-calendar/{world.school.id}"
    closing = {"closure-on": "2026-11-04", "closure-name": "Snow day"}
    response = client.post_form(f"{base}/closure", closing, page=base)
    assert response.status_code == 302  # to the consequences, first
    db.session.refresh(booking)
    assert booking.status is BookingStatus.APPROVED
    response = client.post_form(f"{base}/closure", {**closing, "confirmed": "yes"}, page=base)
    assert response.status_code == 302
    db.session.refresh(booking)
    assert booking.status is BookingStatus.CANCELLED
    [mail] = [m for m in outbox(world.teacher.email) if m.subject.startswith("School closed")]
    assert "Snow day" in mail.body and "Thu, Nov 5, 2026, 10:00 AM" in mail.body
    assert mail.calendar_method == "CANCEL"


def test_my_sessions_and_the_week_view(client, db, world, login, book):
    book()
    login(world.mentor)
    assert "Sharing a Doc with my class" in client.get("/sessions/").get_data(as_text=True)
    client.post_form("/logout")
    login(world.advisor)
    week = client.get("/sessions/week?start=2026-11-02").get_data(as_text=True)
    assert "Wed, Nov 4, 2026" in week and "10:00 AM Sharing a Doc with my class" in week


def test_notifications_show_an_unread_count(client, db, world, login, book):
    book()
    login(world.mentor)
    home = client.get("/").get_data(as_text=True)
    assert 'class="badge">1<' in home
    client.post_form("/notifications/read", page="/notifications/")
    assert 'class="badge"' not in client.get("/").get_data(as_text=True)


def test_overlap_guard_exists_in_the_database(db, world):
    if db.engine.dialect.name == "postgresql":
        names = set(
            db.session.scalars(db.text("SELECT conname FROM pg_constraint WHERE contype = 'x'"))
        )
        assert {"ex_booking_mentor_overlap", "ex_booking_teacher_overlap"} <= names
    else:
        names = set(
            db.session.scalars(db.text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
        )
        assert {"booking_no_overlap_insert", "booking_no_overlap_update"} <= names


def test_database_refuses_an_overlapping_insert_even_without_the_service(db, world, book):
    from sqlalchemy.exc import IntegrityError

    from helpdesk.bookings.models import BookingFormat

    book()
    clash = Booking(
        mentor_id=world.mentor.id,
        teacher_id=world.teacher2.id,
        skill_id=world.skill.id,
        starts_at=SLOT.replace(minute=15),
        ends_at=SLOT.replace(minute=45),
        topic="x",
        learning_goal="y",
        format=BookingFormat.ONLINE,
    )
    db.session.add(clash)
    with pytest.raises(IntegrityError) as error:
        db.session.flush()
    assert commands.is_overlap(error.value)
    db.session.rollback()
    assert _count(db) == 1
    assert _count(db, OutboxMessage) >= 1
    assert Role.MENTOR
