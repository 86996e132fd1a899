"""Two-step sign-in in a browser, by keyboard: the demo advisor sets it up (QR code, key, first
code, recovery codes), then signs in with a code and with a recovery code. Each page passes axe
at 1280 and 390 px and does not scroll sideways at 390 and 360 px."""

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from helpdesk.accounts import two_step
from helpdesk.accounts import two_step_services as services
from helpdesk.accounts.services import find_user_by_email
from helpdesk.clock import utcnow
from helpdesk.demo import DEMO_PASSWORD
from tests.browser.conftest import (
    SCREENSHOTS,
    START,
    email_of,
    nav_link,
    open_context,
    start_live_server,
)
from tests.browser.test_phone_widths import DESKTOP, at_width, check_widths

pytestmark = pytest.mark.browser
SHOTS = SCREENSHOTS / "two-step"


def teacher_uses_two_step() -> None:
    """Helen Park has two-step sign-in on: someone the advisor can reset."""
    helen = find_user_by_email(email_of("helen.park"))
    services.start_enrolment(helen)
    services.confirm_enrolment(helen, two_step.code_at(services.pending_secret(helen), utcnow()))


@pytest.fixture(scope="module")
def server(playwright_browser, tmp_path_factory):
    """A server of its own: the demo advisor's two-step sign-in must not leak into other tests."""
    live, stop = start_live_server(tmp_path_factory, "two-step", teacher_uses_two_step)
    yield live
    stop()


@pytest.fixture
def page(playwright_browser, server):
    context = open_context(playwright_browser, server.url)
    yield context.new_page()
    context.close()


def type_into(page: Page, tab_to, field, text: str) -> None:
    tab_to(page, field)
    page.keyboard.type(text)


def password_step(page: Page, tab_to) -> None:
    page.goto("/login")
    type_into(page, tab_to, page.get_by_label("Email"), email_of("advisor"))
    type_into(page, tab_to, page.get_by_label("Password", exact=True), DEMO_PASSWORD)
    page.keyboard.press("Enter")


def fits(page: Page, label: str, shot: str) -> None:
    """axe and sideways scrolling at every width, then back to the desktop."""
    assert check_widths(page, label, shot) == []
    at_width(page, DESKTOP)


def assert_code_field(field) -> None:
    expect(field).to_have_attribute("autocomplete", "one-time-code")
    expect(field).to_have_attribute("inputmode", "numeric")


def test_advisor_sets_up_two_step_and_signs_in_with_code_and_recovery_code(page, server, tab_to):
    SHOTS.mkdir(parents=True, exist_ok=True)
    shots = str(SHOTS / "two-step")
    password_step(page, tab_to)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()  # not enrolled yet
    nav_link(page, "Two-step sign-in").click()
    expect(page.get_by_role("heading", name="Two-step sign-in", level=1)).to_be_visible()
    fits(page, "settings", f"{shots}-settings")

    start = page.get_by_role("button", name="Set up two-step sign-in")
    tab_to(page, start)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Set up two-step sign-in")).to_be_visible()
    expect(page.locator("figure.qr svg")).to_be_visible()
    field = page.get_by_label("Code from your authenticator app")
    assert_code_field(field)
    fits(page, "enrolment", f"{shots}-enrol")

    secret = page.locator(".secret-key code").inner_text().replace(" ", "")
    type_into(page, tab_to, field, two_step.code_at(secret, START))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Save your recovery codes")).to_be_visible()
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    expect(page.get_by_role("button", name="Print")).to_be_visible()
    expect(page.get_by_role("link", name="Download as a text file")).to_have_attribute(
        "download", "helpdesk-recovery-codes.txt"
    )
    fits(page, "recovery codes", f"{shots}-codes")

    # Signing in again: the password, then a code from the next 30 seconds.
    page.get_by_role("button", name="Sign out").click()
    server.advance(seconds=30)
    password_step(page, tab_to)
    field = page.get_by_label("Code from your authenticator app")
    expect(field).to_be_focused()
    assert_code_field(field)
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    fits(page, "code step", f"{shots}-code")
    page.keyboard.type(two_step.code_at(secret, START + timedelta(seconds=30)))
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    # A lost phone: a recovery code instead, once.
    page.get_by_role("button", name="Sign out").click()
    password_step(page, tab_to)
    recovery_link = page.get_by_role("link", name="Use a recovery code")
    tab_to(page, recovery_link)
    page.keyboard.press("Enter")
    field = page.get_by_label("Recovery code")
    expect(field).to_be_focused()
    fits(page, "recovery step", f"{shots}-recovery")
    page.keyboard.type(codes[0])
    page.keyboard.press("Enter")
    expect(page.get_by_text("You signed in with a recovery code; 9 codes left.")).to_be_visible()

    # Helen Park lost her phone and her codes: the advisor resets her two-step sign-in.
    page.goto("/account/two-step")
    page.get_by_role("link", name="Reset someone's two-step sign-in").click()
    fits(page, "people list", f"{shots}-people")
    reset = page.get_by_role("link", name="Reset Helen Park's two-step sign-in")
    tab_to(page, reset)
    page.keyboard.press("Enter")
    expect(
        page.get_by_role("heading", name="Reset two-step sign-in for Helen Park?")
    ).to_be_visible()
    fits(page, "reset confirmation", f"{shots}-reset")
    confirm = page.get_by_role("button", name="Reset Helen Park's two-step sign-in")
    tab_to(page, confirm)
    page.keyboard.press("Enter")
    expect(page.get_by_text("Two-step sign-in is off for Helen Park")).to_be_visible()
    expect(page.get_by_text("Nobody else uses two-step sign-in.")).to_be_visible()
