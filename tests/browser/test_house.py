"""The recognition page in a browser, from the demo district: reached from the menu, at 390
and 1280 px with no sideways scroll and no axe violation; the advisor hides a thanks and a
teacher stops sharing one, with the keyboard and the mouse."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ROOT, check_screen, nav_link

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "test-artifacts" / "screenshots" / "house"
WIDTHS = (390, 1280)


def _check(page, step: str) -> None:
    check_screen(page, step, ARTIFACTS)


def _named(action: str, what: str) -> re.Pattern:
    """A button's accessible name: the visible word, then what it acts on (read out only)."""
    return re.compile(rf"^{re.escape(action)}\s*:\s*{re.escape(what)}")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("who", ["student.maya.chen", "librarian"])
def test_mentors_and_staff_read_the_page_from_the_menu(new_page, sign_in, who, width):
    page = new_page()
    sign_in(page, who)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/")  # the menu starts as it does at this width (app.js keeps it open when wide)
    nav_link(page, "Recognition").click()
    expect(page.get_by_role("heading", name="Recognition", level=1)).to_be_visible()
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", name="Maya C.")).to_be_visible()
    expect(main.get_by_text("25 hours of service", exact=True)).to_be_visible()
    expect(main.get_by_text("Most helpful tip", exact=True)).to_be_visible()
    assert "Chen" not in main.inner_text() and "Natarajan" not in main.inner_text()
    _check(page, f"recognition-{who}-{width}")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_advisor_hides_a_thanks_and_shows_it_again(new_page, sign_in, width):
    page = new_page()
    sign_in(page, "advisor")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/")  # the menu starts as it does at this width (app.js keeps it open when wide)
    nav_link(page, "Recognition").click()
    _check(page, f"recognition-advisor-{width}")
    hide = page.get_by_role("button", name=_named("Hide", "thanks to Aisha B."))
    hide.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Hidden from the recognition page.")).to_be_visible()
    show = page.get_by_role("button", name=_named("Show again", "thanks to Aisha B."))
    expect(show).to_be_visible()
    _check(page, f"recognition-advisor-hidden-{width}")
    show.click()
    expect(page.get_by_role("button", name=_named("Hide", "thanks to Aisha B."))).to_be_visible()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_teacher_stops_sharing_and_shares_again(new_page, sign_in, width):
    page = new_page()
    sign_in(page, "Helen Park")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/")
    page.get_by_role("main").get_by_role("link", name="Recognition").click()
    thanks = page.get_by_role("region", name="Thanks from teachers")
    quote = re.compile("Maya was so patient")
    expect(thanks.get_by_text(quote)).to_be_visible()
    _check(page, f"recognition-teacher-{width}")
    page.get_by_role("button", name=_named("Stop sharing", "thanks to Maya C.")).click()
    expect(page.get_by_text("Your thank-you is no longer shared.")).to_be_visible()
    expect(thanks.get_by_text(quote)).to_have_count(0)
    page.get_by_role("button", name=_named("Share", "thanks to Maya C.")).click()
    expect(thanks.get_by_text(quote)).to_be_visible()
