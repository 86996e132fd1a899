"""The safeguarding pages in a real browser: the advisor's settings page and a refused profile
story, at desktop and phone width: axe finds no WCAG 2.1 A/AA violation, nothing scrolls
sideways, and the refusal is read next to the field it is about."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
WIDTHS = (1280, 390)
OVERFLOW = "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"


def _check_both_widths(page, check_page, name: str) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        check_page(page, f"safeguarding-{name}-{width}")
        assert not page.evaluate(OVERFLOW), f"{name} scrolls sideways at {width} px"


def test_the_advisors_safeguarding_settings(live_server, new_page, sign_in, check_page):
    page = sign_in(new_page(), "advisor")
    page.goto(f"{live_server.url}/safeguarding/settings")
    expect(page.get_by_role("heading", name="Safeguarding")).to_be_visible()
    expect(page.get_by_label("Other allowed meeting services")).to_contain_text("zoom.us")
    _check_both_widths(page, check_page, "settings")
    # A bad host is refused where it was typed; nothing is saved.
    page.get_by_label("Other allowed meeting services").fill("evil.com/zoom.us")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("is not a host name")).to_be_visible()
    _check_both_widths(page, check_page, "settings-refused")


def test_a_story_with_a_phone_number_is_refused_saying_why(
    live_server, new_page, sign_in, check_page
):
    page = sign_in(new_page(), "student.maya.chen")
    page.goto(f"{live_server.url}/mentors/me")
    page.get_by_label("My story").fill("Text me at 555-867-5309 if the projector dies.")
    page.get_by_role("button", name="Save profile").click()
    expect(
        page.get_by_text(
            "For everyone's safety, Helpdesk doesn't allow phone numbers in profile stories. "
            "Found: a phone number (555-867-5309)."
        )
    ).to_be_visible()
    _check_both_widths(page, check_page, "profile-refused")
