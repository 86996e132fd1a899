"""Tip pages: who sees what, the review flow through forms, XSS, and the library's query count."""

from html.parser import HTMLParser

import pytest
from sqlalchemy import event

from helpdesk.accounts.models import Role
from helpdesk.tips.models import Tip, TipStatus

XSS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "<svg onload=alert(1)>",
    "[x](javascript:alert(1))",
    '"><script>alert(1)</script>',
    "\x02<script>alert(1)</script>\x03",
]


class _ActiveContent(HTMLParser):
    """Collects what a browser would run: script/embed elements, handlers, script URLs."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "img", "svg", "iframe", "object", "embed", "style"}:
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(name)
            if name in {"href", "src"} and (value or "").strip().lower().startswith(
                ("javascript:", "data:", "vbscript:")
            ):
                self.found.append(value)


def _inert(html: str) -> None:
    parser = _ActiveContent()
    parser.feed(html)
    own_scripts = [f for f in parser.found if f == "script"]
    # base.html loads our own scripts by src; nothing else may appear.
    assert len(own_scripts) == html.count('<script src="/static/'), parser.found
    assert [f for f in parser.found if f != "script"] == []


@pytest.mark.parametrize("status", [TipStatus.DRAFT, TipStatus.SUBMITTED, TipStatus.RETURNED])
@pytest.mark.parametrize("role", [Role.TEACHER, Role.MENTOR, Role.STAFF])
def test_unpublished_tips_are_404_to_others(client, login_as, make_tip, status, role):
    tip = make_tip(status=status)
    login_as(role)
    assert client.get(f"/tips/{tip.id}").status_code == 404
    assert client.post_form(f"/tips/{tip.id}/helpful").status_code == 404


def test_author_and_advisor_see_a_draft(client, login, make_booking, make_tip):
    booking = make_booking()
    tip = make_tip(status=TipStatus.DRAFT, author=booking.mentor, booking=booking)
    login(booking.mentor)
    page = client.get(f"/tips/{tip.id}").get_data(as_text=True)
    assert "Send for review" in page and "only its author and the advisor" in page


def test_mentor_writes_submits_and_advisor_publishes(
    client, login, make_booking, make_skill, make_user, db
):
    booking = make_booking()
    skill = make_skill()
    login(booking.mentor)
    assert booking.topic in client.get(f"/tips/new?booking={booking.id}").get_data(as_text=True)
    response = client.post_form(
        f"/tips/new?booking={booking.id}",
        {
            "title": "Comment-only sharing",
            "body": "Choose **Commenter**.",
            "skills": [skill.id],
            "devices": ["ipad", "mac"],
        },  # fmt: skip
        page=f"/tips/new?booking={booking.id}",
    )
    assert response.status_code == 302
    tip = db.session.scalar(db.select(Tip))
    assert client.post_form(f"/tips/{tip.id}/submit").status_code == 302
    db.session.refresh(tip)
    assert tip.status is TipStatus.SUBMITTED
    assert client.post_form(f"/tips/{tip.id}/publish").status_code == 403
    client.post_form("/logout")
    login(make_user(Role.ADVISOR))
    assert "Comment-only sharing" in client.get("/tips/review").get_data(as_text=True)
    assert client.post_form(f"/tips/{tip.id}/publish").status_code == 302
    db.session.refresh(tip)
    assert tip.status is TipStatus.PUBLISHED


def test_teacher_cannot_write_publish_or_open_the_queue(client, login_as, make_tip, make_booking):
    tip = make_tip(status=TipStatus.SUBMITTED)
    booking = make_booking()
    login_as(Role.TEACHER)
    assert client.get("/tips/new").status_code == 403
    assert client.get(f"/tips/new?booking={booking.id}").status_code == 403
    assert client.get("/tips/review").status_code == 403
    assert client.post_form(f"/tips/{tip.id}/publish").status_code == 403
    assert client.post_form(f"/tips/{tip.id}/return", {"comment": "x"}).status_code == 403


def test_another_mentor_cannot_write_from_a_session(client, login_as, make_booking):
    booking = make_booking()
    login_as(Role.MENTOR)
    assert client.get(f"/tips/new?booking={booking.id}").status_code == 404


def test_advisor_returns_with_a_comment(client, login, make_tip, db):
    tip = make_tip(status=TipStatus.SUBMITTED)
    login(make_tip.advisor())
    client.post_form(
        f"/tips/{tip.id}/return", {"comment": "Remove room 204."}, page=f"/tips/{tip.id}"
    )
    db.session.refresh(tip)
    assert tip.status is TipStatus.RETURNED and tip.review_comment == "Remove room 204."


def test_tokenless_post_is_refused(client, login_as, make_tip):
    tip = make_tip()
    login_as(Role.TEACHER)
    assert client.post(f"/tips/{tip.id}/helpful").status_code == 400


def test_views_and_helpful_votes(client, login_as, make_tip, db):
    tip = make_tip()
    login_as(Role.STAFF)
    client.get(f"/tips/{tip.id}")
    client.get(f"/tips/{tip.id}")  # a reload in the same session counts once
    client.post_form(f"/tips/{tip.id}/helpful", page=f"/tips/{tip.id}")
    client.post_form(f"/tips/{tip.id}/helpful", page=f"/tips/{tip.id}")
    db.session.refresh(tip)
    assert (tip.view_count, tip.helpful_count) == (1, 1)


def test_tip_page_credits_the_mentor_links_the_topic_not_the_session(
    client, login_as, make_tip, make_booking
):
    booking = make_booking()
    tip = make_tip(author=booking.mentor, booking=booking)
    related = make_tip(title="Another Docs tip")
    login_as(Role.TEACHER)
    page = client.get(f"/tips/{tip.id}").get_data(as_text=True)
    assert booking.mentor.display_name in page
    assert booking.mentor.full_name not in page
    assert "/bookings/" not in page and f"?skill={booking.skill_id}" in page
    assert f"/tips/{related.id}" in page  # related tips


def test_library_search_highlights_for_staff(client, login_as, make_tip):
    make_tip(body="Pinch the timeline to zoom.")
    login_as(Role.STAFF)
    page = client.get("/tips/?q=timeline").get_data(as_text=True)
    assert "<mark>timeline</mark>" in page


def test_suggest_returns_a_fragment_or_nothing(client, login_as, make_tip):
    tip = make_tip(title="Mirror a Chromebook", body="Use Cast.")
    login_as(Role.TEACHER)
    fragment = client.get("/tips/suggest?q=chromebook+screen").get_data(as_text=True)
    assert f"/tips/{tip.id}" in fragment and "<mark>" in fragment and "<html" not in fragment
    assert client.get("/tips/suggest?q=zebra").get_data(as_text=True).strip() == ""
    assert client.get("/tips/suggest").status_code == 200


@pytest.mark.parametrize("payload", XSS)
def test_xss_in_titles_and_bodies_is_inert_everywhere(client, login_as, make_tip, payload):
    tip = make_tip(title=f"Docs {payload}"[:120], body=f"Docs tip {payload} docs")
    login_as(Role.TEACHER)
    for url in ("/tips/", "/tips/?q=docs", f"/tips/{tip.id}", "/tips/suggest?q=docs",
                "/tips/?q=script", "/tips/suggest?q=alert"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 200
        _inert(response.get_data(as_text=True))


@pytest.mark.parametrize("query", ['"', "NEAR(", "\x00", "😀", "x" * 10_000, "-a OR NOT (b"])
def test_library_answers_any_query(client, login_as, make_tip, query):
    make_tip()
    login_as(Role.STAFF)
    assert (
        client.get("/tips/", query_string={"q": query, "sort": "bogus", "page": "x"}).status_code
        == 200
    )
    assert client.get("/tips/suggest", query_string={"q": query}).status_code == 200


def _count_statements(client, db, url):
    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


@pytest.mark.parametrize("url", ["/tips/", "/tips/?q=docs"])
def test_library_query_count_does_not_grow_with_tips(
    client, login_as, make_tip, make_skill, db, url
):
    login_as(Role.STAFF)
    skills = [make_skill("Google Docs"), make_skill("Video")]
    for n in range(5):
        make_tip(title=f"Docs tip {n}", skills=skills)
    few = _count_statements(client, db, url)
    for n in range(45):
        make_tip(title=f"Docs tip {n + 5}", skills=skills)
    assert _count_statements(client, db, url) == few
