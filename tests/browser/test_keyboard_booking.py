"""A teacher books a session with the keyboard alone (Tab, Enter, Space, arrows and typing),
and every stop on the way shows where the focus is."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_booking_with_the_keyboard_alone(new_page, sign_in, check_page, tab_to):
    page = sign_in(new_page(), "michael.brennan")
    page.goto("/find/")

    tab_to(page, page.get_by_role("link", name="Skip to content"))
    page.keyboard.press("Enter")
    topic = page.get_by_label("Topic")
    tab_to(page, topic)
    page.keyboard.type("Chromebooks")
    expect(topic.locator("option:checked")).to_have_text("Chromebooks")
    tab_to(page, page.get_by_role("button", name="Find mentors"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="free")).to_be_visible()

    slot = page.get_by_role("link", name="Book ").first
    booked = slot.get_attribute("aria-label").removeprefix(
        "Book "
    )  # "Jordan E. Tue, Nov 17, 2026 · Period 6 · B day · 1:20–2:05 PM"
    tab_to(page, slot)
    check_page(page, "keyboard-find-slot-focused")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Request a session")).to_be_visible()

    tab_to(page, page.get_by_label("Topic"))
    page.keyboard.type("Chromebook shortcuts")
    tab_to(page, page.get_by_label("What do you want to learn?"))
    page.keyboard.type("Use the keyboard shortcuts my students use.")
    # His last session in the demo was online, so the form starts there (room hidden, link shown);
    # the arrow keys move the choice to in person, and the room field appears in the Tab order.
    online = page.get_by_label("Online", exact=True)
    tab_to(page, online)
    expect(online).to_be_checked()
    expect(page.get_by_label("Room (in person)")).to_be_hidden()
    page.keyboard.press("ArrowLeft")
    expect(page.get_by_label("In person", exact=True)).to_be_checked()
    tab_to(page, page.get_by_label("Room (in person)"))
    page.keyboard.type("Room 8")
    norms = page.get_by_label("I agree to the program norms")
    tab_to(page, norms)
    page.keyboard.press("Space")
    expect(norms).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Request this session"))
    check_page(page, "keyboard-booking-form")
    page.keyboard.press("Enter")

    expect(page.get_by_text("Requested. The time is held for you")).to_be_visible()
    expect(page.get_by_role("heading", name="Chromebook shortcuts")).to_be_visible()
    expect(page.get_by_text("Waiting for approval", exact=True)).to_be_visible()
    mentor, _, when = booked.partition(". ")
    day, times = when.split(" ")[1], when.split(" · ")[-1]
    expect(page.get_by_role("link", name=f"{mentor}.")).to_be_visible()
    expect(page.get_by_role("definition").first).to_contain_text(f" {day} ")
    expect(page.get_by_role("definition").first).to_contain_text(times)
