"""Deactivating with a reassignment while a teacher books the same mentor at the same time:
never two sessions for one mentor at once, and a refused deactivation changes nothing."""

import threading

from sqlalchemy import select

from helpdesk.accounts.models import User
from helpdesk.bookings.models import HOLDING_STATUSES, Booking
from helpdesk.extensions import db
from tests.bookings.conftest import SLOT, booking_page
from tests.bookings.test_race import _signed_in_client

FORM = {
    "topic": "Slides",
    "learning_goal": "Present with speaker notes",
    "format": "in_person",
    "room": "B12",
    "agrees_to_norms": "y",
}


def test_reassigning_races_a_booking_for_the_same_mentor_and_slot(app, world, book):
    booking = book()  # Maya's, at SLOT; Leo is free then
    advisor = _signed_in_client(app, world.advisor)
    teacher = _signed_in_client(app, world.teacher2)
    pages = [f"/people/{world.mentor.id}/deactivate", booking_page(world, mentor=world.mentor2)]
    data = [
        {"confirmed": "yes", f"session-{booking.id}": str(world.mentor2.id)},
        {**FORM, "request_key": "race-leo"},
    ]

    results = _race_each(app, [advisor, teacher], pages, data)

    assert all(code in (200, 302) for code, _ in results), results
    leo_at_slot = db.session.scalars(
        select(Booking).where(
            Booking.mentor_id == world.mentor2.id,
            Booking.starts_at == SLOT,
            Booking.status.in_(HOLDING_STATUSES),
        )
    ).all()
    assert len(leo_at_slot) == 1
    db.session.expire_all()
    maya = db.session.get(User, world.mentor.id)
    if leo_at_slot[0].id == booking.id:  # the reassignment won: Maya is gone
        assert not maya.is_active
    else:  # the teacher won: the deactivation changed nothing
        assert maya.is_active
        assert db.session.get(Booking, booking.id).mentor_id == world.mentor.id


def _race_each(app, clients, pages, data):
    """Each client posts its own form to its own page, all released at once by a barrier."""
    db.session.commit()
    barrier = threading.Barrier(len(clients))
    results: list = [None] * len(clients)

    def run(index):
        client, token = clients[index]
        barrier.wait()
        response = client.post(pages[index], data={**data[index], "csrf_token": token})
        results[index] = (response.status_code, response.get_data(as_text=True)[:300])

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results
