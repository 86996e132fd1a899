"""A wrong password, then the throttle: the sixth try in 15 minutes is refused, even a right one."""

import pytest
from playwright.sync_api import expect

from helpdesk.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

EMAIL = "principal@demo-district.example.org"


def test_wrong_password_then_the_throttle(new_page, check_page, tab_to):
    page = new_page()
    for attempt in range(5):
        page.goto("/login")
        email = page.get_by_label("Email")
        tab_to(page, email)
        page.keyboard.type(EMAIL)
        tab_to(page, page.get_by_label("Password", exact=True))
        page.keyboard.type(f"not-the-password-{attempt}")
        tab_to(page, page.get_by_role("button", name="Sign in"))
        page.keyboard.press("Enter")
        expect(
            page.get_by_text("That email and password do not match an active account.")
        ).to_be_visible()
        expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    check_page(page, "sign-in-wrong-password")

    page.goto("/login")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Too many failed sign-in attempts for this account.")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    check_page(page, "sign-in-throttled")
