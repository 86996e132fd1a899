"""Flagging a concern from each place: two clicks, the right people told, nothing else."""

import pytest

from helpdesk.accounts.models import Role
from helpdesk.concerns import services as concerns
from helpdesk.concerns.models import Concern, ConcernEvent, ConcernStatus
from helpdesk.notifications.models import Notification
from helpdesk.requests import services as requests
from tests.requests.conftest import NOW

PAGES = {
    "session": lambda places, world: f"/sessions/{places.booking.id}",
    "message": lambda places, world: f"/requests/{places.message.request_id}",
    "tip": lambda places, world: f"/tips/{places.tip.id}",
    "profile": lambda places, world: f"/mentors/{world.mentor.id}",
}
DESCRIPTION = "He asked for my personal phone number after the session."


def _concerns(db) -> list[Concern]:
    return list(db.session.scalars(db.select(Concern).order_by(Concern.id)))


def _concern_notices(db) -> list[Notification]:
    return list(
        db.session.scalars(
            db.select(Notification).where(Notification.link.startswith("/concerns/"))
        )
    )


def _send(client, kind, subject_id, **fields):
    url = f"/concerns/new/{kind}/{subject_id}"
    data = {"category": "contact_details", "description": DESCRIPTION, **fields}
    return client.post_form(url, data, page=url)


@pytest.mark.parametrize("kind", list(PAGES))
def test_a_teacher_flags_each_place_in_two_clicks(client, db, world, places, login, outbox, kind):
    login(world.teacher)
    subject_id, about = places.of(kind, world)
    place = client.get(PAGES[kind](places, world)).get_data(as_text=True)
    form_url = f"/concerns/new/{kind}/{subject_id}"
    assert f'href="{form_url}"' in place  # click one
    form = client.get(form_url)
    assert form.status_code == 200
    html = form.get_data(as_text=True)
    assert "Dana Whitfield (advisor) and Grace Counselor (safeguarding contact)" in html

    response = _send(client, kind, subject_id, name_withheld="y")  # click two
    assert response.status_code == 302
    assert response.headers["Location"] == "/concerns/mine"

    (concern,) = _concerns(db)
    assert (concern.subject_kind.value, concern.subject_id) == (kind, subject_id)
    assert concern.reporter_id == world.teacher.id
    assert concern.about_id == about.id
    assert concern.status is ConcernStatus.OPEN
    assert concern.name_withheld is True
    assert [(e.from_status, e.to_status) for e in concern.events] == [(None, "open")]

    told = {n.user_id for n in _concern_notices(db)}
    assert told == {world.advisor.id, places.contact.id}
    assert about.id not in told
    mails = [m for m in outbox() if "concern" in m.subject.lower()]
    assert sorted(m.to_address for m in mails) == sorted(
        [world.advisor.email, places.contact.email]
    )
    for mail in mails:  # email leaves the district: no names, no description
        for secret in (DESCRIPTION, "phone", world.teacher.full_name, about.full_name):
            assert secret not in mail.body and secret not in mail.subject
        assert f"/concerns/{concern.id}" in mail.body

    mine = client.get("/concerns/mine").get_data(as_text=True)
    assert "Thank you. Your concern was sent" in mine
    assert "Open" in mine


def test_each_side_of_a_session_flags_the_other(client, db, world, places, login):
    login(world.mentor)
    assert _send(client, "session", places.booking.id).status_code == 302
    assert _concerns(db)[0].about_id == world.teacher.id


def test_the_advisor_flags_a_session_as_a_whole(client, db, world, places, login):
    login(world.advisor)
    assert _send(client, "session", places.booking.id).status_code == 302
    (concern,) = _concerns(db)
    assert concern.about_id is None
    assert {n.user_id for n in _concern_notices(db)} == {world.advisor.id, places.contact.id}


