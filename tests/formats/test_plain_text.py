"""The text rules themselves: one line, several lines, meeting links, and the cleaners writers
use on stored text."""

import re
import unicodedata
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpdesk.accounts.models import Role
from helpdesk.accounts.services import AccountError, create_user
from helpdesk.bookings import commands
from helpdesk.bookings.models import Booking, BookingFormat
from helpdesk.calendar.ics_export import SessionEvent, event_calendar, feed_calendar
from helpdesk.plain_text import (
    DIRECTION_CONTROLS,
    LINE_BREAKS,
    looks_like_formula,
    meeting_link_problem,
    multi_line_problem,
    one_line,
    single_line_problem,
    text_lines,
    web_link,
)
from tests.formats.conftest import SLOT, booking_page, errors_on, parse_calendar

GOOD_LINKS = [
    "https://meet.google.com/abc-defg-hij",
    "https://us02web.zoom.us/j/85512345678?pwd=QWxhZGRpbjpvcGVuIHNlc2FtZQ",
    "https://teams.microsoft.com/l/meetup-join/19%3ameeting_NjA5%40thread.v2/0?context=%7b%22Tid%22%3a%22a1%22%7d",
    "http://meet.district.example.org:8443/room/42#join",
    "https://münchen.example/besprechung",
    "  https://meet.google.com/abc-defg-hij  ",
    "HTTPS://MEET.GOOGLE.COM/ABC",
]
BAD_LINKS = {
    "": "starting with https://",
    "meet.google.com/abc": "starting with https://",
    "javascript:alert(1)": "starting with https://",
    "ftp://files.example.org/x": "starting with https://",
    "https://meet.example.org/abc\r\nX-EVIL:1": "no spaces, line breaks",
    "https://meet.example.org/a\nb": "no spaces, line breaks",
    "https://meet.example.org/a\tb": "no spaces, line breaks",
    "https://meet.example.org/a b": "no spaces, line breaks",
    "https://meet.example.org/a\u00a0b": "no spaces, line breaks",
    "https://meet.example.org/a\u200bb": "no spaces, line breaks",
    "https://meet.example.org/a\u202eb": "no spaces, line breaks",
    "https://meet.example.org/\x07": "no spaces, line breaks",
    'https://meet.example.org/"onmouseover="x': "cannot contain",
    "https://meet.example.org\\@evil.example": "cannot contain",
    "https://meet.google.com@evil.example/abc": "user name or password",
    "https://user:pass@meet.example.org/": "user name or password",
    "https://meet.example.org:99999/": "not a valid web address",
    "https://meet.example.org:port/": "not a valid web address",
    "https://[::1/": "not a valid web address",
    "https://localhost/abc": "not a valid web address",
    "https://": "not a valid web address",
    "https://" + "a" * 64 + ".example.org/": "not a valid web address",
    "https://meet.example.org/" + "a" * 480: "at most 500 characters",
}


@pytest.mark.parametrize("url", GOOD_LINKS)
def test_meeting_links_people_paste_are_accepted(url):
    assert meeting_link_problem(url) is None


@pytest.mark.parametrize(("url", "message"), BAD_LINKS.items(), ids=repr)
def test_meeting_links_that_would_break_or_mislead_are_refused(url, message):
    assert message in meeting_link_problem(url)


def test_the_service_refuses_what_urlsplit_lets_through(db, world):
    """The trap: urlsplit drops CR/LF, so the old check passed this link."""
    request = commands.BookingRequest(
        mentor_id=world.mentor.id,
        skill_id=world.skill.id,
        starts_at=SLOT,
        minutes=30,
        topic="Docs",
        learning_goal="Share",
        format=BookingFormat.ONLINE,
        meeting_url="https://meet.example.org/a\r\nX-EVIL:1",
        agrees_to_norms=True,
    )
    with pytest.raises(commands.BookingError, match="line breaks"):
        commands.request_booking(world.teacher, request, SLOT - timedelta(days=2))
    assert db.session.scalar(db.select(db.func.count()).select_from(Booking)) == 0


def test_a_good_link_books_and_reaches_the_calendar(fuzz, world, db, feed_path, client):
    fuzz.sign_in(world.teacher)
    link = GOOD_LINKS[2]
    data = {
        "topic": "Docs",
        "learning_goal": "Share",
        "format": "online",
        "meeting_url": link,
        "agrees_to_norms": "y",
    }
    response = fuzz.send("POST", booking_page(world), data)
    assert response.status_code == 302, errors_on(response.get_data(as_text=True))
    [event] = parse_calendar(client.get(feed_path(world.teacher)).data).walk("VEVENT")
    assert str(event["URL"]) == link


