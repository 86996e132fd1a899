"""The pages: who sees what (someone else's proposal is 404), forms, CSRF, and the flow."""

import re
from datetime import timedelta

import pytest

from helpdesk.accounts.models import Role
from helpdesk.workshops import services
from helpdesk.workshops.models import SeatStatus, Workshop, WorkshopStatus
from tests.bookings.conftest import NOW
from tests.workshops.conftest import WORKSHOP_AT

FORM = {
    "title": "Google Forms quizzes",
    "description": "Make a self-marking quiz.",
    "day": "2026-11-05",
    "starts": "13:00",
    "ends": "14:00",
    "format": "in_person",
    "room": "Library",
    "seats": "10",
}


def _flashes(html: str) -> list[str]:
    return re.findall(r'class="flash flash-\w+">([^<]+)<', html)


def test_a_mentor_proposes_on_the_form_and_the_advisor_approves_from_the_queue(
    client, db, world, login
):
    login(world.mentor)
    response = client.post_form(
        "/workshops/new",
        {**FORM, "skill_id": world.skill.id, "mentor_ids": [world.mentor2.id]},
        page="/workshops/new",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    workshop = db.session.scalar(db.select(Workshop))
    assert workshop.status is WorkshopStatus.PROPOSED
    assert workshop.mentor_ids == {world.mentor.id, world.mentor2.id}
    assert workshop.starts_at == WORKSHOP_AT  # 1 PM in New York
    client.post_form("/logout")
    login(world.advisor)
    queue = client.get("/workshops/queue").get_data(as_text=True)
    assert "Google Forms quizzes" in queue
    response = client.post_form(f"/workshops/{workshop.id}/approve", page="/workshops/queue")
    assert response.status_code == 302
    db.session.refresh(workshop)
    assert workshop.status is WorkshopStatus.APPROVED


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": ""}, "Give the workshop a title."),
        ({"seats": "0"}, "Offer between 1 and 200 seats."),
        ({"seats": "many"}, "Not a valid integer value."),
        ({"ends": "12:00"}, "The workshop must end after it starts."),
        ({"room": ""}, "Say which room you will meet in."),
        ({"day": "soon"}, "Not a valid date value."),
        ({"description": "Text me at 555-867-5309"}, "phone number"),
        ({"format": "online", "meeting_url": "https://evil.example.com/x"}, "supervises"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(client, db, world, login, change, message):
    login(world.mentor)
    response = client.post_form(
        "/workshops/new", {**FORM, "skill_id": world.skill.id, **change}, page="/workshops/new"
    )
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Workshop)) == 0


def test_a_mentor_busy_then_is_told_so(client, db, world, login, open_workshop):
    open_workshop()
    login(world.mentor)
    response = client.post_form(
        "/workshops/new", {**FORM, "skill_id": world.skill.id}, page="/workshops/new"
    )
    assert response.status_code == 200
    assert "has a session or a workshop then" in response.get_data(as_text=True)


def test_a_tokenless_post_is_refused(client, db, world, login, open_workshop):
    workshop = open_workshop()
    login(world.teacher)
    assert client.post(f"/workshops/{workshop.id}/sign-up").status_code == 400
    assert services.own_seat(workshop, world.teacher) is None


def test_proposals_are_404_to_teachers_and_other_mentors(
    client, db, world, login, propose, make_user
):
    workshop = propose()
    for user in (world.teacher, world.mentor2, make_user(Role.STAFF, school=world.school)):
        login(user)
        assert client.get(f"/workshops/{workshop.id}").status_code == 404
        client.post_form("/logout")
    login(world.mentor)
    assert client.get(f"/workshops/{workshop.id}").status_code == 200


def test_approved_workshops_are_404_to_mentors_who_do_not_host(
    client, db, world, login, open_workshop
):
    workshop = open_workshop()
    login(world.mentor2)
    assert client.get(f"/workshops/{workshop.id}").status_code == 404
    assert (
        client.post_form(f"/workshops/{workshop.id}/cancel", {"cancel-reason": "x"}).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("who", "path", "code"),
    [
        ("teacher", "/workshops/queue", 403),
        ("teacher", "/workshops/new", 403),
        ("mentor", "/workshops/queue", 403),
        ("teacher", "/workshops/{id}/approve", 403),
        ("mentor", "/workshops/{id}/approve", 403),
        ("teacher", "/workshops/{id}/seats", 403),
        ("mentor", "/workshops/{id}/sign-up", 403),
        ("teacher", "/workshops/{id}/attendance", 404),
        ("teacher", "/workshops/{id}/cancel", 404),
    ],
)
def test_who_may_not(client, db, world, login, open_workshop, who, path, code):
    workshop = open_workshop()
    login(getattr(world, who))
    url = path.format(id=workshop.id)
    if "{id}" in path:
        response = client.post_form(url, {"seats": "3", "cancel-reason": "x"})
    else:
        response = client.get(url)
    assert response.status_code == code


