"""The library's rendered results are shared between searches, and never outlive a change."""

import pytest

from helpdesk.accounts.models import Role
from helpdesk.extensions import db
from helpdesk.tips import services
from helpdesk.tips.models import TipStatus
from tests.conftest import without_csrf

# The clock is pinned: entries are kept per five minutes of it, and a second look must not fall
# into the next five.
pytestmark = pytest.mark.usefixtures("as_migrated", "clock")


def _search(client, query: str, **args) -> str:
    response = client.get("/tips/", query_string={"q": query, **args})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_same_search_again_skips_the_search(client, login_as, make_tip, count_queries):
    make_tip("Trim a video clip", "Open iMovie and drag the clip's yellow edge.")
    login_as(Role.TEACHER)
    with count_queries() as first:
        page = _search(client, "clip")
    with count_queries() as again:
        assert without_csrf(_search(client, "clip")) == without_csrf(page)
    assert "<mark>clip</mark>" in page
    assert len(again) < len(first)
    assert not [s for s in again if "tip_fts" in s or "search_vector" in s]


def test_a_newly_published_tip_shows_at_once(client, login_as, make_tip, make_user):
    make_tip("Trim a video clip", "Open iMovie and drag the clip's yellow edge.")
    teacher = login_as(Role.TEACHER)
    assert "1 tip matches" in _search(client, "clip")
    draft = make_tip("Caption a clip", "Turn on captions for the clip.", status=TipStatus.SUBMITTED)
    services.publish_tip(draft, by=make_user(Role.ADVISOR))
    db.session.commit()
    page = _search(client, "clip")
    assert "2 tips match" in page and "Caption a" in page
    assert teacher.is_teacher


def test_a_tip_taken_back_leaves_the_results_at_once(client, login_as, make_tip, make_user):
    tip = make_tip("Trim a video clip", "Open iMovie and drag the clip's yellow edge.")
    login_as(Role.TEACHER)
    assert "Trim a video" in _search(client, "clip")
    services.return_tip(tip, by=make_user(Role.ADVISOR), comment="It names a student.")
    db.session.commit()
    page = _search(client, "clip")
    assert "Trim a video" not in page and "No tips match" in page


def test_an_edit_and_a_vote_show_in_the_same_search(client, login_as, make_tip, make_user):
    tip = make_tip("Trim a video clip", "Open iMovie and drag the clip's yellow edge.")
    login_as(Role.TEACHER)
    assert "0 found it helpful" in _search(client, "clip")
    advisor = db.session.get(type(tip.author), tip.author_id)
    services.update_tip(
        tip, by=advisor, title="Shorten a video clip", body=tip.body, skills=list(tip.skills),
        devices=tip.devices,
    )  # fmt: skip
    services.vote_helpful(tip, make_user(Role.STAFF))
    db.session.commit()
    page = _search(client, "clip")
    assert "Shorten a video" in page and "Trim a video" not in page
    assert "1 found it helpful" in page


def test_a_change_that_is_rolled_back_keeps_the_cached_result(
    client, login_as, make_tip, make_user, count_queries
):
    tip = make_tip("Trim a video clip", "Open iMovie and drag the clip's yellow edge.")
    login_as(Role.TEACHER)
    page = _search(client, "clip")
    services.vote_helpful(tip, make_user(Role.STAFF))
    db.session.rollback()
    with count_queries() as again:
        assert without_csrf(_search(client, "clip")) == without_csrf(page)
    assert not [s for s in again if "tip_fts" in s or "search_vector" in s]


def test_related_tips_follow_a_newly_published_tip(client, login_as, make_tip, make_user):
    first = make_tip("Trim a video clip", "Open iMovie and drag the clip's yellow edge.")
    make_tip("Caption a video", "Turn on captions.")
    login_as(Role.TEACHER)
    page = client.get(f"/tips/{first.id}").get_data(as_text=True)
    assert "Caption a video" in page and "Export a video" not in page
    draft = make_tip("Export a video", "Choose Share, then File.", status=TipStatus.SUBMITTED)
    services.publish_tip(draft, by=make_user(Role.ADVISOR))
    db.session.commit()
    assert "Export a video" in client.get(f"/tips/{first.id}").get_data(as_text=True)
