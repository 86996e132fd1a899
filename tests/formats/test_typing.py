"""A teacher, a mentor or the advisor typing a line break or a hidden character into a page
gets a message saying what to fix, and nothing is saved."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from helpdesk.bookings.models import BookingStatus
from tests.formats.conftest import booking_page, errors_on

ONE_LINE = "Keep this on one line: remove the line break."


def hidden(code: str) -> str:
    return f"Remove the hidden character {code}"


@dataclass
class Typing:
    role: str  # teacher, mentor or advisor (attributes of the world)
    url: Callable  # (world, setup) -> str
    data: dict
    message: str | None  # None: any error message (the view words it)
    setup: Callable | None = None  # (world, store_booking, make_request, make_tip) -> object


BOOKING = {
    "topic": "Sharing a Doc",
    "learning_goal": "Share a Doc with comments only.",
    "format": "in_person",
    "room": "B12",
    "agrees_to_norms": "y",
}
REQUEST = {"skill_id": "1", "summary": "Projector will not mirror", "urgency": "week"}


def _booking(world, *_):
    return booking_page(world)


def _school(part: str):
    return lambda world, _: f"/school-calendar/{world.school.id}/{part}"


def _completed(world, store_booking, *_):
    return store_booking(BookingStatus.COMPLETED, past=True)


def _draft_tip(world, store_booking, _make_request, make_tip):
    return make_tip("draft", author=world.mentor, booking=_completed(world, store_booking))


CASES = {
    # the teacher
    "booking topic CRLF": Typing(
        "teacher", _booking, {**BOOKING, "topic": "Docs\r\nBcc: all@school.example.org"}, ONE_LINE
    ),
    "booking room BEL": Typing(
        "teacher", _booking, {**BOOKING, "room": "B12\x07"}, hidden("U+0007")
    ),
    "booking room RLO": Typing(
        "teacher", _booking, {**BOOKING, "room": "\u202e21B"}, hidden("U+202E")
    ),
    "booking link CRLF": Typing(
        "teacher",
        _booking,
        {
            **BOOKING,
            "format": "online",
            "room": "",
            "meeting_url": "https://meet.example.org/abc\r\nX-EVIL:1",
        },
        "A meeting link has no spaces, line breaks or hidden characters: copy it again.",
    ),
    "booking goal ESC": Typing(
        "teacher", _booking, {**BOOKING, "learning_goal": "Goal \x1b[31m"}, hidden("U+001B")
    ),
    "booking notes VT": Typing(
        "teacher", _booking, {**BOOKING, "notes": "a\x0bb"}, hidden("U+000B")
    ),
    "help summary CRLF": Typing(
        "teacher",
        lambda *_: "/requests/new",
        {**REQUEST, "summary": "Projector\r\nBcc: x@example.org"},
        ONE_LINE,
    ),
    "help device BEL": Typing(
        "teacher", lambda *_: "/requests/new", {**REQUEST, "device": "iPad\x07"}, hidden("U+0007")
    ),
    "help around LS": Typing(
        "teacher", lambda *_: "/requests/new", {**REQUEST, "around": "P4\u2028P5"}, ONE_LINE
    ),
    "help details DEL": Typing(
        "teacher", lambda *_: "/requests/new", {**REQUEST, "details": "x\x7f"}, hidden("U+007F")
    ),
    "help reply ESC": Typing(
        "teacher",
        lambda world, request: f"/requests/{request.id}/reply",
        {"body": "Still broken \x1b[0m"},
        None,
        lambda world, _s, make_request, _t: make_request(world.teacher),
    ),
    "reflection kudos CR": Typing(
        "teacher",
        lambda world, booking: f"/sessions/{booking.id}/reflect",
        {"learned": "How to share", "rating": "5", "kudos": "Thanks\rMaya"},
        ONE_LINE,
        _completed,
    ),
    # the mentor
    "tip title LF": Typing(
        "mentor",
        lambda world, tip: f"/tips/{tip.id}/edit",
        {"title": "Mirror\nyour screen", "body": "Press Win+P.", "skills": "1", "devices": "any"},
        ONE_LINE,
        _draft_tip,
    ),
    "tip body NEL": Typing(
        "mentor",
        lambda world, tip: f"/tips/{tip.id}/edit",
        {"title": "Mirror", "body": "Press\x85Win+P.", "skills": "1", "devices": "any"},
        hidden("U+0085"),
        _draft_tip,
    ),
    "profile bio BEL": Typing(
        "mentor",
        lambda *_: "/mentors/me",
        {"bio": "Hi\x07", "offers_online": "y"},
        hidden("U+0007"),
    ),
    "time off note CRLF": Typing(
        "mentor",
        lambda *_: "/availability/windows",
        {
            "off-starts_on": "2026-11-10",
            "off-ends_on": "2026-11-11",
            "off-note": "Exams\r\n",
            "off-submit": "Add time off",
        },
        ONE_LINE,
    ),
    # the advisor
    "skill name CRLF": Typing(
        "advisor", lambda *_: "/skills/", {"name": "Slides\r\nX", "category": "Docs"}, ONE_LINE
    ),
    "skill category TAB": Typing(
        "advisor",
        lambda *_: "/skills/",
        {"name": "Slides", "category": "Do\tcs"},
        "Remove the hidden tab from this",
    ),
    "closure name LF": Typing(
        "advisor",
        _school("closure"),
        {"closure-on": "2026-11-26", "closure-name": "Thanks\ngiving"},
        ONE_LINE,
    ),
    "schedule name BEL": Typing(
        "advisor",
        _school("schedule"),
        {"schedule-name": "Early\x07", "schedule-periods": "Period 1, 08:00, 08:50"},
        hidden("U+0007"),
    ),
    "day type CR": Typing(
        "advisor",
        _school("day_type"),
        {"daytype-name": "A\r", "daytype-schedule_id": "1"},
        ONE_LINE,
    ),
    "invite name CRLF": Typing(
        "advisor",
        lambda *_: "/people/invite",
        {
            "email": "ana@school.example.org",
            "full_name": "Ana\r\nBcc: x@example.org",
            "role": "teacher",
            "school_id": "1",
        },
        ONE_LINE,
    ),
    "desk IT address CRLF": Typing(
        "advisor",
        lambda *_: "/requests/settings",
        {
            "first_response_hours": "8",
            "resolution_hours": "24",
            "it_email": "it@district.example.org\r\nBcc: x@example.org",
        },
        ONE_LINE,
    ),
    "decline reason ESC": Typing(
        "advisor",
        lambda world, booking: f"/sessions/{booking.id}/decline",
        {"reason": "No \x1b[31m"},
        None,
        lambda world, store_booking, *_: store_booking(BookingStatus.REQUESTED),
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_typed_text_is_refused_with_a_message_and_nothing_is_saved(
    name, fuzz, world, store_booking, make_request, make_tip
):
    case = CASES[name]
    thing = case.setup(world, store_booking, make_request, make_tip) if case.setup else None
    fuzz.sign_in(getattr(world, case.role))
    before = fuzz.fingerprint()

    response = fuzz.send("POST", case.url(world, thing), case.data)

    assert response.status_code < 500
    html = response.get_data(as_text=True)
    if response.status_code in (301, 302, 303):
        html = fuzz.client.get(response.location).get_data(as_text=True)
    shown = errors_on(html)
    if case.message is None:
        assert shown, html[:2000]
    else:
        assert any(case.message in message for message in shown), shown
    assert fuzz.fingerprint() == before