def test_teachers_see_their_own_status_never_the_roster(client, db, world, login, open_workshop):
    workshop = open_workshop(seats=1)
    services.sign_up(workshop, world.teacher2, NOW)
    db.session.commit()
    login(world.teacher)
    client.post_form(f"/workshops/{workshop.id}/sign-up", page=f"/workshops/{workshop.id}")
    html = client.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    assert "You are number 1 on the waitlist" in html
    assert world.teacher2.full_name not in html
    assert "Roster" not in html
    assert world.mentor.email not in html
    client.post_form("/logout")
    login(world.mentor)
    html = client.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    assert "Roster" in html and world.teacher2.full_name in html
    assert world.teacher.email not in html and world.teacher2.email not in html


def test_sign_up_waitlist_and_promotion_through_the_pages(client, db, world, login, open_workshop):
    workshop = open_workshop(seats=1)
    page = f"/workshops/{workshop.id}"
    login(world.teacher)
    response = client.post_form(f"{page}/sign-up", page=page, follow_redirects=True)
    assert "You have a seat." in _flashes(response.get_data(as_text=True))[0]
    client.post_form("/logout")
    login(world.teacher2)
    listing = client.get("/workshops/").get_data(as_text=True)
    assert "Full" in listing and "join the waitlist" in listing
    response = client.post_form(f"{page}/sign-up", page=page, follow_redirects=True)
    assert "number 1 on the waitlist" in response.get_data(as_text=True)
    client.post_form("/logout")
    login(world.teacher)
    client.post_form(f"{page}/leave", page=page)
    client.post_form("/logout")
    login(world.teacher2)
    html = client.get(page).get_data(as_text=True)
    assert "You have a seat." in html
    assert "You have a seat at" in client.get("/notifications/").get_data(as_text=True)


def test_the_advisor_changes_seats_on_the_page(client, db, world, login, open_workshop):
    workshop = open_workshop(seats=1)
    services.sign_up(workshop, world.teacher, NOW)
    services.sign_up(workshop, world.teacher2, NOW)
    db.session.commit()
    login(world.advisor)
    page = f"/workshops/{workshop.id}"
    response = client.post_form(f"{page}/seats", {"seats": "0"}, page=page, follow_redirects=True)
    assert "Offer between 1 and 200 seats." in response.get_data(as_text=True)
    response = client.post_form(f"{page}/seats", {"seats": "2"}, page=page, follow_redirects=True)
    assert "1 teacher moved up from the waitlist" in response.get_data(as_text=True)
    assert services.own_seat(workshop, world.teacher2).status is SeatStatus.SEATED


def test_decline_needs_a_reason(client, db, world, login, propose):
    workshop = propose()
    login(world.advisor)
    page = f"/workshops/{workshop.id}"
    response = client.post_form(f"{page}/decline", {"decline-reason": ""}, page=page,
                                follow_redirects=True)  # fmt: skip
    assert "Give a reason." in response.get_data(as_text=True)
    db.session.refresh(workshop)
    assert workshop.status is WorkshopStatus.PROPOSED
    client.post_form(f"{page}/decline", {"decline-reason": "Clashes with exams."}, page=page)
    db.session.refresh(workshop)
    assert workshop.status is WorkshopStatus.DECLINED


def test_the_advisors_week_shows_workshops(client, db, world, login, open_workshop, propose):
    open_workshop()
    propose(title="Waiting one", starts_at=WORKSHOP_AT + timedelta(hours=2))
    login(world.advisor)
    html = client.get("/sessions/week?start=2026-11-02").get_data(as_text=True)
    assert "Workshop: Google Docs for feedback" in html
    assert "Workshop: Waiting one" in html


def test_a_cancelled_workshop_stays_visible_to_those_who_had_a_place_only(
    client, db, world, login, open_workshop
):
    workshop = open_workshop()
    services.sign_up(workshop, world.teacher, NOW)
    services.cancel_workshop(workshop, world.advisor, "Snow day.", NOW)
    db.session.commit()
    login(world.teacher)
    html = client.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    assert "Snow day." in html and "Give up my seat" not in html
    client.post_form("/logout")
    login(world.teacher2)
    assert client.get(f"/workshops/{workshop.id}").status_code == 404
