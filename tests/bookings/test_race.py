"""Real concurrency: 20 teachers, each with their own client and connection, click at once."""

import re
import threading

from flask.testing import FlaskClient

from helpdesk.accounts.models import Role
from helpdesk.bookings import commands
from helpdesk.bookings.models import HOLDING_STATUSES, Booking, BookingStatus
from helpdesk.extensions import db
from tests.bookings.conftest import booking_page
from tests.conftest import CSRF_PATTERN, PASSWORD

RACERS = 20


def _signed_in_client(app, user) -> tuple[FlaskClient, str]:
    email = user.email
    db.session.commit()  # the test's own session must not hold SQLite's write lock
    client = FlaskClient(app, app.response_class, use_cookies=True)
    with app.app_context():
        token = CSRF_PATTERN.search(client.get("/login").get_data(as_text=True)).group(1)
    with app.app_context():
        response = client.post(
            "/login", data={"email": email, "password": PASSWORD, "csrf_token": token}
        )
    assert response.status_code == 302
    return client, token


def _race(app, clients, page, data_for):
    db.session.commit()
    barrier = threading.Barrier(len(clients))
    results: list = [None] * len(clients)

    def run(index, client, token):
        barrier.wait()
        response = client.post(page, data={**data_for(index), "csrf_token": token})
        results[index] = (response.status_code, response.get_data(as_text=True))

    threads = [threading.Thread(target=run, args=(i, c, t)) for i, (c, t) in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_twenty_teachers_race_for_one_slot_and_exactly_one_wins(app, world, make_user):
    teachers = [make_user(Role.TEACHER, school=world.school) for _ in range(RACERS)]
    clients = [_signed_in_client(app, teacher) for teacher in teachers]
    page = booking_page(world)
    form = {
        "topic": "Slides",
        "learning_goal": "Present with speaker notes",
        "format": "in_person",
        "room": "B12",
        "agrees_to_norms": "y",
    }

    results = _race(app, clients, page, lambda i: {**form, "request_key": f"race-{i}"})

    codes = sorted(code for code, _ in results)
    assert codes == [200] * (RACERS - 1) + [302], codes
    refusals = [body for code, body in results if code == 200]
    assert all("That time was just taken." in body for body in refusals)
    holding = db.session.scalars(
        db.select(Booking).where(Booking.status.in_(HOLDING_STATUSES))
    ).all()
    assert len(holding) == 1


def test_two_advisors_approving_at_once_one_wins(app, world, book, make_user):
    booking = book()
    advisors = [world.advisor, make_user(Role.ADVISOR, school=world.school)]
    clients = [_signed_in_client(app, advisor) for advisor in advisors]
    results = _race(app, clients, f"/sessions/{booking.id}/approve", lambda i: {})
    assert [code for code, _ in results] == [302, 302]
    messages = []
    for client, _ in clients:
        with app.app_context():
            html = client.get(f"/sessions/{booking.id}").get_data(as_text=True)
        messages += re.findall(r'class="flash flash-(\w+)">([^<]+)<', html)
    kinds = sorted(kind for kind, _ in messages)
    assert kinds == ["error", "success"], messages
    assert any("already decided" in text for kind, text in messages if kind == "error")
    db.session.refresh(booking)
    assert booking.status is BookingStatus.APPROVED
    approvals = [e for e in booking.events if e.to_status == "approved"]
    assert len(approvals) == 1
    assert commands.JUST_TAKEN
