"""Series pages: preview then confirm, bad input, who may see and do what, the session page's
"Weekly · 3 of 10" and the queue's one row per series."""

import re

import pytest

from helpdesk.accounts.models import Role
from helpdesk.bookings.models import Booking, BookingStatus
from helpdesk.series import services
from helpdesk.series.models import BookingSeries
from tests.conftest import PASSWORD

FORM = {
    "skill_id": None,
    "kind": "period",
    "day_type": "A",
    "period": "Period 4",
    "weekday": "1",
    "at": "",
    "minutes": "30",
    "starts_on": "2026-11-04",
    "ends": "until",
    "until": "2026-11-30",
    "count": "",
    "topic": "Google Classroom every week",
    "learning_goal": "Run my class stream",
    "format": "in_person",
    "room": "Library",
    "meeting_url": "",
    "notes": "",
    "agrees_to_norms": "y",
    "request_key": "a" * 32,
}


def _form(world, **changes):
    return {**FORM, "skill_id": str(world.skill.id), **changes}


def _page(world):
    return f"/series/new?mentor={world.mentor.id}&teacher={world.teacher.id}"


def _count(db, model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_teacher_previews_then_confirms(client, db, world, login):
    login(world.teacher)
    page = _page(world)
    assert client.get(page).status_code == 200
    preview = client.post_form(page, _form(world, preview="Show the dates"), page=page)
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200, html[:2000]
    assert "10 dates can be booked" in html
    assert "Mon, Nov 30, 2026" in html
    assert _count(db, Booking) == 0  # a preview books nothing
    confirmed = re.search(r'name="confirmed" type="hidden" value="([^"]*)"', html).group(1)
    response = client.post_form(
        page, _form(world, confirm="Request", confirmed=confirmed), page=page
    )
    assert response.status_code == 302
    series = db.session.scalars(db.select(BookingSeries)).one()
    assert response.headers["Location"].endswith(f"/series/{series.id}")
    assert series.teacher_id == world.teacher.id and series.requested_by_id == world.teacher.id
    shown = client.get(f"/series/{series.id}").get_data(as_text=True)
    assert "10 dates" in shown and "Waiting for approval" in shown
    # the same form again: one series
    again = client.post_form(page, _form(world, confirm="Request", confirmed=confirmed), page=page)
    assert again.status_code == 302
    assert _count(db, BookingSeries) == 1 and _count(db, Booking) == 10


def test_a_teacher_books_only_for_themselves(client, db, world, login):
    login(world.teacher)
    page = f"/series/new?mentor={world.mentor.id}&teacher={world.teacher2.id}"
    client.post_form(page, _form(world, teacher_id=str(world.teacher2.id), confirm="Go"), page=page)
    series = db.session.scalars(db.select(BookingSeries)).one()
    assert series.teacher_id == world.teacher.id


def test_the_advisor_books_for_a_pair_and_a_mentor_with_a_teacher(client, db, world, login):
    login(world.advisor)
    page = _page(world)
    html = client.get(page).get_data(as_text=True)
    assert re.search(rf'<option selected value="{world.teacher.id}">Helen Park', html), html
    data = _form(world, teacher_id=str(world.teacher.id), mentor_id=str(world.mentor.id),
                 confirm="Go")  # fmt: skip
    assert client.post_form(page, data, page=page).status_code == 302
    series = db.session.scalars(db.select(BookingSeries)).one()
    assert (series.teacher_id, series.requested_by_id) == (world.teacher.id, world.advisor.id)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"period": ""}, "Choose a period."),
        ({"kind": "weekday", "at": ""}, "Give the time"),
        ({"ends": "until", "until": "2026-10-01"}, "on or after the first"),
        ({"ends": "count", "count": "99"}, "Number must be between 1 and 40"),
        ({"topic": ""}, "Say in a few words"),
        ({"learning_goal": "Text me at 555-123-4567"}, "phone"),
        ({"starts_on": "2027-08-01", "until": "2027-08-30"}, "term has ended"),
        ({"mentor_id": "999999"}, "not available"),
    ],
)
def test_bad_input_gets_a_clear_message_and_changes_nothing(
    client, db, world, login, changes, message
):
    login(world.advisor)
    page = _page(world)
    data = {
        **_form(world, teacher_id=str(world.teacher.id), mentor_id=str(world.mentor.id)),
        "confirm": "Go",
        **changes,
    }
    response = client.post_form(page, data, page=page)
    assert response.status_code == 200
    assert message.lower() in response.get_data(as_text=True).lower()
    assert _count(db, Booking) == 0 and _count(db, BookingSeries) == 0


