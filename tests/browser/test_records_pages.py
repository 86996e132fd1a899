"""The record page, its ZIP download, the access log and the privacy page in a browser: no
sideways scrolling at 390 px, axe clean at 390 and 1280 px, the download and the log entry."""

import io
import zipfile

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ROOT, check_screen, nav_link

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "test-artifacts" / "screenshots" / "records"
WIDTHS = (390, 1280)


def _check(page, step: str) -> None:
    check_screen(page, step, ARTIFACTS)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_advisor_opens_a_record_downloads_it_and_finds_it_in_the_log(new_page, sign_in, width):
    page = new_page()
    sign_in(page, "advisor")
    page.set_viewport_size({"width": width, "height": 900})
    nav_link(page, "People").click()
    page.get_by_role("link", name="Record of Priya Natarajan").click()
    expect(page.get_by_role("heading", name="Record of Priya Natarajan")).to_be_visible()
    _check(page, f"record-{width}")

    with page.expect_download() as download:
        page.get_by_role("button", name="Download everything (ZIP)").click()
    path = download.value.path()
    assert download.value.suggested_filename.startswith("helpdesk-record-")
    names = zipfile.ZipFile(io.BytesIO(path.read_bytes())).namelist()
    assert "index.html" in names and "sessions.csv" in names

    page.get_by_role("link", name="access log").click()
    expect(page.get_by_role("heading", name="Access log")).to_be_visible()
    table = page.locator("table.access-log")
    expect(table.get_by_text("Downloaded the person's whole record").first).to_be_visible()
    _check(page, f"access-log-{width}")


@pytest.mark.parametrize("width", WIDTHS)
def test_anyone_reads_the_privacy_page_from_the_footer(new_page, width):
    page = new_page(viewport={"width": width, "height": 900})
    page.goto("/login")
    page.get_by_role("contentinfo").get_by_role("link", name="Privacy").click()
    expect(
        page.get_by_role("heading", name="Privacy: what Helpdesk keeps about students")
    ).to_be_visible()
    _check(page, f"privacy-{width}")
