"""Concerns in a real browser: a teacher flags a session in two clicks (keyboard only for the
form), the advisor reads and closes it; axe finds no WCAG 2.1 A/AA violation and nothing
scrolls sideways, at desktop and phone widths. Its own server: this test writes."""

import pytest
from playwright.sync_api import expect

from helpdesk.bookings.models import Booking, BookingStatus
from helpdesk.demo import DOMAIN
from helpdesk.extensions import db
from tests.browser.conftest import start_live_server

pytestmark = pytest.mark.browser
WIDTHS = (1280, 390)
OVERFLOW = "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"


@pytest.fixture(scope="module")
def concern_server(playwright_browser, tmp_path_factory):
    server, stop = start_live_server(tmp_path_factory, "concerns")
    yield server
    stop()


@pytest.fixture
def open_page(playwright_browser, concern_server):
    from tests.browser.conftest import open_context

    contexts = []

    def make(**options):
        context = open_context(playwright_browser, concern_server.url, **options)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def _check(page, check_page, name: str) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        check_page(page, f"concerns-{name}-{width}")
        assert not page.evaluate(OVERFLOW), f"{name} scrolls sideways at {width} px"


def _a_session_of(server, teacher_local: str) -> int:
    with server.app.app_context():
        from helpdesk.accounts.models import User

        teacher = db.session.scalar(
            db.select(User.id).where(User.email == f"{teacher_local}@{DOMAIN}")
        )
        return db.session.scalar(
            db.select(Booking.id)
            .where(Booking.teacher_id == teacher, Booking.status == BookingStatus.COMPLETED)
            .order_by(Booking.starts_at.desc())
            .limit(1)
        )


def test_flag_a_session_then_the_advisor_closes_it(
    concern_server, open_page, sign_in, check_page, tab_to
):
    booking_id = _a_session_of(concern_server, "helen.park")
    page = sign_in(open_page(), "helen.park")
    page.goto(f"/sessions/{booking_id}")
    page.get_by_role("link", name="Flag a concern about this session").click()  # click one
    expect(page.get_by_role("heading", name="Flag a concern")).to_be_visible()
    _check(page, check_page, "form")

    page.set_viewport_size({"width": 390, "height": 900})
    page.get_by_role("button", name="Send the concern").click()  # nothing filled in
    expect(page.get_by_text("Choose what it is about.")).to_be_visible()
    _check(page, check_page, "form-errors")

    choice = page.get_by_label("I am worried about someone's safety")
    tab_to(page, page.get_by_label("It made me or someone uncomfortable"))
    choice.check()
    page.get_by_label("What happened").fill("He looked scared when another student came in.")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # keep my name from the person
    expect(
        page.get_by_label("Ask that my name is kept from the person this is about")
    ).to_be_checked()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # click two
    expect(page.get_by_text("Your concern was sent")).to_be_visible()
    _check(page, check_page, "mine")

    advisor = sign_in(open_page(), "advisor")
    advisor.goto("/")
    advisor.get_by_role("link", name="open", exact=False).filter(has_text="concern").click()
    expect(advisor.get_by_role("heading", name="Concerns", exact=True)).to_be_visible()
    _check(advisor, check_page, "list")
    advisor.get_by_role("link", name="I am worried about someone's safety").first.click()
    expect(advisor.get_by_text("He looked scared")).to_be_visible()
    _check(advisor, check_page, "page")

    advisor.get_by_role("button", name="Close with this outcome").click()  # no outcome yet
    expect(advisor.get_by_text("Write the outcome before closing")).to_be_visible()
    advisor.get_by_label("Note").fill("Checked in with the mentor and his counselor.")
    advisor.get_by_role("button", name="Close with this outcome").click()
    expect(advisor.get_by_text("The concern is now closed.")).to_be_visible()
    expect(advisor.locator(".history li")).to_have_count(2)
    _check(advisor, check_page, "closed")
