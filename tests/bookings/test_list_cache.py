"""The approval queue and "my sessions" come from memory on a second look, never stale."""

import pytest

from helpdesk.bookings import commands
from helpdesk.extensions import db
from tests.conftest import without_csrf

pytestmark = pytest.mark.usefixtures("as_migrated")


def _page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_second_look_at_the_queue_reads_no_sessions(client, login, world, book, count_queries):
    book(topic="Sharing a Doc with my class")
    login(world.advisor)
    with count_queries() as first:
        page = _page(client, "/sessions/queue")
    with count_queries() as again:
        assert without_csrf(_page(client, "/sessions/queue")) == without_csrf(page)
    assert "Sharing a Doc with my class" in page
    assert any("FROM booking" in s for s in first)
    assert not any("FROM booking" in s for s in again)


def test_approving_takes_a_session_off_the_queue_at_once(client, login, world, book):
    booking = book(topic="Sharing a Doc with my class")
    login(world.advisor)
    assert "Sharing a Doc with my class" in _page(client, "/sessions/queue")
    commands.approve_booking(booking, world.advisor)
    db.session.commit()
    assert "Sharing a Doc with my class" not in _page(client, "/sessions/queue")


def test_a_new_booking_shows_in_my_sessions_at_once(client, login, world, book):
    login(world.teacher)
    assert "Podcast basics" not in _page(client, "/sessions/")
    book(topic="Podcast basics")
    assert "Podcast basics" in _page(client, "/sessions/")


def test_a_booking_leaves_other_peoples_lists_cached(client, login, world, book, count_queries):
    login(world.mentor2)
    first = _page(client, "/sessions/")
    book(topic="Podcast basics", mentor=world.mentor)
    with count_queries() as again:
        assert without_csrf(_page(client, "/sessions/")) == without_csrf(first)
    assert not any("FROM booking" in s for s in again)  # Leo's list is still in the cache
    client.post_form("/logout")
    login(world.mentor)
    assert "Podcast basics" in _page(client, "/sessions/")  # Maya's shows it at once


def test_a_teachers_new_name_shows_in_the_mentors_list_at_once(client, login, world, book):
    book(topic="Podcast basics", mentor=world.mentor)
    login(world.mentor)
    assert "Helen Park" in _page(client, "/sessions/")
    world.teacher.full_name = "Helen Park-Lee"
    db.session.commit()
    assert "Helen Park-Lee" in _page(client, "/sessions/")


def test_the_advisors_list_of_every_session_is_never_stale(client, login, world, book):
    login(world.advisor)
    assert "Podcast basics" not in _page(client, "/sessions/")
    book(topic="Podcast basics", mentor=world.mentor2, teacher=world.teacher2)
    assert "Podcast basics" in _page(client, "/sessions/")
