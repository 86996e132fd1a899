"""The advisor's and the safeguarding contact's home pages count open concerns, in no extra
statements."""

import re

import pytest

from helpdesk.concerns import services as concerns
from helpdesk.concerns.models import ConcernStatus

COUNT = re.compile(r'href="/concerns/"><span class="home-count">([^<]+)</span> open')


def _count(client) -> str | None:
    found = COUNT.search(client.get("/").get_data(as_text=True))
    return found.group(1) if found else None


@pytest.mark.parametrize("who", ["advisor", "contact"])
def test_home_counts_concerns_not_yet_closed(
    client, db, world, places, login, raise_one, clock, who
):
    login(world.advisor if who == "advisor" else places.contact)
    assert _count(client) == "0 concerns"
    first, second, third = raise_one(), raise_one(kind="tip"), raise_one(kind="profile")
    concerns.change_status(second, world.advisor, ConcernStatus.REVIEWING, "", clock.now)
    concerns.change_status(third, world.advisor, ConcernStatus.CLOSED, "Sorted.", clock.now)
    db.session.commit()
    assert _count(client) == "2 concerns"
    concerns.change_status(first, world.advisor, ConcernStatus.CLOSED, "Sorted.", clock.now)
    db.session.commit()
    assert _count(client) == "1 concern"


def test_other_staff_see_no_concerns_on_their_home(client, world, places, login, raise_one):
    raise_one()
    login(world.staff)
    html = client.get("/").get_data(as_text=True)
    assert "Safeguarding" not in html
    assert "/concerns/" not in html


@pytest.mark.parametrize(("who", "budget"), [("advisor", 9), ("contact", 3)])
def test_the_count_adds_no_statements(
    client, db, world, places, login, raise_one, count_queries, who, budget
):
    login(world.advisor if who == "advisor" else places.contact)
    client.get("/")  # fills the per-worker caches
    with count_queries() as few:
        client.get("/")
    for _ in range(5):
        raise_one(kind="tip")
    with count_queries() as many:
        client.get("/")
    assert len(many) == len(few) <= budget


def test_the_concern_pages_load_in_a_fixed_number_of_statements(
    client, db, world, places, login, raise_one, count_queries, clock
):
    first = raise_one()
    login(world.advisor)
    with count_queries() as few:
        client.get("/concerns/")
    with count_queries() as one_page:
        client.get(f"/concerns/{first.id}")
    assert len(one_page) <= 8, one_page
    for kind in ("tip", "profile", "message", "tip", "profile"):
        concern = raise_one(kind=kind)
        concerns.change_status(
            concern, world.advisor, ConcernStatus.REVIEWING, "Looking", clock.now
        )
    db.session.commit()
    with count_queries() as many:
        client.get("/concerns/")
    assert len(many) == len(few)
    with count_queries() as busy_page:
        client.get(f"/concerns/{concern.id}")
    assert len(busy_page) <= 8, busy_page  # the history grew; its statements did not
