"""No text a teacher or mentor can type makes a calendar, a feed, an email or a page fail for
anyone: whatever is saved is then read back by everyone it reaches.

Each example posts Hypothesis-made text through a form (held to the fuzz tests' rules: no 500,
a message when nothing is saved, nothing saved on an error), and when something was saved,
walks every place that text is shown or sent.
"""

from hypothesis import event, given
from hypothesis import strategies as st

from helpdesk.bookings import commands
from helpdesk.bookings.calendars import issue_feed_token
from helpdesk.bookings.models import Booking, BookingStatus
from helpdesk.mail.models import OutboxMessage
from helpdesk.requests.models import HelpRequest
from helpdesk.tips.models import Tip
from tests.formats.conftest import FUZZ, NOW, booking_page, parse_calendar
from tests.fuzz.conftest import form_data, nasty_text, optional, some_text

# Typed text: anything on a keyboard or in a clipboard, line breaks and controls included.
TYPED = st.text(alphabet=st.characters(exclude_categories=("Cs",), exclude_characters="\x00"))
LINK_TAILS = st.one_of(TYPED, st.sampled_from(["\r\nX-EVIL:1", " x", '"', "\\@evil.example", "\t"]))


def _links():
    base = st.sampled_from(["https://meet.example.org/", "https://zoom.us/j/1?pwd=", "javascript:"])
    return st.one_of(st.tuples(base, LINK_TAILS).map("".join), nasty_text())


def _new(fuzz, model, before: set[int]):
    """The row this example saved, if any (examples share the database)."""
    return fuzz.db.session.scalar(
        fuzz.db.select(model).where(model.id.not_in(before)).order_by(model.id.desc())
    )


def _ids(fuzz, model) -> set[int]:
    return set(fuzz.db.session.scalars(fuzz.db.select(model.id)))


def _everyone_reads(fuzz, world, pages: list[str]) -> None:
    """Every person's feed is a calendar two parsers read, and every page answers."""
    for user in (world.teacher, world.mentor, world.advisor):
        fuzz.sign_in(user)
        token = issue_feed_token(user)
        fuzz.db.session.commit()
        feed = fuzz.client.get(f"/calendar/feed/{token}.ics")
        assert feed.status_code == 200
        parse_calendar(feed.data)
        for page in [*pages, "/", "/notifications/"]:
            assert fuzz.client.get(page).status_code < 500, page
    for message in fuzz.db.session.scalars(fuzz.db.select(OutboxMessage)):
        assert not any(ch in message.subject for ch in "\r\n")
        if message.calendar_data:
            parse_calendar(message.calendar_data.encode())


@FUZZ
@given(
    data=form_data(
        topic=some_text(["Sharing a Doc"], max_size=150),
        learning_goal=some_text(["Share a Doc with comments only"], max_size=300),
        format=st.sampled_from(["in_person", "online"]),
        room=optional(st.one_of(st.just("B12"), TYPED)),
        meeting_url=optional(_links()),
        notes=optional(TYPED),
    ),
)
def test_whatever_a_teacher_books_with_every_calendar_still_reads(fuzz, world, data):
    fuzz.sign_in(world.teacher)
    before = _ids(fuzz, Booking)
    fuzz.submit(booking_page(world), {**data, "agrees_to_norms": "y"})
    booking = _new(fuzz, Booking, before)
    event("saved" if booking else "refused")
    if booking is None:
        return
    commands.approve_booking(booking, world.advisor)  # invitations with .ics to both sides
    fuzz.db.session.commit()
    _everyone_reads(fuzz, world, [f"/sessions/{booking.id}", "/sessions/", "/sessions/queue"])
    fuzz.client.get(f"/sessions/{booking.id}/session.ics")
    commands.cancel_booking(booking, world.teacher, "Changed plans", NOW)
    fuzz.db.session.commit()
    assert booking.status is BookingStatus.CANCELLED
    _everyone_reads(fuzz, world, [])


@FUZZ
@given(
    data=form_data(
        summary=some_text(["Projector will not mirror"], max_size=150),
        details=optional(TYPED),
        device=optional(TYPED),
        room=optional(TYPED),
        around=optional(TYPED),
        urgency=st.sampled_from(["now", "week", "whenever"]),
    ),
    reply=TYPED,
)
def test_whatever_a_teacher_asks_every_page_and_email_still_works(fuzz, world, data, reply):
    fuzz.sign_in(world.teacher)
    before = _ids(fuzz, HelpRequest)
    fuzz.submit("/requests/new", {**data, "skill_id": str(world.skill.id)})
    help_request = _new(fuzz, HelpRequest, before)
    event("saved" if help_request else "refused")
    if help_request is None:
        return
    fuzz.submit(f"/requests/{help_request.id}/reply", {"body": reply})
    _everyone_reads(fuzz, world, [f"/requests/{help_request.id}", "/requests/", "/outbox/"])


@FUZZ
@given(
    title=some_text(["Mirror your screen"], max_size=120),
    body=some_text(["1. Press **Win+P**"], max_size=400),
    bio=TYPED,
    story=TYPED,
)
def test_whatever_a_mentor_writes_every_page_still_works(
    fuzz, world, store_booking, title, body, bio, story
):
    session = store_booking(BookingStatus.COMPLETED, past=True)
    fuzz.sign_in(world.mentor)
    fuzz.submit("/mentors/me", {"bio": bio, "story": story, "offers_online": "y"})
    before = _ids(fuzz, Tip)
    fuzz.submit(
        f"/tips/new?booking={session.id}",
        {"title": title, "body": body, "skills": str(world.skill.id), "devices": "any"},
    )
    tip = _new(fuzz, Tip, before)
    event("saved" if tip else "refused")
    pages = [f"/mentors/{world.mentor.id}", "/tips/mine"] + ([f"/tips/{tip.id}"] if tip else [])
    _everyone_reads(fuzz, world, pages)
