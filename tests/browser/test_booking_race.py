"""Two teachers submit the same slot at the same moment: exactly one gets it."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import nav_link

pytestmark = pytest.mark.browser

JUST_TAKEN = "That time was just taken."
REQUESTED = "Requested. The time is held for you"


def open_first_slot(page: Page, skill: str) -> str:
    nav_link(page, "Find a mentor").click()
    page.get_by_label("Topic").select_option(label=skill)
    # The finder starts on each teacher's last length (the demo gives teachers different ones);
    # racing for one slot means asking for the same length.
    page.get_by_label("Session length").select_option(label="20 minutes")
    page.get_by_role("button", name="Find mentors").click()
    slot = page.get_by_role("link", name="Book ").first
    name = slot.get_attribute("aria-label")
    slot.click()
    expect(page.get_by_role("heading", name="Request a session")).to_be_visible()
    return name


def fill_booking(page: Page, topic: str) -> None:
    page.get_by_label("Topic").fill(topic)
    page.get_by_label("What do you want to learn?").fill("Set up a gradebook with formulas.")
    page.get_by_label("Room (in person)").fill("Room 12")
    page.get_by_label("I agree to the program norms").check()


def test_two_teachers_race_for_one_slot(new_page, sign_in, check_page):
    first = sign_in(new_page(), "robert.gaines")
    second = sign_in(new_page(), "ruth.abernathy")
    slot = open_first_slot(first, "Spreadsheets")
    assert open_first_slot(second, "Spreadsheets") == slot
    fill_booking(first, "Gradebook formulas (Robert)")
    fill_booking(second, "Gradebook formulas (Ruth)")

    # Both forms are sent at one agreed instant, as two people clicking together would.
    at = first.evaluate("() => Date.now() + 400")
    submit_at = "(at) => { const form = document.querySelector('main form'); setTimeout(() => form.requestSubmit(), at - Date.now()); }"
    for page in (first, second):
        page.evaluate(submit_at, at)

    outcomes = {}
    for name, page in (("first", first), ("second", second)):
        expect(page.get_by_text(REQUESTED).or_(page.get_by_text(JUST_TAKEN))).to_be_visible()
        outcomes[name] = "won" if page.get_by_text(REQUESTED).is_visible() else "lost"
    assert sorted(outcomes.values()) == ["lost", "won"], outcomes

    loser = first if outcomes["first"] == "lost" else second
    expect(loser.get_by_text(f"{JUST_TAKEN} Here are other open times.")).to_be_visible()
    expect(loser.get_by_role("heading", name="Other open times")).to_be_visible()
    check_page(loser, "race-slot-taken")
    winner = second if loser is first else first
    expect(winner.get_by_text("Waiting for approval", exact=True)).to_be_visible()
