"""Booking like a scheduling page (issue 13, item 2): what a teacher sees and does, by the pages."""

import html as html_lib
import re
from datetime import UTC, date, datetime, timedelta

import pytest

from helpdesk.availability.services import program_settings
from helpdesk.bookings import commands
from helpdesk.bookings.models import Booking, BookingFormat, BookingStatus
from helpdesk.calendar.services import add_closure
from helpdesk.finder.defaults import next_school_weeks
from helpdesk.mentors.services import profile_for
from helpdesk.skills.services import save_skill
from tests.bookings.conftest import NOW, SLOT, booking_page

MAYA_PERIOD_4 = "Wed, Nov 4, 2026 · Period 4 · 10:00–10:30 AM"


def _find(client, **query) -> str:
    args = "&".join(f"{key}={value}" for key, value in query.items())
    return client.get(f"/find/?{args}").get_data(as_text=True)


def _errors(html: str) -> dict[str, str]:
    """Field id -> its error text, from the `<p class="error" id="<field>-error">` under each."""
    return dict(re.findall(r'<p class="error" id="([\w-]+)-error">([^<]*)</p>', html))


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 11, 2), (date(2026, 11, 2), date(2026, 11, 13))),  # a Monday
        (date(2026, 11, 4), (date(2026, 11, 4), date(2026, 11, 13))),  # a Wednesday
        (date(2026, 11, 7), (date(2026, 11, 9), date(2026, 11, 20))),  # a Saturday
    ],
)
def test_two_school_weeks_run_from_today_or_monday_to_the_second_friday(today, expected):
    assert next_school_weeks(today) == expected


def test_finder_opens_on_two_school_weeks_with_the_last_topic_and_its_times(
    client, login, world, book, db
):
    other = save_skill(name="Slides", description="", category="Docs")
    db.session.commit()
    login(world.teacher)
    page = _find(client)
    # No booking yet: the dates are filled, no topic is chosen, and nothing scolds.
    assert 'name="start" type="date" value="2026-11-02"' in page
    assert 'name="end" type="date" value="2026-11-13"' in page
    assert "Choose a topic." not in page and "mentors free" not in page

    book()  # Google Docs, with Maya on Wed, Nov 4
    page = _find(client)
    assert f'<option selected value="{world.skill.id}">Google Docs</option>' in page
    assert f'value="{other.id}">Slides' in page
    assert "1 mentor free" in page or "2 mentors free" in page
    # Leo's Period 4 on Thursday, labelled by its period, a link to book it (the last length, too).
    assert "Book Leo M. Thu, Nov 5, 2026 · Period 4 · 10:00–10:30 AM" in page
    assert '<option selected value="30">30 minutes</option>' in page
    # The finder's cards, grouped by day, hide the rest behind a summary that opens in place.
    assert '<details class="more-times">' in page and "more times with Leo M.</summary>" in page


def test_a_link_from_the_finder_books_with_the_topic_carried(client, login, world, db):
    login(world.teacher)
    page = _find(client, skill_id=world.skill.id, start="2026-11-04", end="2026-11-04", minutes=30)
    link = html_lib.unescape(re.search(r'href="(/sessions/new\?[^"]+)"', page).group(1))
    form = client.get(link).get_data(as_text=True)
    assert re.search(r'<input[^>]*name="topic"[^>]*value="Google Docs"', form)  # not asked again
    assert MAYA_PERIOD_4 in form
    key = re.search(r'name="request_key" type="hidden" value="([^"]+)"', form).group(1)
    response = client.post_form(
        link,
        {
            "request_key": key,
            "topic": "Google Docs",
            "learning_goal": "Share a Doc so students can comment.",
            "format": "in_person",
            "room": "Library",
            "agrees_to_norms": "y",
        },
        page=link,
    )
    assert response.status_code == 302
    booking = db.session.scalar(db.select(Booking))
    assert (booking.topic, booking.skill_id, booking.starts_at) == (
        "Google Docs",
        world.skill.id,
        SLOT,
    )


