"""A weekly series from the form to its last date, on a desktop and on a phone: preview every
date, confirm, the advisor approves the series from the queue, the teacher cancels the rest from
one of its sessions. Every page is screenshotted and checked by axe; nothing scrolls sideways."""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


def _check(page: Page, check_page, step: str, width: int) -> None:
    check_page(page, f"series-{step}-{width}")
    assert page.evaluate(NO_SIDEWAYS_SCROLL), f"{page.url} scrolls sideways at {width} px"


# Each width books its own pair on its own weekday, so the two runs never meet.
@pytest.mark.parametrize(
    ("width", "teacher", "weekday"),
    [(1280, "Linda Alvarez", "Tuesdays"), (390, "Ruth Abernathy", "Mondays")],
)
def test_preview_confirm_approve_and_cancel_the_rest(
    new_page, sign_in, check_page, width, teacher, weekday
):
    page = sign_in(new_page(), teacher)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/sessions/")
    page.get_by_role("link", name="Book a weekly series").click()
    _check(page, check_page, "form", width)

    page.get_by_label("Mentor", exact=True).select_option(label="Priya N.")
    page.get_by_label("Topic area", exact=True).select_option(label="Google Classroom")
    page.get_by_label("A weekday at a time").check()
    page.get_by_label("Weekday", exact=True).select_option(label=weekday)
    page.get_by_label("Time", exact=True).fill("09:50")
    page.get_by_label("Length", exact=True).select_option(label="30 minutes")
    page.get_by_label("First date", exact=True).fill("2026-11-30")
    page.get_by_label("For a number of weeks or dates").check()
    page.get_by_label("How many", exact=True).fill("5")
    page.get_by_label("Topic", exact=True).fill("Classroom with my 7th grade")
    page.get_by_label("What do you want to learn?").fill("Return work with comments each week")
    page.get_by_label("In person", exact=True).check()
    page.get_by_label("Room (in person)").fill("Library")
    agree = page.get_by_label("I agree to the program norms")
    if agree.count():
        agree.check()
    page.get_by_role("button", name="Show the dates").click()

    heading = page.get_by_role("heading", name=re.compile(r"can be booked"))
    expect(heading).to_be_visible()
    dates = page.locator(".series-preview .series-dates li")
    expect(dates).to_have_count(5)
    bookable = page.locator(".series-preview li.ok").count()
    assert bookable >= 2, heading.inner_text()
    _check(page, check_page, "preview", width)

    page.get_by_role("button", name="Request these sessions").click()
    expect(page.get_by_role("heading", name=re.compile("^Weekly series"))).to_be_visible()
    expect(page.locator("ol.series-dates li")).to_have_count(bookable)
    series_url = page.url
    _check(page, check_page, "page", width)

    advisor = sign_in(new_page(), "advisor")
    advisor.set_viewport_size({"width": width, "height": 900})
    advisor.goto("/sessions/queue")
    row = advisor.locator(".series-list > li").filter(has_text=teacher)
    row.locator("summary").click()
    expect(row.get_by_role("button", name=re.compile("^Approve this date"))).to_have_count(bookable)
    _check(advisor, check_page, "queue", width)
    row.get_by_role("button", name=re.compile(r"^Approve all")).click()
    expect(advisor.locator(".flash").first).to_contain_text("Approved")

    page.goto(series_url)
    expect(page.locator("ol.series-dates .status-approved")).to_have_count(bookable)
    page.locator("ol.series-dates a").nth(1).click()
    expect(page.get_by_text(re.compile(rf"Weekly · 2 of {bookable}"))).to_be_visible()
    _check(page, check_page, "session", width)
    page.get_by_label("Reason (for this and the later dates)").fill("My class moves to a lab")
    page.get_by_role("button", name="Cancel this and the rest of the series").click()
    expect(page.locator(".flash").first).to_contain_text(f"Cancelled {bookable - 1} session")
    expect(page.locator("ol.series-dates .status-cancelled")).to_have_count(bookable - 1)
    _check(page, check_page, "cancelled", width)
