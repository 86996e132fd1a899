"""Fuzzing tips, help requests, and the GET forms that take free text."""

import io

from hypothesis import example, given
from hypothesis import strategies as st

from helpdesk.bookings.models import BookingStatus
from helpdesk.tips.models import DEVICES
from tests.fuzz.conftest import (
    FUZZ,
    dates,
    form_data,
    nasty_text,
    numbers,
    optional,
    some_text,
)

DEVICE_SLUGS = [d.slug for d in DEVICES]


def _led_session(make_booking):
    """Mentors write tips from a completed session they led."""
    return make_booking(BookingStatus.COMPLETED, past=True)


def _tip_data(world_skill_ids):
    return st.fixed_dictionaries(
        {
            "title": optional(some_text(["Share a Doc"], max_size=200)),
            "body": optional(some_text(["1. Open **Share**", "[x](javascript:alert(1))"], 400)),
            "skills": st.lists(st.one_of(st.sampled_from(world_skill_ids), numbers), max_size=3),
            "devices": st.lists(
                st.one_of(st.sampled_from(DEVICE_SLUGS), nasty_text(10)), max_size=3
            ),
        }
    ).map(lambda d: {k: v for k, v in d.items() if v not in (None, [])})


@FUZZ
@given(data=st.data(), booking=optional(numbers))
def test_tip_new(fuzz, world, data, booking):
    fuzz.sign_in(world.mentor)
    post = data.draw(_tip_data(["1", "2"]))
    url = "/tips/new" + (f"?booking={booking}" if booking is not None else "")
    fuzz.submit(url, post)


@FUZZ
@given(data=st.data())
def test_tip_edit(fuzz, world, make_tip, make_booking, data):
    tip = make_tip("draft", author=world.mentor, booking=_led_session(make_booking))
    fuzz.sign_in(world.mentor)
    fuzz.submit(f"/tips/{tip.id}/edit", data.draw(_tip_data([str(world.skill.id)])))


@FUZZ
@given(junk=form_data(x=optional(nasty_text())))
def test_tip_submit_and_vote(fuzz, world, make_tip, make_booking, junk):
    draft = make_tip("draft", author=world.mentor, booking=_led_session(make_booking))
    published = make_tip("published")
    fuzz.sign_in(world.mentor)
    fuzz.submit(f"/tips/{draft.id}/submit", junk)
    fuzz.submit(f"/tips/{published.id}/helpful", junk)


@FUZZ
@given(comment=optional(some_text(["Remove the room number."], max_size=2100)))
def test_tip_review_return(fuzz, world, make_tip, make_booking, comment):
    tip = make_tip("submitted", author=world.mentor, booking=_led_session(make_booking))
    fuzz.sign_in(world.advisor)
    fuzz.submit(f"/tips/{tip.id}/return", {} if comment is None else {"comment": comment})


REQUEST_DATA = form_data(
    skill_id=optional(st.one_of(st.just("1"), numbers)),
    summary=optional(some_text(["My projector won't mirror"], max_size=250)),
    details=optional(nasty_text(400)),
    device=optional(nasty_text(100)),
    urgency=optional(some_text(["today", "week", "whenever"])),
    room=optional(nasty_text(100)),
    around=optional(nasty_text(250)),
    request_key=optional(nasty_text(40)),
)
PICTURES = st.sampled_from(
    [
        None,
        (b"", ""),
        (b"not a picture", "shot.png"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "shot.png"),
        (b"GIF89a", "shot.gif"),
    ]
)


@FUZZ
@given(data=REQUEST_DATA, picture=PICTURES)
def test_request_new(fuzz, world, data, picture):
    fuzz.sign_in(world.teacher)
    if picture is not None:
        data = {**data, "screenshot": (io.BytesIO(picture[0]), picture[1])}
    fuzz.submit("/requests/new", data)


