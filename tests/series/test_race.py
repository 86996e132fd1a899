"""Two teachers confirm overlapping series for the same mentor at once, each with their own
client and connection, started together by a barrier: no date is booked twice."""

import threading
from collections import Counter

from flask.testing import FlaskClient

from helpdesk.bookings.models import HOLDING_STATUSES, Booking
from helpdesk.extensions import db
from tests.conftest import CSRF_PATTERN, PASSWORD
from tests.series.test_views import _form, _page


def _signed_in(app, user) -> tuple[FlaskClient, str]:
    email = user.email
    db.session.commit()  # the test's own session must not hold SQLite's write lock
    client = FlaskClient(app, app.response_class, use_cookies=True)
    with app.app_context():
        token = CSRF_PATTERN.search(client.get("/login").get_data(as_text=True)).group(1)
        response = client.post(
            "/login", data={"email": email, "password": PASSWORD, "csrf_token": token}
        )
    assert response.status_code == 302
    return client, token


def test_two_teachers_confirming_overlapping_series_never_double_book(app, world):
    teachers = [world.teacher, world.teacher2]
    clients = [_signed_in(app, t) for t in teachers]
    # Teacher 1: A days of November; teacher 2: the same Period 4 on A days from the 10th.
    forms = [
        _form(world, confirm="Go", request_key="1" * 32),
        _form(world, confirm="Go", request_key="2" * 32, starts_on="2026-11-10"),
    ]
    page = _page(world)
    mentor_id = world.mentor.id
    db.session.commit()
    barrier = threading.Barrier(2)
    results: list = [None, None]

    def run(index):
        client, token = clients[index]
        barrier.wait()
        response = client.post(page, data={**forms[index], "csrf_token": token})
        results[index] = response.status_code

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert all(code in (200, 302) for code in results), results
    assert 302 in results
    db.session.commit()
    holding = db.session.scalars(
        db.select(Booking).where(
            Booking.mentor_id == mentor_id, Booking.status.in_(HOLDING_STATUSES)
        )
    ).all()
    starts = Counter(b.starts_at for b in holding)
    assert max(starts.values()) == 1, "a date was booked twice"
    assert len(starts) == 10  # every A day of November is booked once, by one of them
    spans = sorted((b.starts_at, b.ends_at) for b in holding)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))
