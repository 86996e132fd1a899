"""The hours ledger in a browser at 390 and 1280 px: a mentor's own ledger with progress bars,
the advisor's ledger (filter, verify the selected entries), an entry's page, the settings, and
the public certificate check. No sideways scrolling, axe clean."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ROOT, check_screen, nav_link

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "test-artifacts" / "screenshots" / "hours"
WIDTHS = (390, 1280)


def _check(page, step: str) -> None:
    check_screen(page, step, ARTIFACTS)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_mentor_reads_their_hours_progress_and_certificate(new_page, sign_in, width):
    page = new_page()
    sign_in(page, "student.maya.chen")
    page.set_viewport_size({"width": width, "height": 900})
    nav_link(page, "My hours").click()
    expect(page.get_by_role("heading", name="My hours", level=1)).to_be_visible()
    service = page.get_by_role("progressbar", name="Service learning (Seal of Civic Readiness)")
    expect(service).to_have_attribute("value", "100")
    expect(page.get_by_text("Target reached.").first).to_be_visible()
    expect(page.get_by_role("link", name="Service certificate", exact=False)).to_be_visible()
    _check(page, f"mentor-ledger-{width}")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_advisor_filters_verifies_and_opens_an_entry(new_page, sign_in, width):
    page = new_page()
    sign_in(page, "advisor")
    page.set_viewport_size({"width": width, "height": 900})
    nav_link(page, "Hours ledger").click()
    expect(page.get_by_role("heading", name="Hours ledger")).to_be_visible()
    page.get_by_label("Status").select_option("pending")
    page.get_by_role("button", name="Filter").click()
    _check(page, f"advisor-ledger-{width}")
    boxes = page.get_by_role("checkbox")
    before = boxes.count()
    assert before > 1
    boxes.first.check()
    page.get_by_role("button", name="Verify the selected entries").click()
    expect(page.get_by_text("Verified 1 of 1 selected entries.")).to_be_visible()

    page.get_by_role("link", name="Session:", exact=False).first.click()
    expect(page.get_by_role("heading", name="History")).to_be_visible()
    _check(page, f"advisor-entry-{width}")
    page.get_by_label("Minutes to count").fill("15")
    page.get_by_label("Reason").fill("Ended early")
    page.get_by_role("button", name="Adjust minutes").click()
    expect(page.get_by_text("Entry adjusted.")).to_be_visible()
    expect(page.get_by_text("Ended early").first).to_be_visible()

    nav_link(page, "Hours settings").click()
    expect(page.get_by_role("heading", name="Hours settings")).to_be_visible()
    _check(page, f"advisor-settings-{width}")


@pytest.mark.parametrize("width", WIDTHS)
def test_anyone_checks_a_certificate_code(new_page, live_server, width):
    from helpdesk.extensions import db
    from helpdesk.hours.certificates import pretty_code
    from helpdesk.hours.models import Certificate

    with live_server.app.app_context():
        code = pretty_code(db.session.scalars(db.select(Certificate.code)).first())
    page = new_page(viewport={"width": width, "height": 900})
    page.goto("/verify")
    _check(page, f"verify-form-{width}")
    page.get_by_label("Verification code").fill(code.lower().replace("-", " "))
    page.get_by_role("button", name="Check").click()
    expect(page.get_by_role("heading", name="Valid certificate")).to_be_visible()
    _check(page, f"verify-valid-{width}")