@FUZZ
@given(data=REQUEST_DATA, tip=st.one_of(st.just("tip"), numbers))
@example(data={"skill_id": "1", "summary": "Mirror"}, tip="9" * 30)
@example(data={"skill_id": "1", "summary": "Mirror"}, tip="²")
def test_request_self_served(fuzz, world, make_tip, data, tip):
    published = make_tip("published")
    fuzz.sign_in(world.teacher)
    fuzz.submit(
        "/requests/self-served", {**data, "tip_id": str(published.id) if tip == "tip" else tip}
    )


@FUZZ
@given(
    action=st.sampled_from(["reply", "close", "reopen", "solved", "screenshots"]),
    text_=optional(some_text(["It works now."], max_size=5000)),
    tip=numbers,
)
def test_request_teacher_actions(fuzz, world, make_request, action, text_, tip):
    help_request = make_request()
    fuzz.sign_in(world.teacher)
    field = {"reply": "body", "close": "reason", "reopen": "reason"}.get(action, "x")
    data = {"tip_id": tip}
    if text_ is not None:
        data[field] = text_
    if action == "screenshots":
        data["screenshot"] = (io.BytesIO((text_ or "").encode()), "shot.png")
    fuzz.submit(f"/requests/{help_request.id}/{action}", data)


@FUZZ
@given(
    action=st.sampled_from(["escalate", "reply", "release", "waiting", "resolve"]),
    text_=optional(some_text(["Needs a district account reset."], max_size=5000)),
)
def test_request_desk_actions(fuzz, world, make_request, action, text_):
    help_request = make_request()
    fuzz.sign_in(world.advisor)
    field = "body" if action == "reply" else "reason"
    fuzz.submit(f"/requests/{help_request.id}/{action}", {} if text_ is None else {field: text_})


# ---------------------------------------------------------------- GET forms with free text


@FUZZ
@given(
    query=st.fixed_dictionaries(
        {},
        optional={
            "skill_id": st.one_of(st.just("1"), numbers),
            "start": dates,
            "end": dates,
            "school_id": numbers,
            "minutes": numbers,
            "online_only": nasty_text(5),
            "page": numbers,
            "topic": nasty_text(),
            "goal": nasty_text(),
        },
    )
)
@example(query={"skill_id": "1", "start": "9999-12-31"})
@example(query={"skill_id": "1", "start": "2026-11-10", "end": "2026-11-01"})
@example(query={"skill_id": "1", "start": "2026-03-08", "end": "2026-03-08"})
def test_find_a_mentor(fuzz, world, query):
    fuzz.sign_in(world.teacher)
    fuzz.submit("/find/", query, method="GET", must_report=False)


SEARCHES = st.fixed_dictionaries(
    {"q": nasty_text(200)},
    optional={
        "sort": nasty_text(10),
        "device": nasty_text(10),
        "skill": numbers,
        "page": numbers,
    },
)


@FUZZ
@given(query=SEARCHES, path=st.sampled_from(["/tips/", "/tips/suggest", "/requests/suggest"]))
@example(query={"q": "\x00"}, path="/tips/")
@example(query={"q": "share", "skill": "²"}, path="/tips/")
@example(query={"q": "a" * 100_000}, path="/tips/suggest")
def test_tip_searches(fuzz, world, make_tip, query, path):
    make_tip("published")
    fuzz.sign_in(world.mentor)
    fuzz.submit(path, query, method="GET", must_report=False)


@FUZZ
@given(query=st.fixed_dictionaries({}, optional={"q": nasty_text(200), "role": nasty_text(10)}))
def test_people_search(fuzz, world, query):
    fuzz.sign_in(world.advisor)
    fuzz.submit("/people/", query, method="GET", must_report=False)


@FUZZ
@given(start=dates)
@example(start="9999-12-31")
@example(start="0001-01-01")
def test_week_view(fuzz, world, start):
    fuzz.sign_in(world.advisor)
    fuzz.submit("/sessions/week", {"start": start}, method="GET", must_report=False)