@pytest.mark.parametrize("ch", sorted(LINE_BREAKS | DIRECTION_CONTROLS), ids=repr)
def test_one_line_refuses_breaks_and_direction_overrides(ch):
    assert single_line_problem(f"a{ch}b") is not None
    assert one_line(f"a{ch}b") in ("a b", "ab")


def test_messages_name_the_field_and_the_character():
    assert (
        single_line_problem("a\nb", "the topic")
        == "Keep the topic on one line: remove the line break."
    )
    assert single_line_problem("a\x07b") == (
        "Remove the hidden character U+0007 from this; it often comes along with pasted text."
    )
    assert "U+202E (right-to-left override)" in single_line_problem("\u202e")
    assert "Remove the hidden tab from this" in single_line_problem("a\tb")


@pytest.mark.parametrize(
    "text", ["Line one\r\nline two", "\ttabbed", "é 👩🏽‍🏫 \u2028 \u202eok", "", "<b>&amp;"]
)
def test_several_lines_keep_breaks_tabs_and_unicode(text):
    assert multi_line_problem(text) is None


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_formula_starts(start):
    assert looks_like_formula(f"{start}HYPERLINK()")
    assert not looks_like_formula(f"Ann{start}")


# Every code point, lone surrogates and controls included (they cannot come from a form, but
# rows older than the checks, or other writers, may hold them).
ANY_TEXT = st.text(alphabet=st.characters(exclude_categories=()), max_size=80)


@settings(max_examples=300, deadline=None)
@given(text=ANY_TEXT)
def test_what_the_rules_accept_and_the_cleaners_return_has_nothing_hidden(text):
    """Rule: accepted or cleaned text holds no control character, lone surrogate, or (on one
    line) no line break; several lines keep only \\n and \\t."""
    for cleaned in [one_line(text)] + ([text] if single_line_problem(text) is None else []):
        assert not any(unicodedata.category(ch) in ("Cc", "Cs") for ch in cleaned)
        assert not (set(cleaned) & (LINE_BREAKS | DIRECTION_CONTROLS))
    lines = text_lines(text)
    assert all(ch in "\n\t" for ch in lines if unicodedata.category(ch) in ("Cc", "Cs"))
    if multi_line_problem(text) is None:
        assert all(ch in "\r\n\t" for ch in text if unicodedata.category(ch) in ("Cc", "Cs"))


@settings(max_examples=300, deadline=None)
@given(url=st.one_of(ANY_TEXT, ANY_TEXT.map(lambda t: "https://meet.example.org/" + t)))
def test_a_stored_link_is_written_as_a_uri_or_not_at_all(url):
    written = web_link(url)
    assert written == "" or re.fullmatch(
        r"https?://[!#$%&'()*+,\-./0-9:;=?@A-Z\[\]_a-z~]+", written, re.I
    )
    if meeting_link_problem(url) is None:
        assert written


NOW = datetime(2026, 11, 2, 14, tzinfo=UTC)


@settings(max_examples=150, deadline=None)
@given(
    summary=ANY_TEXT,
    description=ANY_TEXT,
    location=ANY_TEXT,
    url=ANY_TEXT,
    name=ANY_TEXT,
    email=ANY_TEXT,
)
def test_the_writer_never_raises_for_any_text(summary, description, location, url, name, email):
    """Rule: whatever a person's text is, the calendar is written and two parsers read it."""
    event = SessionEvent(
        uid="booking-1@helpdesk",
        sequence=0,
        status="CONFIRMED",
        start_at=NOW,
        end_at=NOW + timedelta(minutes=30),
        summary=summary,
        description=description,
        location=location,
        url=url,
        organizer_email="advisor@school.example.org",
        organizer_name=name,
        attendees=((f"{email or 'x'}@school.example.org", name),)
        if "@" not in email and email.strip() and email.isprintable() and " " not in email
        else (),
        stamp_at=NOW,
    )
    parse_calendar(event_calendar(event, method="REQUEST"))
    parse_calendar(feed_calendar([event], name=name, calendar_uid="feed-1"))


def test_a_name_with_a_line_break_is_refused_by_the_service_too(db, world):
    """The command line and the CSV import create people without the invite form."""
    with pytest.raises(AccountError, match="Keep the name on one line"):
        create_user(
            email="ana@school.example.org",
            full_name="Ana\r\nBcc: x@example.org",
            role=Role.TEACHER,
            school=world.school,
        )
