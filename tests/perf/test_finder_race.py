"""Real threads: teachers search while a session is booked. A page begun after the booking
committed never shows the taken time, however its stamps were read ahead and kept for its
transaction (helpdesk.stamps.read_stamps, helpdesk.finder.cache.cache_scope)."""

import threading

import pytest

from helpdesk.accounts.models import Role, User
from helpdesk.bookings import commands as services
from helpdesk.bookings.models import BookingFormat
from helpdesk.extensions import db
from tests.bookings.conftest import NOW, SLOT
from tests.bookings.test_finder_cache import FIND, LEO_AT_TEN, MAYA_AT_TEN
from tests.bookings.test_race import _signed_in_client

pytestmark = pytest.mark.usefixtures("as_migrated")
READERS = 4
SEARCHES = 12


def test_no_page_begun_after_a_booking_shows_its_time(app, world, make_user):
    teachers = [make_user(Role.TEACHER, school=world.school) for _ in range(READERS)]
    clients = [_signed_in_client(app, teacher)[0] for teacher in teachers]
    path = FIND.format(skill=world.skill.id)
    ids = (world.teacher.id, world.mentor.id, world.skill.id)
    for client in clients:  # every worker cache filled: the slot is open
        assert MAYA_AT_TEN in client.get(path).get_data(as_text=True)
    db.session.commit()
    booked = threading.Event()
    barrier = threading.Barrier(READERS + 1)
    stale: list[int] = []
    seen: list[tuple[bool, bool]] = []

    def search(client):
        barrier.wait()
        for _ in range(SEARCHES):
            after = booked.is_set()  # read before the request begins
            page = client.get(path).get_data(as_text=True)
            seen.append((after, MAYA_AT_TEN in page))
            assert LEO_AT_TEN in page
            if after and MAYA_AT_TEN in page:
                stale.append(1)

    def write():
        teacher_id, mentor_id, skill_id = ids
        with app.app_context():
            barrier.wait()
            request = services.BookingRequest(
                mentor_id=mentor_id, skill_id=skill_id, starts_at=SLOT, minutes=30,
                topic="Sharing a Doc", learning_goal="Share a Doc with comments only.",
                format=BookingFormat.IN_PERSON, room="B12", agrees_to_norms=True,
            )  # fmt: skip
            services.request_booking(db.session.get(User, teacher_id), request, NOW)
            db.session.commit()
            booked.set()

    threads = [threading.Thread(target=search, args=(c,)) for c in clients]
    threads.append(threading.Thread(target=write))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert booked.is_set() and len(seen) == READERS * SEARCHES
    assert not stale, f"{len(stale)} pages begun after the booking showed its time"
    for client in clients:  # and every page since
        assert MAYA_AT_TEN not in client.get(path).get_data(as_text=True)
