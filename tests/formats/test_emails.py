"""The longest text the forms accept goes through every email it reaches, on both databases.

Subjects are built from a session's topic or a request's summary; the outbox keeps a subject
in 200 characters, so a topic of 200 made PostgreSQL refuse the email (and the booking with
it, a 500) when the reminder or a reassignment was sent.
"""

from datetime import timedelta

from helpdesk.bookings import commands, notices
from helpdesk.bookings.forms import TOPIC_MAX
from helpdesk.bookings.models import Booking
from helpdesk.requests import services as requests
from helpdesk.requests.models import HelpRequest
from tests.formats.conftest import NOW, SLOT, booking_page, errors_on

LONGEST_TOPIC = "Ŵ" * TOPIC_MAX


def _subjects(outbox) -> list[str]:
    subjects = [message.subject for message in outbox()]
    assert subjects
    for subject in subjects:
        assert len(subject) <= 200
        assert not any(ch in subject for ch in "\r\n")
    return subjects


def test_the_longest_topic_reaches_every_session_email(fuzz, world, db, outbox, clock):
    fuzz.sign_in(world.teacher)
    data = {
        "topic": LONGEST_TOPIC,
        "learning_goal": "Goal\r\n" * 300,
        "format": "in_person",
        "room": "R" * 80,
        "agrees_to_norms": "y",
    }
    response = fuzz.send("POST", booking_page(world), data)
    assert response.status_code == 302, errors_on(response.get_data(as_text=True))
    booking = db.session.scalar(db.select(Booking))
    assert booking.topic == LONGEST_TOPIC

    commands.approve_booking(booking, world.advisor)
    notices.reminder(booking)  # what the reminder pass sends, whichever module runs it
    commands.reschedule_booking(booking, world.teacher, SLOT + timedelta(days=7), NOW)
    commands.reassign_booking(booking, world.advisor, world.mentor2, NOW)
    commands.cancel_for_closure(
        world.school.id, (SLOT + timedelta(days=7)).date(), "Snow", world.advisor, NOW
    )
    db.session.commit()

    subjects = _subjects(outbox)
    assert any(s.startswith("Reminder: ") for s in subjects)
    assert any(s.startswith("School closed: ") for s in subjects)


def test_a_topic_longer_than_that_is_refused_at_the_form(fuzz, world, db):
    fuzz.sign_in(world.teacher)
    data = {
        "topic": "T" * (TOPIC_MAX + 1),
        "learning_goal": "G",
        "format": "in_person",
        "room": "B1",
        "agrees_to_norms": "y",
    }
    response = fuzz.send("POST", booking_page(world), data)
    assert f"Field cannot be longer than {TOPIC_MAX} characters." in errors_on(
        response.get_data(as_text=True)
    )
    assert db.session.scalar(db.select(db.func.count()).select_from(Booking)) == 0


def test_the_longest_summary_reaches_every_request_email(fuzz, world, db, outbox, clock):
    requests.update_desk_settings(
        first_response_hours=8, resolution_hours=24, it_email="it@district.example.org"
    )
    db.session.commit()
    fuzz.sign_in(world.teacher)
    data = {
        "skill_id": str(world.skill.id),
        "summary": "Ŝ" * 140,
        "urgency": "week",
        "details": "Details\r\n\tindented",
        "device": "D" * 80,
        "room": "R" * 80,
        "around": "A" * 200,
    }
    response = fuzz.send("POST", "/requests/new", data)
    assert response.status_code == 302, errors_on(response.get_data(as_text=True))
    help_request = db.session.scalar(db.select(HelpRequest))
    requests.claim_request(help_request, world.mentor, clock.now)
    requests.post_message(help_request, world.mentor, "Try this:\r\n\t1. Restart", clock.now)
    requests.escalate_request(help_request, world.advisor, clock.now, "Needs IT")
    db.session.commit()

    subjects = _subjects(outbox)
    assert any(s.startswith(f"Help request #{help_request.id} for IT: ") for s in subjects)
    assert any(s.startswith("New answer: ") for s in subjects)
