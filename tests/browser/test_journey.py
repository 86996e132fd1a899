"""The whole program in a real browser, each step done by the person whose job it is.

advisor adds a skill and a holiday → a mentor offers it and sets availability → a teacher finds
that mentor and books → the advisor approves → the teacher takes the .ics and the feed link →
the mentor closes the session and writes a tip → the advisor publishes it → staff find it →
a teacher's help request is claimed and resolved by the mentor.
Every page on the way is screenshotted and checked by axe (WCAG 2.1 A and AA).
"""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import nav_link

pytestmark = pytest.mark.browser

SKILL = "3D printing"
HOLIDAY = "Staff development day"
MENTOR = "student.jordan.ellis"
MENTOR_SHOWN = "Jordan E."
TEACHER = "helen.park"
TOPIC = "Print name tags for my class"
TIP_TITLE = "Print name tags with PLA filament"
REQUEST = "The 3D printer in room 114 jams"


def nav(page: Page, name: str) -> None:
    nav_link(page, name).click()


def card(page: Page, heading: str):
    """The card (a section) that a heading names: forms with the same labels live side by side."""
    return page.locator("section").filter(has=page.get_by_role("heading", name=heading, exact=True))


def test_the_whole_journey(live_server, new_page, sign_in, check_page, tmp_path):
    anonymous = new_page()
    anonymous.goto("/login")
    expect(anonymous.get_by_role("heading", name="Sign in")).to_be_visible()
    check_page(anonymous, "00-sign-in")

    # The advisor adds a skill to the taxonomy and closes a day at Lincoln High School.
    advisor = sign_in(new_page(), "advisor")
    check_page(advisor, "01-advisor-home")
    nav(advisor, "Skills")
    advisor.get_by_label("Name", exact=True).fill(SKILL)
    advisor.get_by_label("Category").fill("Making")
    advisor.get_by_label("Short description").fill("Design and print classroom objects.")
    advisor.get_by_role("button", name="Add skill").click()
    expect(advisor.get_by_text(f"Added {SKILL}.")).to_be_visible()
    expect(advisor.get_by_role("cell", name=SKILL, exact=True)).to_be_visible()
    check_page(advisor, "02-advisor-skills")

    nav(advisor, "School calendar")
    check_page(advisor, "03-advisor-school-calendars")
    advisor.get_by_role("link", name="Lincoln High School").click()
    closed_days = card(advisor, "Closed days")
    closed_days.get_by_label("Date").fill("2026-11-18")
    closed_days.get_by_label("Reason").fill(HOLIDAY)
    closed_days.get_by_role("button", name="Close this day").click()
    expect(advisor.get_by_role("heading", name="Close Wed, Nov 18, 2026?")).to_be_visible()
    check_page(advisor, "04a-advisor-close-day-confirm")
    advisor.get_by_role("button", name="Close Wed, Nov 18, 2026").click()
    expect(advisor.get_by_text("Wed, Nov 18, 2026 is now closed.")).to_be_visible()
    expect(advisor.get_by_role("row", name="Wed, Nov 18, 2026 Closed")).to_be_visible()
    check_page(advisor, "04-advisor-school-calendar")

    # A mentor offers the new skill and adds a bell period on every school day.
    mentor = sign_in(new_page(), MENTOR)
    check_page(mentor, "05-mentor-home")
    nav(mentor, "My profile")
    mentor.get_by_label(SKILL).select_option(label="Expert")
    check_page(mentor, "06-mentor-profile")
    mentor.get_by_role("button", name="Save profile").click()
    expect(mentor.get_by_text("Your profile is saved.")).to_be_visible()
    check_page(mentor, "07-mentor-public-profile")
    nav(mentor, "Availability")
    add_period = card(mentor, "Add a bell period")
    add_period.get_by_label("Period").select_option(label="Period 2")
    add_period.get_by_label("On which days").select_option(label="Every school day")
    add_period.get_by_role("button", name="Add period").click()
    expect(mentor.get_by_text("Saved. Teachers can book you in these times.")).to_be_visible()
    expect(card(mentor, "My times")).to_contain_text("Period 2")
    check_page(mentor, "08-mentor-availability")

    # A teacher finds that mentor for the new topic (never on the holiday) and books.
    teacher = sign_in(new_page(), TEACHER)
    check_page(teacher, "09-teacher-home")
    nav(teacher, "Find a mentor")
    teacher.get_by_label("Topic").select_option(label=SKILL)
    teacher.get_by_role("button", name="Find mentors").click()
    expect(teacher.get_by_role("heading", name="1 mentor free")).to_be_visible()
    slots = teacher.get_by_role("link", name=f"Book {MENTOR_SHOWN}")
    expect(slots.first).to_be_visible()
    expect(teacher.get_by_role("link", name="Wed, Nov 18")).to_have_count(0)
    check_page(teacher, "10-teacher-find")
    slots.first.click()
    expect(teacher.get_by_role("heading", name="Request a session")).to_be_visible()
    teacher.get_by_label("Topic").fill(TOPIC)
    teacher.get_by_label("What do you want to learn?").fill("Print a set of name tags myself.")
    teacher.get_by_label("Room (in person)").fill("Library")
    teacher.get_by_label("I agree to the program norms").check()
    check_page(teacher, "11-teacher-book")
    teacher.get_by_role("button", name="Request this session").click()
    expect(teacher.get_by_text("Requested. The time is held for you")).to_be_visible()
    expect(teacher.get_by_role("heading", name=TOPIC)).to_be_visible()
    session_url = teacher.url
    check_page(teacher, "12-teacher-session-requested")

    # The advisor approves it from the queue.
    nav(advisor, "Approvals")
    check_page(advisor, "13-advisor-approvals")
    advisor.get_by_role("link", name=TOPIC).click()
    check_page(advisor, "14-advisor-session")
    advisor.get_by_role("button", name="Approve session").click()
    expect(advisor.get_by_text("Approved. Both sides have the invitation.")).to_be_visible()
    nav(advisor, "Calendar")
    expect(advisor.get_by_role("link", name=TOPIC)).to_be_visible()
    check_page(advisor, "15-advisor-week")

    # The teacher downloads the session's .ics and copies a calendar-feed link.
    teacher.goto(session_url)
    expect(teacher.get_by_text("Approved", exact=True)).to_be_visible()
    check_page(teacher, "16-teacher-session-approved")
    with teacher.expect_download() as download:
        teacher.get_by_role("link", name="Add to my calendar (.ics)").click()
    ics = tmp_path / download.value.suggested_filename
    download.value.save_as(ics)
    event = ics.read_text()
    assert "BEGIN:VEVENT" in event and TOPIC in event
    nav_link(teacher, "Calendar link").click()
    teacher.get_by_role("button", name="Create my calendar link").click()
    teacher.context.grant_permissions(["clipboard-read", "clipboard-write"])
    link_box = teacher.get_by_label("Link for Google Calendar and Outlook")
    link_box.click()
    teacher.keyboard.press("ControlOrMeta+A")
    teacher.keyboard.press("ControlOrMeta+C")
    copied = teacher.evaluate("() => navigator.clipboard.readText()")
    assert copied == link_box.input_value()
    assert "/calendar/feed/" in copied
    check_page(teacher, "17-teacher-calendar-link")
    feed = teacher.request.get(copied)
    assert feed.ok and feed.headers["content-type"].startswith("text/calendar")
    assert TOPIC in feed.text()

    # After the session, the mentor closes it with notes and writes a tip from it.
    live_server.advance(days=1, hours=7)  # Tuesday 15:00 in New York
    nav(mentor, "My sessions")
    check_page(mentor, "18-mentor-sessions")
    mentor.get_by_role("link", name=TOPIC).click()
    mentor.get_by_label("What was covered").fill("Slicing a model and starting a print.")
    mentor.get_by_label("The steps, so the teacher can repeat them").fill(
        "Export the STL, slice it, load filament, print."
    )
    check_page(mentor, "19-mentor-close-session")
    mentor.get_by_role("button", name="Close the session").click()
    expect(mentor.get_by_text("Completed", exact=True)).to_be_visible()
    expect(mentor.get_by_role("heading", name="Reflections")).to_be_visible()
    check_page(mentor, "20-mentor-session-completed")
    mentor.get_by_role("link", name="Write a tip from this session").click()
    expect(mentor.get_by_label("Title")).to_have_value(TOPIC)
    mentor.get_by_label("Title").fill(TIP_TITLE)
    mentor.get_by_label("The tip").fill(
        "1. Export your design as **STL**.\n2. Slice it.\n3. Load PLA filament and print."
    )
    expect(mentor.get_by_role("checkbox", name=SKILL)).to_be_checked()
    mentor.get_by_role("checkbox", name="Any device").check()
    check_page(mentor, "21-mentor-write-tip")
    mentor.get_by_role("button", name="Save draft").click()
    expect(mentor.get_by_text("Draft saved.")).to_be_visible()
    mentor.get_by_role("button", name="Send for review").click()
    expect(mentor.get_by_text("Sent to the advisor for review.")).to_be_visible()
    check_page(mentor, "22-mentor-tip-sent")

    # The advisor publishes it.
    nav(advisor, "Review tips")
    check_page(advisor, "23-advisor-review-tips")
    advisor.get_by_role("link", name=TIP_TITLE).click()
    check_page(advisor, "24-advisor-tip-review")
    advisor.get_by_role("button", name="Publish").click()
    expect(advisor.get_by_text("Published to the tip library.")).to_be_visible()

    # A staff member searches the library and finds it.
    staff = sign_in(new_page(), "librarian")
    check_page(staff, "25-staff-home")
    nav(staff, "Tip library")
    staff.get_by_role("searchbox", name="Search tips").fill("filament")
    staff.get_by_role("button", name="Search").click()
    expect(staff.get_by_text("1 tip matches “filament”.")).to_be_visible()
    check_page(staff, "26-staff-tip-search")
    staff.get_by_role("link", name=TIP_TITLE).click()
    expect(staff.get_by_role("heading", name=TIP_TITLE, level=1)).to_be_visible()
    check_page(staff, "27-staff-tip")

    # A teacher asks the help desk; the mentor claims, answers and resolves it.
    nav(teacher, "Help requests")
    check_page(teacher, "28-teacher-help-requests")
    teacher.get_by_role("link", name="Ask for help").click()
    teacher.get_by_label("Topic").select_option(label=SKILL)
    teacher.get_by_label("What is wrong, in a few words").fill(REQUEST)
    teacher.get_by_label("Room", exact=True).fill("114")
    teacher.get_by_label("Blocking my class now").check()
    check_page(teacher, "29-teacher-ask-for-help")
    teacher.get_by_role("button", name="Ask for help").click()
    expect(teacher.get_by_text("Sent. The tech team will answer here")).to_be_visible()
    request_url = teacher.url
    check_page(teacher, "30-teacher-help-request")

    nav(mentor, "Help requests")
    check_page(mentor, "31-mentor-help-queue")
    mentor.get_by_role("link", name=REQUEST).click()
    mentor.get_by_role("button", name="Claim this request").click()
    expect(mentor.get_by_text("It is yours.")).to_be_visible()
    mentor.get_by_label("Your answer").fill("Reload the filament, then print a test cube.")
    mentor.get_by_role("button", name="Send", exact=True).click()
    expect(mentor.get_by_text("Sent.", exact=True)).to_be_visible()
    check_page(mentor, "32-mentor-help-request")
    mentor.get_by_role("button", name="Mark resolved").click()
    expect(mentor.get_by_text("Resolved. Could this become a tip?")).to_be_visible()

    teacher.goto(request_url)
    expect(teacher.get_by_text("Resolved", exact=True)).to_be_visible()
    expect(teacher.get_by_text("Reload the filament, then print a test cube.")).to_be_visible()
    check_page(teacher, "33-teacher-help-request-resolved")
