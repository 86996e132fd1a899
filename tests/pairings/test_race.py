"""Real concurrency: advisors pairing the same two people at once, each with their own client
and connection, started together by a barrier. The partial unique index lets exactly one win."""

import re

from helpdesk.accounts.models import Role
from helpdesk.extensions import db
from helpdesk.pairings import services
from helpdesk.pairings.models import Pairing, PairingStatus
from tests.bookings.conftest import NOW
from tests.bookings.test_race import _race, _signed_in_client
from tests.pairings.conftest import TERM

RACERS = 8


def _flashes(app, client, path: str) -> list[tuple[str, str]]:
    with app.app_context():
        page = client.get(path).get_data(as_text=True)
    return re.findall(r'class="flash flash-(\w+)">([^<]+)<', page)


def test_advisors_pairing_the_same_two_at_once_make_one_pairing(app, world, make_user):
    advisors = [world.advisor] + [
        make_user(Role.ADVISOR, school=world.school) for _ in range(RACERS - 1)
    ]
    clients = [_signed_in_client(app, advisor) for advisor in advisors]
    form = {
        "teacher_id": world.teacher.id,
        "mentor_id": world.mentor.id,
        "skill_id": world.skill.id,
        "starts_on": TERM[0].isoformat(),
        "ends_on": TERM[1].isoformat(),
        "goal_1": "Share a Doc",
    }
    results = _race(app, clients, "/pairings/new", lambda i: form)

    assert [code for code, _ in results] == [302] * RACERS
    flashes = [f for client, _ in clients for f in _flashes(app, client, "/pairings/")]
    assert sorted(kind for kind, _ in flashes) == ["error"] * (RACERS - 1) + ["success"]
    assert all(
        "Maya C. already has an active pairing with Helen Park." in text
        for kind, text in flashes
        if kind == "error"
    )
    active = db.session.scalars(
        db.select(Pairing).where(Pairing.status == PairingStatus.ACTIVE)
    ).all()
    assert len(active) == 1 and len(active[0].goals) == 1


def test_two_advisors_approving_one_request_with_different_mentors_one_wins(app, world, make_user):
    request = services.request_pairing(
        world.teacher, skill=world.skill, focus="Docs", starts_on=TERM[0], ends_on=TERM[1],
        now=NOW,
    )  # fmt: skip
    db.session.commit()
    advisors = [world.advisor, make_user(Role.ADVISOR, school=world.school)]
    clients = [_signed_in_client(app, advisor) for advisor in advisors]
    mentors = [world.mentor.id, world.mentor2.id]
    results = _race(
        app,
        clients,
        f"/pairings/{request.id}/approve",
        lambda i: {
            "mentor_id": mentors[i],
            "starts_on": TERM[0].isoformat(),
            "ends_on": TERM[1].isoformat(),
        },
    )
    assert [code for code, _ in results] == [302, 302]
    flashes = [f for client, _ in clients for f in _flashes(app, client, "/pairings/")]
    assert sorted(kind for kind, _ in flashes) == ["error", "success"], flashes
    db.session.expire_all()
    pairing = db.session.get(Pairing, request.id)
    assert pairing.status is PairingStatus.ACTIVE and pairing.mentor_id in mentors
