"""Each role's home page, and the advisor's confirmation pages, in a real browser: axe finds no
WCAG 2.1 A/AA violation and nothing scrolls sideways at desktop or phone width. Read only: the
pages shown ask before they change anything, and nothing here confirms."""

import pytest
from playwright.sync_api import expect

from helpdesk.accounts.models import User
from helpdesk.bookings.models import Booking, BookingStatus
from helpdesk.calendar.models import Closure
from helpdesk.demo import DOMAIN
from helpdesk.extensions import db
from helpdesk.skills.models import Skill

pytestmark = pytest.mark.browser
WIDTHS = (1280, 390)
OVERFLOW = "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"


def _check_both_widths(page, check_page, name: str) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        check_page(page, f"home-{name}-{width}")
        assert not page.evaluate(OVERFLOW), f"{name} scrolls sideways at {width} px"


@pytest.mark.parametrize(
    ("who", "heading"),
    [
        ("advisor", "Needs attention"),
        ("helen.park", "Your next session"),
        ("student.maya.chen", "To answer"),
        ("librarian", "Newest tips"),
    ],
)
def test_home_pages(live_server, new_page, sign_in, check_page, who, heading):
    page = sign_in(new_page(), who)
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    _check_both_widths(page, check_page, who)


def _ids(live_server) -> dict:
    with live_server.app.app_context():
        conference = db.session.scalar(
            db.select(Closure).where(Closure.name == "Superintendent's conference day")
        )
        waiting = db.session.scalars(
            db.select(Booking.id).where(Booking.status == BookingStatus.REQUESTED)
        ).all()
        skills = {s.name: s.id for s in db.session.scalars(db.select(Skill))}
        mentor = db.session.scalar(
            db.select(User.id).where(User.email == f"student.jordan.ellis@{DOMAIN}")
        )
        return {
            "school": conference.school_id,
            "closure": conference.id,
            "waiting": list(waiting),
            "skills": skills,
            "mentor": mentor,
        }


def test_the_advisors_confirmation_pages(live_server, new_page, sign_in, check_page):
    ids = _ids(live_server)
    page = sign_in(new_page(), "advisor")
    school = ids["school"]
    pages = {
        "close-day": (
            f"/school-calendar/{school}/close?on=2026-11-17&name=Water main break",
            "Close Tue, Nov 17, 2026?",  # the day as the district locale (en-US) writes it
        ),
        "reopen-day": (
            f"/school-calendar/{school}/closures/{ids['closure']}/reopen",
            "Reopen Wed, Nov 25, 2026?",
        ),
        "merge-skills": (
            f"/skills/merge?source={ids['skills']['Chromebooks']}"
            f"&target={ids['skills']['Troubleshooting']}",
            "Merge Chromebooks into Troubleshooting?",
        ),
        "deactivate": (f"/people/{ids['mentor']}/deactivate", "Deactivate Jordan Ellis?"),
        "bulk-approve": (
            "/sessions/queue/approve?" + "&".join(f"booking_id={i}" for i in ids["waiting"]),
            f"Approve {len(ids['waiting'])} sessions?",
        ),
    }
    for name, (path, heading) in pages.items():
        page.goto(path)
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        _check_both_widths(page, check_page, name)

    # A district calendar file: its days and their sessions are shown before anything closes.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/school-calendar/{school}")
    page.get_by_label("District calendar (.ics)").set_input_files(
        files=[{"name": "district.ics", "mimeType": "text/calendar", "buffer": DISTRICT_ICS}]
    )
    page.get_by_role("button", name="Import closures").click()
    expect(page.get_by_role("heading", name="Import 2 closed days?", exact=True)).to_be_visible()
    expect(page.get_by_text("Nothing is imported yet")).to_be_visible()
    _check_both_widths(page, check_page, "import-closures")


DISTRICT_ICS = b"""BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//District//EN
BEGIN:VEVENT
UID:water@district.example.org
DTSTART;VALUE=DATE:20261117
DTEND;VALUE=DATE:20261118
SUMMARY:Water main break
END:VEVENT
BEGIN:VEVENT
UID:pd@district.example.org
DTSTART;VALUE=DATE:20261202
DTEND;VALUE=DATE:20261203
SUMMARY:Professional development
END:VEVENT
END:VCALENDAR
"""
