"""The program dashboard, the end-of-term survey form and the board report in a browser: axe
clean and no sideways scrolling at 390 and 1280 px; charts are SVG images with their tables."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ROOT, check_screen, nav_link

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "test-artifacts" / "screenshots" / "dashboard"
WIDTHS = (390, 1280)


def _check(page, step: str) -> None:
    check_screen(page, step, ARTIFACTS)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_advisor_reads_the_dashboard_and_the_board_report(new_page, sign_in, width):
    page = new_page()
    sign_in(page, "advisor")
    page.set_viewport_size({"width": width, "height": 900})
    nav_link(page, "Dashboard").click()
    expect(page.get_by_role("heading", name="Program dashboard", level=1)).to_be_visible()
    charts = page.get_by_role("img", name="Sessions per week, by outcome")
    expect(charts).to_be_visible()
    assert page.locator("svg[role=img]").count() == 7
    page.get_by_text("The figures as a table").first.click()
    expect(page.get_by_role("table", name="Sessions per week, by outcome")).to_be_visible()
    _check(page, f"dashboard-{width}")

    page.get_by_role("link", name="Board report").first.click()
    expect(page.get_by_role("heading", name="Headlines")).to_be_visible()
    expect(page.get_by_text("Change since", exact=False).first).to_be_visible()
    _check(page, f"board-report-{width}")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF").click()
    assert download.value.suggested_filename.startswith("board-report-")
    assert download.value.path().read_bytes().startswith(b"%PDF")


def test_a_survey_is_opened_answered_on_a_phone_and_closed(new_page, sign_in):
    advisor = new_page(viewport={"width": 1280, "height": 900})
    sign_in(advisor, "advisor")
    nav_link(advisor, "Surveys").click()
    expect(advisor.get_by_role("heading", name="End-of-term surveys")).to_be_visible()
    _check(advisor, "surveys-1280")
    advisor.get_by_role("button", name="Open the survey").click()
    expect(advisor.get_by_text("teachers and mentors have been told")).to_be_visible()
    try:
        for width in (1280, 390):  # look at the form on a desktop, answer it on a phone
            teacher = new_page()
            sign_in(teacher, "james.whitaker")
            teacher.set_viewport_size({"width": width, "height": 900})
            teacher.get_by_role("link", name="Answer the survey").click()
            expect(teacher.get_by_role("heading", name="Tell us how the term went")).to_be_visible()
            _check(teacher, f"survey-form-{width}")
            if width == 1280:
                continue
            teacher.get_by_label("What have you learned?").fill("How to share a slide deck.")
            teacher.get_by_role(
                "group", name="Your confidence with technology before this term"
            ).get_by_label("2").check()
            teacher.get_by_role("group", name="Your confidence with technology now").get_by_label(
                "4"
            ).check()
            teacher.get_by_label("Yes, as “a teacher”").check()
            teacher.get_by_role("button", name="Send my answers").click()
            expect(teacher.get_by_text("Your answers to the")).to_be_visible()
        advisor.reload()
        expect(advisor.get_by_text("How to share a slide deck.")).to_be_visible()
        _check(advisor, "survey-answers-1280")
    finally:
        advisor.get_by_role("button", name="Close the survey").click()
        expect(advisor.get_by_text("survey is closed")).to_be_visible()
