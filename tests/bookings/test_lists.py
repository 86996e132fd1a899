"""The approval queue and "my sessions": pages of 20 that say how to reach the rest."""

import re
from datetime import datetime, timedelta

from helpdesk.accounts.models import Role, User
from helpdesk.bookings import lists
from helpdesk.bookings.models import Booking, BookingFormat, BookingStatus
from tests.bookings.conftest import NOW, SLOT


def _add(
    db,
    world,
    starts_at: datetime,
    topic: str,
    *,
    mentor: User | None = None,
    teacher: User | None = None,
    status: BookingStatus = BookingStatus.REQUESTED,
    created_at: datetime = NOW,
    minutes: int = 30,
) -> Booking:
    booking = Booking(
        mentor_id=(mentor or world.mentor).id,
        teacher_id=(teacher or world.teacher).id,
        skill_id=world.skill.id,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=minutes),
        status=status,
        topic=topic,
        learning_goal="Goal",
        format=BookingFormat.ONLINE,
        meeting_url="https://meet.example.org/x",
        created_at=created_at,
    )
    db.session.add(booking)
    db.session.commit()
    return booking


def _future(n: int) -> datetime:
    """Distinct, non-overlapping times after NOW: four a day."""
    return SLOT + timedelta(days=n // 4, hours=n % 4)


def _topics(html: str) -> list[str]:
    return re.findall(r'<a href="/sessions/\d+">([^<]+)</a>', html)


def _link(html: str, rel: str) -> str:
    match = re.search(rf'<a href="([^"]+)" rel="{rel}">', html)
    assert match, f"no {rel} link"
    return match.group(1).replace("&amp;", "&")


def _sections(html: str) -> tuple[str, str]:
    upcoming, past = html.split('<h2 id="past">')
    return upcoming.split('<h2 id="upcoming">')[1], past


def _waiting(db, world, count: int) -> list[Booking]:
    """`count` waiting requests, the first the oldest (asked longest ago)."""
    return [
        _add(
            db,
            world,
            _future(n),
            f"Request {n:02}",
            mentor=world.mentor if n % 2 else world.mentor2,
            created_at=NOW - timedelta(hours=count - n),
        )
        for n in range(count)
    ]


def test_queue_pages_through_every_waiting_request_oldest_first(client, db, world, login):
    _waiting(db, world, 25)
    _add(db, world, _future(40), "Already approved", status=BookingStatus.APPROVED)
    login(world.advisor)

    first = client.get("/sessions/queue").get_data(as_text=True)
    assert "25 waiting; 1–20 shown" in first and "Page 1 of 2" in first
    assert _topics(first) == [f"Request {n:02}" for n in range(20)]
    assert 'rel="prev"' not in first

    second = client.get(_link(first, "next")).get_data(as_text=True)
    assert "25 waiting; 21–25 shown" in second and "Page 2 of 2" in second
    assert _topics(second) == [f"Request {n:02}" for n in range(20, 25)]
    assert 'rel="next"' not in second
    assert _link(second, "prev") == "/sessions/queue?page=1"


def test_approving_from_a_later_page_comes_back_to_it(client, db, world, login):
    requests = _waiting(db, world, 23)
    login(world.advisor)
    response = client.post_form(
        "/sessions/queue/approve",
        {"booking_id": [requests[21].id, requests[22].id], "page": "2", "confirmed": "yes"},
        page="/sessions/queue?page=2",
    )
    assert response.headers["Location"] == "/sessions/queue?page=2"
    page = client.get("/sessions/queue?page=2").get_data(as_text=True)
    assert "Approved 2 sessions." in page
    assert "21 waiting; 21–21 shown" in page and _topics(page) == ["Request 20"]


def test_queue_pages_out_of_range_or_garbled(client, db, world, login):
    login(world.advisor)
    assert "Nothing is waiting." in client.get("/sessions/queue?page=3").get_data(as_text=True)
    _waiting(db, world, 3)
    beyond = client.get("/sessions/queue?page=3").get_data(as_text=True)
    assert "past the end of the queue" in beyond and 'href="/sessions/queue"' in beyond
    for raw in ("abc", "0", "-1", "99999999999", "²"):
        page = client.get(f"/sessions/queue?page={raw}").get_data(as_text=True)
        assert "3 waiting" in page and len(_topics(page)) == 3, raw


def test_lists_name_people_as_each_viewer_may_see_them(client, db, world, login):
    _add(db, world, SLOT, "Sharing a Doc")
    login(world.advisor)
    queue = client.get("/sessions/queue").get_data(as_text=True)
    assert '<td data-label="Teacher">Helen Park</td>' in queue
    assert '<td data-label="Mentor">Maya C.</td>' in queue
    assert "Chen" not in queue
    assert "Wed, Nov 4, 2026, 10:00 AM" in queue  # the mentor's school's time, not UTC
    client.post_form("/logout")
    login(world.teacher)
    mine = client.get("/sessions/").get_data(as_text=True)
    assert '<td data-label="Mentor">Maya C.</td>' in mine and "Chen" not in mine
    assert "Wed, Nov 4, 2026, 10:00 AM" in mine and "Waiting for approval" in mine
    client.post_form("/logout")
    login(world.mentor)
    assert '<td data-label="Teacher">Helen Park</td>' in client.get("/sessions/").get_data(
        as_text=True
    )


def test_my_sessions_page_upcoming_and_past_each_on_their_own(client, db, world, login):
    for n in range(23):
        _add(db, world, _future(n), f"Upcoming {n:02}")
    _add(
        db,
        world,
        NOW - timedelta(minutes=10),
        "Under way",
        status=BookingStatus.APPROVED,
        created_at=NOW - timedelta(days=60),
    )
    for n in range(22):
        _add(
            db,
            world,
            NOW - timedelta(days=1 + n),
            f"Past {n:02}",
            status=BookingStatus.COMPLETED,
            created_at=NOW - timedelta(days=60),
        )
    _add(db, world, _future(3), "Someone else's", mentor=world.mentor2, teacher=world.teacher2)
    login(world.mentor)

    upcoming, past = _sections(client.get("/sessions/").get_data(as_text=True))
    assert _topics(upcoming) == ["Under way"] + [f"Upcoming {n:02}" for n in range(19)]
    assert _topics(past) == [f"Past {n:02}" for n in range(20)]
    assert "Soonest first; 1–20 shown" in upcoming and "Most recent first; 1–20 shown" in past
    assert _link(upcoming, "next") == "/sessions/?upcoming=2"
    assert _link(past, "next") == "/sessions/?past=2"

    upcoming, past = _sections(client.get("/sessions/?upcoming=2").get_data(as_text=True))
    assert _topics(upcoming) == [f"Upcoming {n:02}" for n in range(19, 23)]
    assert "Soonest first; 21–24 shown" in upcoming and 'rel="next"' not in upcoming
    assert _link(upcoming, "prev") == "/sessions/"
    assert _topics(past) == [f"Past {n:02}" for n in range(20)]  # the other list stays put
    assert _link(past, "next") == "/sessions/?upcoming=2&past=2"

    upcoming, past = _sections(client.get("/sessions/?past=2").get_data(as_text=True))
    assert _topics(past) == ["Past 20", "Past 21"]
    assert len(_topics(upcoming)) == 20

    upcoming, _past = _sections(client.get("/sessions/?upcoming=9").get_data(as_text=True))
    assert "No more sessions." in upcoming and _link(upcoming, "prev") == "/sessions/?upcoming=8"


def test_a_session_is_upcoming_until_it_ends(db, world, clock):
    under_way = _add(db, world, NOW - timedelta(minutes=29), "Under way")
    just_over = _add(
        db,
        world,
        NOW - timedelta(minutes=30),
        "Just over",
        mentor=world.mentor2,
        status=BookingStatus.CANCELLED,  # frees the teacher's time for the one under way
    )
    upcoming, past = lists.sessions_for(world.teacher, NOW)
    assert [r.id for r in upcoming.rows] == [under_way.id]
    assert [r.id for r in past.rows] == [just_over.id]
    assert not upcoming.has_next and not past.has_next


def test_lists_hold_only_the_viewers_own_sessions(db, world, make_user):
    mine = _add(db, world, SLOT, "Mine")
    _add(db, world, _future(5), "Theirs", mentor=world.mentor2, teacher=world.teacher2)
    for user in (world.teacher, world.mentor):
        upcoming, past = lists.sessions_for(user, NOW)
        assert [r.id for r in upcoming.rows] == [mine.id] and past.rows == []
    assert len(lists.sessions_for(world.advisor, NOW)[0].rows) == 2
    staff = make_user(Role.STAFF, full_name="Sam Staff", school=world.school)
    upcoming, past = lists.sessions_for(staff, NOW)
    assert upcoming.rows == [] and past.rows == []