def test_nobody_sees_a_flag_link_on_their_own_things(client, world, places, login):
    login(world.mentor)
    for kind in ("message", "tip", "profile"):
        html = client.get(PAGES[kind](places, world)).get_data(as_text=True)
        assert "/concerns/new/" not in html, kind
        subject_id = places.of(kind, world)[0]
        assert client.get(f"/concerns/new/{kind}/{subject_id}").status_code == 404


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"category": ""}, "Choose what it is about."),
        ({"category": "made-up"}, "Not a valid choice"),
        ({"description": "   "}, "Say what happened"),
        ({"description": "x" * 2001}, "2000"),
        ({"description": "Hidden \x1b character"}, "Remove the hidden"),
    ],
)
def test_bad_input_is_explained_and_saves_nothing(
    client, db, world, places, login, outbox, fields, message
):
    login(world.teacher)
    before = len(outbox())
    response = _send(client, "tip", places.tip.id, **fields)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert _concerns(db) == []
    assert _concern_notices(db) == []
    assert len(outbox()) == before


def test_the_same_form_sent_twice_makes_one_concern(client, db, world, places, login):
    login(world.teacher)
    url = f"/concerns/new/tip/{places.tip.id}"
    data = {"category": "unkind", "description": DESCRIPTION, "request_key": "a" * 32}
    assert client.post_form(url, data, page=url).status_code == 302
    assert client.post_form(url, data, page=url).status_code == 302
    assert len(_concerns(db)) == 1
    assert db.session.scalar(db.select(db.func.count(ConcernEvent.id))) == 1


def test_a_post_without_a_csrf_token_is_refused(client, db, world, places, login):
    login(world.teacher)
    response = client.post(
        f"/concerns/new/tip/{places.tip.id}",
        data={"category": "unkind", "description": DESCRIPTION},
    )
    assert response.status_code == 400
    assert _concerns(db) == []


def test_places_you_cannot_see_answer_404(client, db, world, places, login, make_user):
    other_teacher = world.teacher2
    login(other_teacher)
    assert client.get(f"/concerns/new/session/{places.booking.id}").status_code == 404
    assert client.get(f"/concerns/new/message/{places.message.id}").status_code == 404
    assert _send(client, "session", places.booking.id).status_code == 404
    for url in (
        "/concerns/new/session/999999",
        "/concerns/new/nonsense/1",
        f"/concerns/new/profile/{world.teacher.id}",  # a teacher has no mentor profile
    ):
        assert client.get(url).status_code == 404, url
    assert _concerns(db) == []


def test_a_mentor_browsing_the_queue_cannot_flag_the_thread(client, world, places, login):
    login(world.mentor2)  # may read the request in the queue, not its conversation
    assert client.get(f"/concerns/new/message/{places.message.id}").status_code == 404


def test_a_concern_about_the_advisor_goes_to_the_contact_only(
    client, db, world, places, login, make_user, ask
):
    help_request = ask(requester=world.teacher)
    message = requests.post_message(help_request, world.advisor, "I'll come by.", NOW)
    db.session.commit()
    login(world.teacher)
    form = client.get(f"/concerns/new/message/{message.id}").get_data(as_text=True)
    assert "Grace Counselor (safeguarding contact). They see your name" in form
    assert world.advisor.full_name not in form
    assert _send(client, "message", message.id).status_code == 302
    assert {n.user_id for n in _concern_notices(db)} == {places.contact.id}


def test_without_anyone_else_to_tell_the_reporter_is_told_what_to_do(
    client, db, world, places, login, ask
):
    concerns.set_contact(None)
    help_request = ask(requester=world.teacher)
    message = requests.post_message(help_request, world.advisor, "I'll come by.", NOW)
    db.session.commit()
    login(world.teacher)
    response = _send(client, "message", message.id)
    assert response.status_code == 200
    assert "tell your principal" in response.get_data(as_text=True)
    assert _concerns(db) == []


def test_staff_flag_a_tip_too(client, db, world, places, login):
    login(world.staff)
    assert _send(client, "tip", places.tip.id).status_code == 302
    assert _concerns(db)[0].reporter.role is Role.STAFF
