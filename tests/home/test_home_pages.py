"""Each role's home page counts what waits for them, and the counts follow the data."""

from datetime import timedelta

from helpdesk.accounts.models import Role
from helpdesk.bookings import commands
from helpdesk.bookings.models import Booking
from helpdesk.calendar import services as calendar
from helpdesk.mail.models import MailStatus, OutboxMessage
from helpdesk.reflections import services as reflections
from helpdesk.requests import services as desk
from helpdesk.tips import services as tips
from helpdesk.tips.models import Device
from tests.bookings.conftest import SLOT


def _ask(db, teacher, skill, now, summary="The projector shows nothing"):
    request = desk.open_request(teacher, desk.NewRequest(skill_id=skill.id, summary=summary), now)
    db.session.commit()
    return request


def _complete(db, world, booking: Booking, clock) -> None:
    clock.now = booking.ends_at + timedelta(minutes=5)
    reflections.complete_session(
        booking, world.mentor, clock.now, showed_up=True, covered="Sharing", steps="", links=""
    )
    db.session.commit()


def test_teacher_home_follows_requests_sessions_reflections_and_help(
    db, world, book, clock, client, login, home
):
    login(world.teacher)
    assert home()["waiting for approval"] == "0 session requests"
    assert "No session booked yet." in client.get("/").get_data(as_text=True)
    booking = book()
    assert home()["waiting for approval"] == "1 session request"

    commands.approve_booking(booking, world.advisor)
    db.session.commit()
    assert home()["waiting for approval"] == "0 session requests"
    page = client.get("/").get_data(as_text=True)
    assert f'href="/sessions/{booking.id}">Sharing a Doc with my class</a> with Maya C.' in page
    assert 'action="/tips/"' in page and 'name="q"' in page  # the tip search is a GET form

    _complete(db, world, booking, clock)
    assert home()["to reflect on"] == "1 session"
    assert "No session booked yet." in client.get("/").get_data(as_text=True)
    reflections.reflect(
        booking, world.teacher, reflections.ReflectionInput(learned="Comment-only", rating=5)
    )
    db.session.commit()
    assert home()["to reflect on"] == "0 sessions"

    assert home()["open"] == "0 help requests"
    help_request = _ask(db, world.teacher, world.skill, clock.now)
    assert home()["open"] == "1 help request"
    desk.close_request(help_request, world.teacher, "Fixed it myself")
    db.session.commit()
    assert home()["open"] == "0 help requests"


def test_mentor_home_follows_session_requests_the_desk_and_today(
    db, world, book, clock, client, login, home
):
    login(world.mentor)
    counts = home()
    assert counts["waiting for the advisor"] == "0 session requests"
    assert counts["for your skills"] == "0 open help requests"
    booking = book()
    assert home()["waiting for the advisor"] == "1 session request"
    book(mentor=world.mentor2, starts_at=SLOT + timedelta(days=1))  # another mentor's: not counted
    assert home()["waiting for the advisor"] == "1 session request"

    help_request = _ask(db, world.teacher, world.skill, clock.now)
    assert home()["for your skills"] == "1 open help request"
    desk.claim_request(help_request, world.mentor, clock.now)
    db.session.commit()
    counts = home()
    assert counts["for your skills"] == "0 open help requests"
    assert counts["you are on"] == "1 help request"

    commands.approve_booking(booking, world.advisor)
    db.session.commit()
    assert "No sessions today." in client.get("/").get_data(as_text=True)
    clock.now = booking.starts_at - timedelta(hours=2)  # the morning of the session
    page = client.get("/").get_data(as_text=True)
    assert f'href="/sessions/{booking.id}">Sharing a Doc with my class</a>' in page

    _complete(db, world, booking, clock)
    page = client.get("/").get_data(as_text=True)
    # From the hours ledger: the session's half hour waits for the advisor to verify it.
    assert (
        "<strong>0 verified service hours</strong> · 0.5 hours waiting for the advisor · 1 session"
        in page
    )


def test_advisor_home_counts_approvals_tips_mail_overdue_and_closures(
    db, world, book, clock, client, login, home
):
    login(world.advisor)
    counts = home()
    assert counts["waiting for approval"] == "0 session requests"
    assert counts["to review"] == "0 tips"
    assert counts["past its target"] == "0 help requests"
    assert "Needs attention" not in client.get("/").get_data(as_text=True)

    booking = book()
    clock.advance(days=1, hours=3)
    book(teacher=world.teacher2, mentor=world.mentor2)
    page = client.get("/").get_data(as_text=True)
    assert home()["waiting for approval"] == "2 session requests"
    assert "The oldest has waited 27 hours." in page
    assert home()["this week"] == "2 sessions"

    commands.approve_booking(booking, world.advisor)
    _complete(db, world, booking, clock)
    tip = tips.create_tip(
        author=world.mentor, title="Comment-only sharing", body="Share, then Commenter.",
        skills=[world.skill], devices=[Device.ANY], booking=booking,
    )  # fmt: skip
    tips.submit_tip(tip, by=world.mentor)
    db.session.commit()
    counts = home()
    assert counts["waiting for approval"] == "1 session request"
    assert counts["to review"] == "1 tip"

    # A help request unanswered for more than the desk's first-response hours is overdue.
    _ask(db, world.teacher, world.skill, clock.now)
    assert home()["past its target"] == "0 help requests"
    clock.advance(days=2)
    assert home()["past its target"] == "1 help request"

    db.session.add(
        OutboxMessage(to_address="x@example.org", subject="s", body="b", status=MailStatus.FAILED)
    )
    db.session.commit()
    assert home()["could not be delivered"] == "1 email"

    # Closing a day that had a session: the home page says so until two weeks after it.
    waiting = db.session.scalar(db.select(Booking).where(Booking.teacher_id == world.teacher2.id))
    day = waiting.starts_at.date()
    closure = calendar.add_closure(world.school, day, "Snow day", world.advisor, clock.now)
    db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert "Snow day" in page and "Closing it cancelled 1 session; both sides were offered" in page
    clock.now = waiting.starts_at + timedelta(days=15)
    assert "Snow day" not in client.get("/").get_data(as_text=True)
    assert closure.id


def test_staff_home_searches_tips_and_lists_the_newest(
    db, world, book, clock, client, make_user, login, home
):
    staff = make_user(Role.STAFF, school=world.school)
    login(staff)
    page = client.get("/").get_data(as_text=True)
    assert "Search 0 tips in the library." in page and 'action="/tips/"' in page
    booking = book()
    commands.approve_booking(booking, world.advisor)
    _complete(db, world, booking, clock)
    for title in ("Comment-only sharing", "Suggesting mode"):
        tip = tips.create_tip(
            author=world.mentor, title=title, body="Steps.", skills=[world.skill],
            devices=[Device.ANY], booking=booking,
        )  # fmt: skip
        tips.submit_tip(tip, by=world.mentor)
        tips.publish_tip(tip, by=world.advisor)
        clock.advance(minutes=1)
    db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert "Search 2 tips in the library." in page
    assert page.index("Suggesting mode") < page.index("Comment-only sharing")  # newest first
