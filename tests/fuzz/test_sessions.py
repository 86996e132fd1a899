"""Fuzzing the session forms: booking, decline/cancel/reschedule/reassign, close and reflect."""

from urllib.parse import urlencode

from hypothesis import example, given
from hypothesis import strategies as st

from helpdesk.bookings.models import BookingStatus
from tests.fuzz.conftest import (
    FUZZ,
    SLOT,
    form_data,
    instants,
    nasty_text,
    numbers,
    optional,
    some_text,
)


def _ids(*valid):
    return st.one_of(st.sampled_from([str(v) for v in valid]), numbers)


@FUZZ
@given(
    query=st.fixed_dictionaries(
        {"start": instants(), "minutes": st.one_of(st.just("30"), numbers)},
        optional={"topic": nasty_text(), "goal": nasty_text()},
    ),
    mentor=st.one_of(st.just("maya"), numbers),
    skill=st.one_of(st.just("docs"), numbers),
    data=form_data(
        topic=optional(some_text(["Sharing a Doc"], max_size=250)),
        learning_goal=optional(some_text(["Share a Doc with comments only"], max_size=2100)),
        format=optional(some_text(["in_person", "online"])),
        room=optional(some_text(["B12"], max_size=100)),
        meeting_url=optional(some_text(["https://meet.example.org/abc", "javascript:alert(1)"])),
        notes=optional(nasty_text(2100)),
        agrees_to_norms=optional(st.sampled_from(["y", ""])),
        request_key=optional(nasty_text(40)),
    ),
)
@example(
    query={"start": "9999-12-31T23:30:00+00:00", "minutes": "30"},
    mentor="maya",
    skill="docs",
    data={"topic": "T", "learning_goal": "G", "format": "in_person", "room": "B1"},
)
@example(
    query={"start": SLOT.isoformat(), "minutes": "30"},
    mentor="9" * 30,
    skill="docs",
    data={},
)
def test_booking_form(fuzz, world, query, mentor, skill, data):
    fuzz.sign_in(world.teacher)
    query = {
        **query,
        "mentor": str(world.mentor.id) if mentor == "maya" else mentor,
        "skill": str(world.skill.id) if skill == "docs" else skill,
    }
    fuzz.submit("/sessions/new?" + urlencode(query), data)


@FUZZ
@given(reason=optional(some_text(["The mentor is ill."], max_size=1100)), as_mentor=st.booleans())
def test_decline(fuzz, world, make_booking, reason, as_mentor):
    booking = make_booking(BookingStatus.REQUESTED)
    fuzz.sign_in(world.mentor if as_mentor else world.advisor)
    fuzz.submit(f"/sessions/{booking.id}/decline", {} if reason is None else {"reason": reason})


@FUZZ
@given(
    reason=optional(some_text(["Something came up."], max_size=1100)),
    back=optional(some_text(["/sessions/queue", "https://evil.example"])),
)
def test_cancel(fuzz, world, make_booking, reason, back):
    booking = make_booking(BookingStatus.APPROVED)
    fuzz.sign_in(world.teacher)
    data = {k: v for k, v in {"reason": reason, "back": back}.items() if v is not None}
    fuzz.submit(f"/sessions/{booking.id}/cancel", data)


@FUZZ
@given(start=optional(instants()))
@example(start="9999-12-31T23:30:00+00:00")
@example(start="0001-01-01T00:00:00+14:00")
@example(start="2026-03-08T02:30:00-05:00")
def test_reschedule(fuzz, world, make_booking, start):
    booking = make_booking(BookingStatus.APPROVED)
    fuzz.sign_in(world.teacher)
    data = {} if start is None else {"reschedule-starts_at": start}
    fuzz.submit(f"/sessions/{booking.id}/reschedule", data)


@FUZZ
@given(mentor=st.one_of(st.sampled_from(["leo", "maya", "teacher"]), numbers))
@example(mentor="9" * 30)
def test_reassign(fuzz, world, make_booking, mentor):
    booking = make_booking(BookingStatus.APPROVED)
    fuzz.sign_in(world.advisor)
    ids = {"leo": world.mentor2.id, "maya": world.mentor.id, "teacher": world.teacher.id}
    fuzz.submit(
        f"/sessions/{booking.id}/reassign", {"reassign-mentor_id": str(ids.get(mentor, mentor))}
    )


@FUZZ
@given(
    ids=st.lists(st.one_of(st.just("mine"), numbers), max_size=4),
)
@example(ids=["9" * 30])
def test_approve_selected(fuzz, world, make_booking, ids):
    booking = make_booking(BookingStatus.REQUESTED)
    fuzz.sign_in(world.advisor)
    ids = [str(booking.id) if i == "mine" else i for i in ids]
    fuzz.submit("/sessions/queue/approve", {"booking_id": ids} if ids else {})
    fuzz.submit("/sessions/queue/approve", {"booking_id": ids, "confirmed": "yes"})


@FUZZ
@given(
    data=form_data(
        outcome=optional(some_text(["completed", "no_show"])),
        covered=optional(some_text(["Sharing settings"], max_size=3100)),
        steps=optional(nasty_text(5100)),
        links=optional(nasty_text(2100)),
    )
)
def test_complete(fuzz, world, make_booking, data):
    booking = make_booking(BookingStatus.APPROVED, past=True)
    fuzz.sign_in(world.mentor)
    fuzz.submit(f"/sessions/{booking.id}/complete", data)


@FUZZ
@given(
    data=form_data(
        learned=optional(some_text(["How to share"], max_size=3100)),
        view_change=optional(nasty_text(3100)),
        classroom_use=optional(nasty_text(3100)),
        rating=optional(st.one_of(st.sampled_from(["1", "5"]), numbers)),
        kudos=optional(nasty_text(600)),
    )
)
def test_teacher_reflection(fuzz, world, make_booking, data):
    booking = make_booking(BookingStatus.COMPLETED, past=True)
    fuzz.sign_in(world.teacher)
    fuzz.submit(f"/sessions/{booking.id}/reflect", data)


@FUZZ
@given(
    data=form_data(
        went_well=optional(some_text(["They got it"], max_size=3100)),
        try_next=optional(nasty_text(3100)),
    )
)
def test_mentor_reflection(fuzz, world, make_booking, data):
    booking = make_booking(BookingStatus.COMPLETED, past=True)
    fuzz.sign_in(world.mentor)
    fuzz.submit(f"/sessions/{booking.id}/reflect", data)


@FUZZ
@given(junk=form_data(x=optional(nasty_text())))
def test_notifications_mark_read(fuzz, world, junk):
    fuzz.sign_in(world.teacher)
    # Marking read is a button: success is the page itself, so no message is required.
    fuzz.submit("/notifications/read", junk, must_report=False)
