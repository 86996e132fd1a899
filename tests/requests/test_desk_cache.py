"""The desk's lists come from memory on a second look, and never miss a change or the clock."""

import pytest

from helpdesk.extensions import db
from helpdesk.requests import services
from tests.conftest import without_csrf

pytestmark = pytest.mark.usefixtures("as_migrated")


@pytest.fixture
def desk(client, login, world):
    login(world.mentor2)

    def page() -> str:
        response = client.get("/requests/")
        assert response.status_code == 200
        return response.get_data(as_text=True)

    return page


def test_the_desk_again_comes_from_memory(desk, ask, count_queries):
    ask(summary="Projector will not mirror")
    with count_queries() as first:
        page = desk()
    with count_queries() as again:
        assert without_csrf(desk()) == without_csrf(page)
    assert "Projector will not mirror" in page
    assert any("help_request" in s for s in first)
    assert not any("help_request" in s for s in again)


def test_a_new_request_and_a_claim_show_at_once(desk, ask, world, clock):
    assert "Printer jams" not in desk()
    help_request = ask(summary="Printer jams")
    assert "Printer jams" in desk()
    services.claim_request(help_request, world.mentor, clock.now)
    db.session.commit()
    page = desk()  # mentor2's desk: the request is no longer open to claim
    assert "Printer jams" not in page


def test_a_topic_change_shows_at_once(desk, ask, world):
    ask(summary="Trim my clip", skill=world.video)
    assert "Trim my clip" in desk()
    services.set_topic_rules(world.video, required_level=None, is_escalate_only=True)
    db.session.commit()
    assert "Trim my clip" not in desk()  # adult IT only now


def test_overdue_marks_follow_the_clock(desk, ask, clock):
    ask(summary="Projector will not mirror")
    assert "No answer within" not in desk()
    clock.advance(hours=5)  # past the 4 school hours of the first-response target
    assert "No answer within 4 school hours" in desk()
