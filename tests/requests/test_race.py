"""Real concurrency: ten mentors, each with their own client and connection, claim at once."""

import re
import threading

from flask.testing import FlaskClient

from helpdesk.accounts.models import Role
from helpdesk.extensions import db
from helpdesk.mentors.services import profile_for, update_profile
from helpdesk.requests.models import HelpRequest, RequestEvent, RequestStatus
from tests.conftest import CSRF_PATTERN, PASSWORD

RACERS = 10


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


def test_ten_mentors_claim_one_request_and_exactly_one_wins(app, world, ask, make_user):
    r = ask()
    mentors = []
    for _ in range(RACERS):
        mentor = make_user(Role.MENTOR, school=world.school)
        update_profile(profile_for(mentor), bio="", story="", weekly_cap=None, offers_online=True,
                       offers_in_person=True, skill_levels={world.docs.id: 2})  # fmt: skip
        mentors.append(mentor)
    request_id = r.id
    clients = [_signed_in_client(app, mentor) for mentor in mentors]
    db.session.commit()
    barrier = threading.Barrier(RACERS)
    results: list = [None] * RACERS

    def run(index, client, token):
        barrier.wait()
        with app.app_context():
            response = client.post(f"/requests/{request_id}/claim", data={"csrf_token": token})
            page = client.get(response.headers["Location"]).get_data(as_text=True)
        results[index] = (response.status_code, page)

    threads = [threading.Thread(target=run, args=(i, c, t)) for i, (c, t) in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert [code for code, _ in results] == [302] * RACERS
    flashes = [re.findall(r'class="flash flash-(\w+)">([^<]+)<', page) for _, page in results]
    kinds = sorted(kind for found in flashes for kind, _ in found)
    assert kinds == ["error"] * (RACERS - 1) + ["success"], flashes
    losers = [text for found in flashes for kind, text in found if kind == "error"]
    assert set(losers) == {"Another mentor just claimed this request."}
    db.session.expire_all()
    claimed = db.session.get(HelpRequest, request_id)
    assert claimed.status is RequestStatus.CLAIMED and claimed.mentor_id in {m.id for m in mentors}
    events = db.session.scalars(
        db.select(RequestEvent).where(
            RequestEvent.request_id == request_id, RequestEvent.to_status == "claimed"
        )
    ).all()
    assert len(events) == 1 and events[0].actor_id == claimed.mentor_id