def test_a_post_without_a_token_is_refused(client, db, world, login):
    login(world.teacher)
    response = client.post(_page(world), data=_form(world, confirm="Go"))
    assert response.status_code in (400, 200)
    assert _count(db, Booking) == 0


def test_staff_cannot_book_a_series(client, world, login_as):
    login_as(Role.STAFF)
    assert client.get(_page(world)).status_code == 403


def _client_of(app, user):
    client = app.test_client()
    client.post_form("/login", {"email": user.email, "password": PASSWORD}, page="/login")
    return client


def test_only_the_pair_and_the_advisor_see_a_series(app, db, world, book_series):
    series = book_series().series
    for user, code in [
        (world.teacher, 200),
        (world.mentor, 200),
        (world.advisor, 200),
        (world.teacher2, 404),
        (world.mentor2, 404),
    ]:
        client = _client_of(app, user)
        assert client.get(f"/series/{series.id}").status_code == code, user.full_name
    client = _client_of(app, world.teacher2)
    first = services.sessions_of(series)[0]
    response = client.post_form(f"/series/sessions/{first.id}/cancel-rest", {"reason": "x"})
    assert response.status_code == 404
    assert client.post_form(f"/series/{series.id}/approve").status_code == 403


def test_a_session_of_a_series_shows_its_place_and_can_cancel_the_rest(
    client, db, world, book_series, login
):
    series = book_series().series
    third = services.sessions_of(series)[2]
    login(world.teacher)
    html = client.get(f"/sessions/{third.id}").get_data(as_text=True)
    assert "Weekly · 3 of 10" in html
    assert f'href="/series/{series.id}"' in html
    assert "Cancel this and the rest of the series" in html
    response = client.post_form(
        f"/series/sessions/{third.id}/cancel-rest",
        {"reason": "Moving school"},
        page=f"/sessions/{third.id}",
    )
    assert response.status_code == 302
    statuses = [b.status for b in services.sessions_of(series)]
    assert statuses == [BookingStatus.REQUESTED] * 2 + [BookingStatus.CANCELLED] * 8
    empty = client.post_form(f"/series/sessions/{third.id}/cancel-rest", {"reason": ""})
    assert empty.status_code == 302  # back to the session, with the reason asked for


def test_the_queue_shows_one_row_per_series_and_approves_it(client, db, world, book_series, login):
    series = book_series().series
    login(world.advisor)
    html = client.get("/sessions/queue").get_data(as_text=True)
    assert "Weekly series (1)" in html
    assert "Approve all 10 dates" in html
    assert html.count("Approve this date") == 10
    assert "Nothing is waiting." in html  # no single sessions
    response = client.post_form(
        f"/series/{series.id}/approve", {"back": "/sessions/queue"}, page="/sessions/queue"
    )
    assert response.headers["Location"].endswith("/sessions/queue")
    assert {b.status for b in services.sessions_of(series)} == {BookingStatus.APPROVED}
    assert "Weekly series" not in client.get("/sessions/queue").get_data(as_text=True)


def test_the_advisor_declines_a_series_with_a_reason(client, db, world, book_series, login):
    series = book_series().series
    login(world.advisor)
    page = f"/series/{series.id}"
    client.post_form(f"/series/{series.id}/decline", {"reason": ""}, page=page)
    assert {b.status for b in services.sessions_of(series)} == {BookingStatus.REQUESTED}
    client.post_form(f"/series/{series.id}/decline", {"reason": "No room free"}, page=page)
    assert {b.status for b in services.sessions_of(series)} == {BookingStatus.DECLINED}
