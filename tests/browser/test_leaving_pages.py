"""The leaving pages in a real browser: a mentor's deactivation choices and anonymizing a class,
axe-clean and not scrolling sideways at desktop and phone width. Nothing here is confirmed (the
live server is shared): a wrong typed confirmation is refused and changes nothing."""

import pytest
from playwright.sync_api import expect

from helpdesk.accounts.models import User
from helpdesk.bookings.models import Booking, BookingStatus
from helpdesk.extensions import db

pytestmark = pytest.mark.browser
WIDTHS = (1280, 390)
OVERFLOW = "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"


def _check_both_widths(page, check_page, name: str) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        check_page(page, f"leaving-{name}-{width}")
        assert not page.evaluate(OVERFLOW), f"{name} scrolls sideways at {width} px"


def _busiest_mentor(live_server) -> User:
    """The demo mentor with the most sessions still to come."""
    with live_server.app.app_context():
        mentor_id = db.session.scalar(
            db.select(Booking.mentor_id)
            .where(Booking.status.in_((BookingStatus.REQUESTED, BookingStatus.APPROVED)))
            .group_by(Booking.mentor_id)
            .order_by(db.func.count().desc(), Booking.mentor_id)
            .limit(1)
        )
        mentor = db.session.get(User, mentor_id)
        return mentor.id, mentor.full_name


def test_deactivation_choices_page(live_server, new_page, sign_in, check_page):
    mentor_id, name = _busiest_mentor(live_server)
    page = sign_in(new_page(), "advisor")
    page.goto(f"/people/{mentor_id}/deactivate")
    expect(page.get_by_role("heading", name=f"Deactivate {name}?", exact=True)).to_be_visible()
    expect(page.get_by_role("radio").first).to_be_checked()
    _check_both_widths(page, check_page, "deactivate")
    page.goto(f"/people/{mentor_id}/class-of")
    expect(page.get_by_label("Class of")).to_be_visible()
    _check_both_widths(page, check_page, "class-of")


def test_anonymize_page_counts_first_and_refuses_a_wrong_confirmation(
    live_server, new_page, sign_in, check_page
):
    page = sign_in(new_page(), "advisor")
    page.goto("/people/")
    page.get_by_role("link", name="Anonymize graduates").click()
    expect(page.get_by_role("heading", name="Which class?")).to_be_visible()
    _check_both_widths(page, check_page, "anonymize-pick")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_label("Class of").select_option("2026")
    page.get_by_role("button", name="Show what changes").click()
    expect(page.get_by_text("2 student mentors of the class of 2026")).to_be_visible()
    _check_both_widths(page, check_page, "anonymize-counts")

    page.get_by_label("Type ANONYMIZE 2026 to confirm").fill("anonymize 2026")
    page.get_by_role("button", name="Anonymize the class of 2026").click()
    expect(page.get_by_text("Type ANONYMIZE 2026 exactly, in capitals.")).to_be_visible()
    _check_both_widths(page, check_page, "anonymize-refused")
    with live_server.app.app_context():
        assert db.session.scalar(
            db.select(db.func.count(User.id)).where(User.full_name == "Olivia Grant")
        ) == 1  # fmt: skip
