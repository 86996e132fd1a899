"""With the mail server down, every action still succeeds for the person doing it; the mail waits
in the outbox, and once a server comes up two workers deliver each message exactly once."""

import io
import re

from helpdesk.accounts.models import Role, User
from helpdesk.bookings.models import Booking, BookingStatus
from helpdesk.clock import utcnow
from helpdesk.mail.delivery import RetryPolicy, SmtpSettings, deliver_due
from helpdesk.mail.models import MailStatus, OutboxMessage
from helpdesk.requests.models import HelpRequest
from tests.bookings.conftest import booking_page

BOOKING = {
    "topic": "Sharing a Doc",
    "learning_goal": "Share a Doc so students can comment.",
    "format": "in_person",
    "room": "B12",
    "agrees_to_norms": "y",
}
HELP = {
    "summary": "My projector won't mirror",
    "details": "The laptop shows the picture, the projector does not.",
    "device": "Windows laptop",
    "urgency": "now",
    "room": "B12",
    "around": "Period 4",
}
PEOPLE = 300


def _sign_in(client, user):
    client.post("/logout", data={"csrf_token": client.csrf_token()})
    response = client.post_form(
        "/login", {"email": user.email, "password": "correct horse battery staple"}, page="/login"
    )
    assert response.status_code == 302


def _import_csv() -> bytes:
    rows = [
        f"person{n}@school.example.org,Person Number{n},teacher,Lincoln High School,"
        for n in range(PEOPLE)
    ]
    return ("email,name,role,school,grade\n" + "\n".join(rows) + "\n").encode()


def _queued(db) -> list[OutboxMessage]:
    return list(db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)))


def test_everything_works_with_the_mail_server_down_and_mail_goes_once_when_it_is_back(
    app, client, db, world, smtp_down, start_smtp, clock, workers_at_once
):
    # a teacher books
    _sign_in(client, world.teacher)
    page = booking_page(world)
    key = re.search(
        r'name="request_key" type="hidden" value="([^"]+)"', client.get(page).get_data(as_text=True)
    ).group(1)
    booked = client.post_form(page, {**BOOKING, "request_key": key}, page=page)
    assert booked.status_code == 302
    booking = db.session.scalar(db.select(Booking))

    # a teacher asks the help desk
    asked = client.post_form(
        "/requests/new", {**HELP, "skill_id": world.skill.id}, page="/requests/new"
    )
    assert asked.status_code == 302
    assert db.session.scalar(db.select(db.func.count(HelpRequest.id))) == 1

    # the advisor approves and imports 300 people
    _sign_in(client, world.advisor)
    approved = client.post_form(f"/sessions/{booking.id}/approve", page=f"/sessions/{booking.id}")
    assert approved.status_code == 302
    db.session.refresh(booking)
    assert booking.status is BookingStatus.APPROVED
    imported = client.post_form(
        "/people/import",
        {"file": (io.BytesIO(_import_csv()), "people.csv")},
        page="/people/import",
        content_type="multipart/form-data",
    )
    assert imported.status_code == 302
    assert f"Imported {PEOPLE} people" in client.get("/people/").get_data(as_text=True)

    # someone forgets their password
    client.post("/logout", data={"csrf_token": client.csrf_token()})
    forgot = client.post_form(
        "/forgot-password", {"email": world.teacher2.email}, page="/forgot-password"
    )
    assert forgot.status_code == 302

    queued = _queued(db)
    assert {m.status for m in queued} == {MailStatus.QUEUED}
    assert len(queued) >= PEOPLE + 4
    subjects = {m.subject for m in queued}
    assert "Reset your Helpdesk password" in subjects
    assert "You're invited to Helpdesk" in subjects

    # a pass while the server is down changes nothing but the retry bookkeeping
    first_pass = deliver_due(SmtpSettings.from_config(app.config), utcnow, RetryPolicy())
    assert first_pass.sent == 0 and first_pass.retrying == first_pass.claimed > 0

    # the server comes up; an hour later two workers run at once
    inbox = start_smtp(smtp_down)
    clock.advance(hours=1)
    errors = workers_at_once(2, batch=25)

    assert errors == []
    delivered = inbox.message_ids()
    assert sorted(delivered) == sorted(m.message_id for m in queued)  # each exactly once
    db.session.expire_all()
    assert {m.status for m in _queued(db)} == {MailStatus.SENT}
    assert db.session.scalar(
        db.select(db.func.count(User.id)).where(User.role == Role.TEACHER)
    ) == (PEOPLE + 2)