def test_every_booking_form_error_shows_by_its_field_in_one_round_trip(client, login, world):
    login(world.teacher)
    page = booking_page(world)
    response = client.post_form(
        page,
        {
            "topic": "",
            "learning_goal": "",
            "format": "in_person",
            "room": "",
            "agrees_to_norms": "",
        },
        page=page,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    errors = _errors(html)
    assert set(errors) == {"topic", "learning_goal", "room", "agrees_to_norms"}
    assert errors["learning_goal"] == "Every session needs a learning goal."
    assert errors["room"] == "Say which room you will meet in."
    assert "program norms" in errors["agrees_to_norms"]
    # Each input names its error, and the summary at the top links to each field.
    for field_id in errors:
        assert re.search(rf'aria-describedby="[^"]*{field_id}-error[^"]*"', html), field_id
    summary = html[
        html.index('class="error-summary"') : html.index(
            "</ul>", html.index('class="error-summary"')
        )
    ]
    assert "4 things to fix" in summary
    assert re.findall(r'href="#([\w-]+)"', summary) == [
        "topic",
        "learning_goal",
        "room",
        "agrees_to_norms",
    ]

    response = client.post_form(
        page,
        {"topic": "Docs", "learning_goal": "Share", "format": "online", "meeting_url": "",
         "agrees_to_norms": "y"},
        page=page,
    )  # fmt: skip
    assert _errors(response.get_data(as_text=True)) == {
        "meeting_url": "Give the meeting link, starting with https://."
    }


def test_the_form_fills_the_last_place_and_offers_only_the_mentors_formats(
    client, login, world, book, db
):
    book(format=BookingFormat.IN_PERSON, room="Room 114")
    login(world.teacher)
    html = client.get(booking_page(world, starts_at=SLOT + timedelta(days=1))).get_data(
        as_text=True
    )
    assert re.search(r'<input[^>]*name="room"[^>]*value="Room 114"', html)
    assert 'data-format="in_person"' in html and 'data-format="online"' in html
    assert "Program norms" not in html  # they have met before

    profile = profile_for(world.mentor2)
    profile.offers_in_person = False
    db.session.commit()
    html = client.get(booking_page(world, mentor=world.mentor2)).get_data(as_text=True)
    assert "meets online only" in html
    assert 'name="room"' not in html and 'data-format="online"' in html


def test_a_time_no_longer_open_says_so_and_offers_others(client, login, world, book):
    book(teacher=world.teacher2)
    login(world.teacher)
    html = client.get(booking_page(world)).get_data(as_text=True)
    assert "Maya C. is no longer free at that time." in html
    assert "Other open times" in html and "Leo M.: " in html


def test_no_results_say_why_and_offer_tips_and_help(client, login, world, book, db, clock):
    login(world.teacher)
    nobody = save_skill(name="Podcasts", description="", category="Audio")
    db.session.commit()
    html = _find(client, skill_id=nobody.id, minutes=30)
    assert 'data-reason="no-skill"' in html and "Nobody offers Podcasts yet." in html
    assert 'href="/tips/?q=Podcasts"' in html and 'href="/requests/new?summary=Podcasts"' in html

    html = _find(client, skill_id=world.skill.id, start="2027-01-04", end="2027-01-08", minutes=30)
    assert "Sessions can be booked up to 28 days ahead, so until Mon, Nov 30, 2026." in html

    html = _find(client, skill_id=world.skill.id, start="2026-11-02", end="2026-11-02", minutes=30)
    assert "Sessions need 24 hours' notice: the first day you can book is Tue, Nov 3, 2026." in (
        html_lib.unescape(html)
    )

    add_closure(world.school, date(2026, 11, 4), "Snow day")
    db.session.commit()
    html = _find(client, skill_id=world.skill.id, start="2026-11-04", end="2026-11-04", minutes=30)
    assert "Lincoln High School is closed then: Snow day (Wed, Nov 4, 2026)." in html
    assert 'href="/tips/?q=Google+Docs"' in html

    book(starts_at=SLOT + timedelta(days=1))
    book(teacher=world.teacher2, mentor=world.mentor2, starts_at=SLOT + timedelta(days=1))
    html = _find(client, skill_id=world.skill.id, start="2026-11-05", end="2026-11-05", minutes=30)
    assert 'data-reason="fully-booked"' in html
    assert "Everyone who offers Google Docs is fully booked in those dates." in html


def test_winter_break_is_named_with_its_dates(client, login, world, db, clock):
    clock.now = datetime(2026, 12, 14, 14, 0, tzinfo=UTC)
    for day in range(21, 32):
        add_closure(world.school, date(2026, 12, day), "Winter break")
    add_closure(world.school, date(2027, 1, 1), "Winter break")
    db.session.commit()
    login(world.teacher)
    html = _find(client, skill_id=world.skill.id, start="2026-12-21", end="2027-01-01", minutes=30)
    assert "closed then: Winter break (Mon, Dec 21, 2026 – Fri, Jan 1, 2027)." in html


def test_a_mentor_profile_shows_open_times_with_book_buttons(client, login, world):
    login(world.teacher)
    html = client.get(f"/mentors/{world.mentor.id}").get_data(as_text=True)
    assert "Open times" in html
    links = re.findall(r'<a class="slot" href="(/sessions/new\?[^"]+)" aria-label="([^"]+)"', html)
    assert links and links[0][1] == "Book Maya C. Tue, Nov 3, 2026 · Period 4 · 10:00–10:20 AM"
    assert f"skill={world.skill.id}" in links[0][0]
    assert "more times with Maya C." in html  # the next two school weeks, the rest folded
    html = client.get(f"/mentors/{world.mentor.id}?minutes=45").get_data(as_text=True)
    assert "Tue, Nov 3, 2026 · Period 4 · 10:00–10:45 AM" in html

    client.post_form("/logout")
    login(world.advisor)
    html = client.get(f"/mentors/{world.mentor.id}").get_data(as_text=True)
    assert "Period 4 · 10:00–10:20 AM" in html and "/sessions/new?" not in html


def test_reschedule_uses_the_slot_picker(client, login, world, book, db):
    booking = book()
    commands.approve_booking(booking, world.advisor)
    db.session.commit()
    login(world.teacher)
    html = client.get(f"/sessions/{booking.id}").get_data(as_text=True)
    buttons = re.findall(
        r'<button type="submit" class="slot" name="reschedule-starts_at" value="([^"]+)" '
        r'aria-label="([^"]+)"',
        html,
    )
    assert buttons[0][1] == "Move to Tue, Nov 3, 2026 · Period 4 · 10:00–10:30 AM"
    assert all(value != SLOT.isoformat() for value, _label in buttons)
    moved_to = buttons[1][0]
    response = client.post_form(
        f"/sessions/{booking.id}/reschedule",
        {"reschedule-starts_at": moved_to},
        page=f"/sessions/{booking.id}",
    )
    assert response.status_code == 302
    db.session.refresh(booking)
    assert booking.starts_at.isoformat() == moved_to
    assert booking.status is BookingStatus.APPROVED


def test_a_session_whose_length_is_no_longer_offered_still_shows(
    client, login, world, book, db, outbox
):
    booking = book(minutes=30)
    commands.approve_booking(booking, world.advisor)
    program_settings().session_lengths = "20,45"
    db.session.commit()
    for who in (world.mentor, world.teacher, world.advisor):
        login(who)
        response = client.get(f"/sessions/{booking.id}")
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and "Sharing a Doc with my class" in html
        assert 'id="reschedule-heading"' not in html and "Move to " not in html
        client.post_form("/logout")

    login(world.teacher)
    response = client.post_form(
        f"/sessions/{booking.id}/reschedule",
        {"reschedule-starts_at": (SLOT + timedelta(days=1)).isoformat()},
        page=f"/sessions/{booking.id}",
    )
    assert response.status_code == 302
    html = client.get(f"/sessions/{booking.id}").get_data(as_text=True)
    assert "Sessions of 30 minutes are no longer offered" in html

    # A snow day still cancels it, with no new times to offer.
    commands.cancel_for_closure(world.school.id, date(2026, 11, 4), "Snow day", world.advisor, NOW)
    db.session.commit()
    assert booking.status is BookingStatus.CANCELLED
    assert any(m.subject.startswith("School closed") for m in outbox(world.teacher.email))


def test_the_finders_statements_do_not_grow_with_mentors(
    client, login, world, make_mentor, db, count_queries
):
    login(world.teacher)

    def statements() -> int:
        with count_queries() as sent:
            client.get(f"/find/?skill_id={world.skill.id}&minutes=30&no-cache={len(sent)}")
        return len(sent)

    few = statements()
    for n in range(30):
        make_mentor(f"Extra{n} Mentor", world.school, {world.skill: 1}, "Period 6")
    db.session.commit()
    assert statements() <= few + 2  # the cards of a full page load in one query


def test_a_mentor_without_a_grade_shows_none(client, login, world, book, db):
    world.mentor.grade = None
    booking = book()
    login(world.teacher)
    find = _find(client, skill_id=world.skill.id, start="2026-11-05", end="2026-11-05", minutes=30)
    profile = client.get(f"/mentors/{world.mentor.id}").get_data(as_text=True)
    new = client.get(booking_page(world)).get_data(as_text=True)
    show = client.get(f"/sessions/{booking.id}").get_data(as_text=True)
    for html in (find, profile, new, show):
        assert "rade None" not in html
    assert "Confident · Lincoln High School" in find  # Maya's card; Leo's still says grade 10
    assert '<p class="muted">Lincoln High School</p>' in profile
    assert "<strong>Maya C.</strong> (Lincoln High School)" in new
    assert re.search(r">Maya C\.</a></dd>", show)
