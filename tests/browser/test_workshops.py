"""Workshops in a real browser: a mentor proposes, the advisor approves, a teacher takes the only
seat, another joins the waitlist and moves up when the first leaves. Every page at 1280 and
390 px: axe finds no WCAG 2.1 A/AA violation and nothing scrolls sideways. Its own server: this
test writes."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import open_context, start_live_server

pytestmark = pytest.mark.browser
WIDTHS = (1280, 390)
OVERFLOW = "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"


@pytest.fixture(scope="module")
def workshop_server(playwright_browser, tmp_path_factory):
    server, stop = start_live_server(tmp_path_factory, "workshops")
    yield server
    stop()


@pytest.fixture
def open_page(playwright_browser, workshop_server):
    contexts = []

    def make(**options):
        context = open_context(playwright_browser, workshop_server.url, **options)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def _check(page, check_page, name: str) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        check_page(page, f"workshops-{name}-{width}")
        assert not page.evaluate(OVERFLOW), f"{name} scrolls sideways at {width} px"


def test_propose_approve_sign_up_waitlist_and_promotion(open_page, sign_in, check_page):
    mentor = sign_in(open_page(), "student.hana.yilmaz")
    mentor.goto("/workshops/")
    _check(mentor, check_page, "mentor-list")
    mentor.get_by_role("link", name="Propose a workshop").click()
    mentor.get_by_role("button", name="Propose the workshop").click()  # nothing filled in
    expect(mentor.get_by_text("Give the workshop a title.").first).to_be_visible()
    _check(mentor, check_page, "propose-errors")
    mentor.get_by_label("Title").fill("Padlet walls for class discussion")
    mentor.get_by_label("What teachers will learn").fill("Set up a Padlet wall and moderate it.")
    mentor.get_by_label("Day").fill("2026-11-20")
    mentor.get_by_label("Starts").fill("16:00")
    mentor.get_by_label("Ends").fill("17:00")
    mentor.get_by_label("Room (in person)").fill("Library")
    mentor.get_by_label("Seats").fill("1")
    mentor.get_by_role("button", name="Propose the workshop").click()
    expect(mentor.get_by_text("Proposed. The advisor will approve it")).to_be_visible()
    _check(mentor, check_page, "proposal")
    workshop_url = mentor.url

    advisor = sign_in(open_page(), "advisor")
    advisor.goto("/workshops/queue")
    expect(advisor.get_by_text("Padlet walls for class discussion")).to_be_visible()
    _check(advisor, check_page, "queue")
    advisor.get_by_role("button", name="Approve Padlet walls for class discussion").click()
    expect(advisor.get_by_text("Approved. The mentors have been told")).to_be_visible()
    _check(advisor, check_page, "advisor-page")

    first = sign_in(open_page(), "helen.park")
    first.goto("/workshops/")
    _check(first, check_page, "teacher-list")
    first.get_by_role("link", name="Padlet walls for class discussion").click()
    first.get_by_role("button", name="Sign up").click()
    expect(first.get_by_text("You have a seat.").first).to_be_visible()

    second = sign_in(open_page(), "robert.gaines")
    second.set_viewport_size({"width": 390, "height": 900})  # on a phone
    second.goto(workshop_url)
    second.get_by_role("button", name="Join the waitlist").click()
    expect(second.get_by_text("You are number 1 on the waitlist.", exact=True)).to_be_visible()
    _check(second, check_page, "waitlisted")

    first.get_by_role("button", name="Give up my seat").click()
    expect(first.get_by_text("You left the workshop")).to_be_visible()

    second.reload()
    expect(second.get_by_text("You have a seat.").first).to_be_visible()
    second.goto("/notifications/")
    expect(second.get_by_text("You have a seat at").first).to_be_visible()

    mentor.reload()
    expect(mentor.get_by_role("heading", name="Roster")).to_be_visible()
    expect(mentor.get_by_text("Robert Gaines")).to_be_visible()
    _check(mentor, check_page, "roster")
